using System.Text.Json;
using ChatOpsIncident.Core.Processing;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChatOpsIncident.Postgres.Inbox;

/// <summary>The dead rows of chatops.inbox and chatops.outbox, for admins; payloads never leave this class.</summary>
internal sealed class PostgresDeadLetters(NpgsqlDataSource dataSource, IOptions<ProcessingOptions> options) : IDeadLetterStore
{
    public async Task<DeadLetterCounts> CountAsync(CancellationToken ct)
    {
        const string Sql = """
            SELECT (SELECT count(*) FROM chatops.inbox WHERE status = 'dead'),
                   (SELECT count(*) FROM chatops.outbox WHERE status = 'dead')
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var (inbox, outbox) = await conn.QuerySingleAsync<(long, long)>(new CommandDefinition(Sql, cancellationToken: ct));
        return new DeadLetterCounts(inbox, outbox);
    }

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, CancellationToken ct)
    {
        // The inbox payload is read only to find the channel it came from; it is dropped here and never returned.
        const string Sql = """
            (SELECT 'inbox' AS queue, id, kind, platform, NULL::text AS channel_id, payload, received_at AS at, attempts, last_error
             FROM chatops.inbox WHERE status = 'dead' ORDER BY received_at DESC, id DESC LIMIT @limit)
            UNION ALL
            (SELECT 'outbox', id, operation, platform, channel_id, NULL, created_at, attempts, last_error
             FROM chatops.outbox WHERE status = 'dead' ORDER BY created_at DESC, id DESC LIMIT @limit)
            ORDER BY at DESC, id DESC
            LIMIT @limit
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string Queue, long Id, string Kind, string Platform, string? ChannelId, string? Payload, DateTime At, int Attempts, string? LastError)>(
            new CommandDefinition(Sql, new { limit }, cancellationToken: ct));
        return rows.Select(r => new DeadLetter(
            r.Queue == "inbox" ? DeadLetterQueue.Inbox : DeadLetterQueue.Outbox,
            r.Id,
            r.Kind,
            r.Platform,
            r.ChannelId ?? ChannelOf(r.Payload),
            Utc.From(r.At),
            r.Attempts,
            r.LastError)).ToList();
    }

    public async Task<bool> RetryAsync(DeadLetterQueue queue, long id, CancellationToken ct)
    {
        // Outbox rows restart at one attempt, not zero: an earlier try of a post may have landed (a timeout), and a
        // row that is not on its first attempt makes the adapter look for it before posting again. The claim then
        // counts the retry's own attempt (with MaxAttempts 1 there is no room for that, so zero).
        const string Inbox = """
            UPDATE chatops.inbox SET status = 'pending', attempts = 0, available_at = now(), claim_token = NULL
            WHERE id = @id AND status = 'dead'
            """;
        const string Outbox = """
            UPDATE chatops.outbox SET status = 'pending', attempts = @restart, available_at = now(), claim_token = NULL
            WHERE id = @id AND status = 'dead'
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var sql = queue == DeadLetterQueue.Inbox ? Inbox : Outbox;
        return await conn.ExecuteAsync(new CommandDefinition(sql, new { id, restart = options.Value.MaxAttempts > 1 ? 1 : 0 }, cancellationToken: ct)) == 1;
    }

    /// <summary>The channel a stored delivery came from: a Slack command's channel_id, an event's or interaction's channel, a Teams conversation.</summary>
    internal static string? ChannelOf(string? payload)
    {
        if (string.IsNullOrWhiteSpace(payload))
        {
            return null;
        }

        if (!payload.TrimStart().StartsWith('{'))
        {
            foreach (var part in payload.Split('&'))
            {
                if (part.StartsWith("channel_id=", StringComparison.Ordinal))
                {
                    return Uri.UnescapeDataString(part["channel_id=".Length..].Replace('+', ' '));
                }

                if (part.StartsWith("payload=", StringComparison.Ordinal))
                {
                    return ChannelOf(Uri.UnescapeDataString(part["payload=".Length..].Replace('+', ' ')));
                }
            }

            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(payload);
            var root = doc.RootElement;
            return Str(root, "channel", "id") ?? Str(root, "event", "channel") ?? Str(root, "event", "item", "channel")
                ?? Str(root, "container", "channel_id") ?? Str(root, "conversation", "id");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Str(JsonElement e, params string[] path)
    {
        foreach (var p in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(p, out e))
            {
                return null;
            }
        }

        return e.ValueKind == JsonValueKind.String ? e.GetString() : null;
    }
}
