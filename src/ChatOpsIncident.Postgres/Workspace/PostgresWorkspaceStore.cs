using ChatOpsIncident.Core.Chat;
using Dapper;
using Npgsql;

namespace ChatOpsIncident.Postgres.Workspace;

/// <summary>
/// The local workspace's channels, members, messages and reactions (migration 0090_sandbox_workspace.sql). Every change
/// to a message draws a new revision under one transaction-scoped advisory lock, so revisions become visible in the
/// order they were drawn and a reader polling "after revision N" never misses a change that committed late. The
/// workspace is a local tool with a handful of writers; the lock costs nothing there.
/// </summary>
internal sealed class PostgresWorkspaceStore(NpgsqlDataSource dataSource) : IWorkspaceStore
{
    // A constant unique to this use; pg_advisory_xact_lock releases it at commit or rollback.
    private const string Lock = "SELECT pg_advisory_xact_lock(5918216204)";

    private static readonly ILookup<string, WorkspaceReaction> NoReactions = Array.Empty<WorkspaceReaction>().ToLookup(_ => "");

    private const string ChannelColumns = "id AS Id, name AS Name, kind AS Kind, is_private AS IsPrivate, topic AS Topic, incident_id AS IncidentId, created_at AS CreatedAt";

    private const string MessageColumns = "id, seq, channel_id, thread_id, user_id, text, body::text AS body, form::text AS form, ephemeral_for, pinned, posted_at, edited_at, revision";

    public async Task<IReadOnlyList<WorkspaceChannel>> ChannelsAsync(CancellationToken ct)
    {
        var sql = $"SELECT {ChannelColumns} FROM chatops.sandbox_channels ORDER BY created_at, id";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<ChannelRow>(new CommandDefinition(sql, cancellationToken: ct))).Select(r => r.ToDomain()).ToList();
    }

    public async Task<WorkspaceChannel?> FindChannelAsync(string channelId, CancellationToken ct)
    {
        var sql = $"SELECT {ChannelColumns} FROM chatops.sandbox_channels WHERE id = @channelId";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QuerySingleOrDefaultAsync<ChannelRow>(new CommandDefinition(sql, new { channelId }, cancellationToken: ct)))?.ToDomain();
    }

    public async Task<IReadOnlyList<VisibleChannel>> VisibleChannelsAsync(string? viewer, string? channelId, CancellationToken ct)
    {
        // IncidentVisibility.CanSee in SQL, as the incident list applies it (the people clause is the list's own): a
        // member of a private channel asks from inside it, which counts when the channel is the incident's; the
        // incident's people see it wherever they ask; a private channel without an incident is its members'.
        const string Sql = $"""
            SELECT c.id AS Id, c.name AS Name, c.kind AS Kind, c.is_private AS IsPrivate, c.topic AS Topic,
                   c.incident_id AS IncidentId, c.created_at AS CreatedAt, i.number AS IncidentNumber, coalesce(i.drill, false) AS Drill
            FROM chatops.sandbox_channels c
            LEFT JOIN chatops.incidents i ON i.id = c.incident_id
            WHERE (@channelId::text IS NULL OR c.id = @channelId)
              AND (NOT c.is_private OR (@viewer::text IS NOT NULL AND (
                    (EXISTS (SELECT 1 FROM chatops.sandbox_members m WHERE m.channel_id = c.id AND m.user_id = @viewer)
                        AND (i.id IS NULL OR (i.channel_id = c.id AND lower(i.platform) = @platform)))
                    OR (i.id IS NOT NULL AND (NOT i.is_private OR {Incidents.VisibilitySql.PersonOf})))))
            ORDER BY c.created_at, c.id
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ChannelRow>(new CommandDefinition(Sql, new
        {
            viewer,
            channelId,
            platform = Platform,
            ids = viewer is null ? Array.Empty<string>() : new[] { viewer.ToLowerInvariant() },
        }, cancellationToken: ct));
        return rows.Select(r => new VisibleChannel(r.ToDomain(), r.IncidentNumber, r.Drill)).ToList();
    }

    /// <summary>The platform name the workspace's incidents carry (the sandbox adapter's).</summary>
    private const string Platform = "sandbox";

    public async Task<WorkspaceChannel?> CreateIncidentChannelAsync(Guid incidentId, string name, bool isPrivate, CancellationToken ct)
    {
        // Either unique key may conflict: the incident's own channel from an earlier attempt is returned, a name held
        // by another channel returns nothing (the caller tries the next suffix).
        var sql = $"""
            WITH created AS (
                INSERT INTO chatops.sandbox_channels (id, name, kind, is_private, incident_id)
                VALUES ('c' || nextval('chatops.sandbox_channel_seq'), @name, 'incident', @isPrivate, @incidentId)
                ON CONFLICT DO NOTHING
                RETURNING {ChannelColumns})
            SELECT * FROM created
            UNION ALL
            SELECT {ChannelColumns} FROM chatops.sandbox_channels WHERE incident_id = @incidentId
            LIMIT 1
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QuerySingleOrDefaultAsync<ChannelRow>(new CommandDefinition(sql, new { incidentId, name, isPrivate }, cancellationToken: ct)))?.ToDomain();
    }

    public async Task SetTopicAsync(string channelId, string topic, CancellationToken ct)
    {
        const string Sql = "UPDATE chatops.sandbox_channels SET topic = @topic WHERE id = @channelId";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, new { channelId, topic }, cancellationToken: ct));
    }

    public async Task AddMembersAsync(string channelId, IReadOnlyCollection<string> userIds, CancellationToken ct)
    {
        const string Sql = """
            INSERT INTO chatops.sandbox_members (channel_id, user_id)
            SELECT @channelId, u FROM unnest(@users) AS u
            ON CONFLICT DO NOTHING
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, new { channelId, users = userIds.Distinct().ToArray() }, cancellationToken: ct));
    }

    public async Task<IReadOnlySet<string>> MembersAsync(string channelId, CancellationToken ct)
    {
        const string Sql = "SELECT user_id FROM chatops.sandbox_members WHERE channel_id = @channelId";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<string>(new CommandDefinition(Sql, new { channelId }, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
    }

    public async Task<WorkspaceMessage> PostAsync(NewWorkspaceMessage message, CancellationToken ct)
    {
        var sql = $"""
            WITH seq AS (SELECT nextval('chatops.sandbox_message_seq') AS n)
            INSERT INTO chatops.sandbox_messages (id, seq, key, channel_id, thread_id, user_id, text, body, form, ephemeral_for, posted_at, revision)
            SELECT 'm' || n, n, @Key, @ChannelId, @ThreadId, @UserId, @Text, CAST(@Body AS jsonb), CAST(@Form AS jsonb), @EphemeralFor, @PostedAt,
                nextval('chatops.sandbox_revision_seq')
            FROM seq
            ON CONFLICT (key) DO NOTHING;
            SELECT {MessageColumns} FROM chatops.sandbox_messages WHERE key = @Key;
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Lock, transaction: tx, cancellationToken: ct));
        var row = await conn.QuerySingleAsync<MessageRow>(new CommandDefinition(sql, new
        {
            message.Key,
            message.ChannelId,
            message.ThreadId,
            message.UserId,
            message.Text,
            message.Body,
            message.Form,
            message.EphemeralFor,
            PostedAt = Utc.To(message.PostedAt),
        }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return row.ToDomain(NoReactions);
    }

    public async Task<bool> UpdateAsync(string messageId, string text, string? body, string? form, DateTimeOffset at, CancellationToken ct)
    {
        var sql = """
            UPDATE chatops.sandbox_messages SET text = @text, body = CAST(@body AS jsonb), form = CAST(@form AS jsonb), edited_at = @at,
                revision = nextval('chatops.sandbox_revision_seq')
            WHERE id = @messageId
            """;
        return await InLockAsync(sql, new { messageId, text, body, form, at = Utc.To(at) }, ct) > 0;
    }

    public async Task<bool> HasDeliveryAsync(string deliveryId, CancellationToken ct)
    {
        const string Sql = "SELECT EXISTS (SELECT 1 FROM chatops.inbox WHERE platform = 'sandbox' AND delivery_id = @deliveryId)";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(Sql, new { deliveryId }, cancellationToken: ct));
    }

    public async Task<bool> PinAsync(string messageId, CancellationToken ct)
    {
        var sql = """
            UPDATE chatops.sandbox_messages SET pinned = true, revision = nextval('chatops.sandbox_revision_seq')
            WHERE id = @messageId AND NOT pinned
            """;
        return await InLockAsync(sql, new { messageId }, ct) > 0;
    }

    public async Task<WorkspaceMessage?> FindMessageAsync(string messageId, CancellationToken ct)
    {
        var sql = $"SELECT {MessageColumns} FROM chatops.sandbox_messages WHERE id = @messageId";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<MessageRow>(new CommandDefinition(sql, new { messageId }, cancellationToken: ct));
        return row is null ? null : row.ToDomain(await ReactionsAsync(conn, [row.Id], ct));
    }

    public async Task<IReadOnlyList<WorkspaceMessage>> MessagesAsync(string channelId, string viewer, long afterRevision, int max, CancellationToken ct)
    {
        var sql = $"""
            SELECT {MessageColumns} FROM chatops.sandbox_messages
            WHERE channel_id = @channelId AND revision > @afterRevision AND (ephemeral_for IS NULL OR ephemeral_for = @viewer)
            ORDER BY revision
            LIMIT @max
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<MessageRow>(new CommandDefinition(sql, new { channelId, viewer, afterRevision, max }, cancellationToken: ct))).ToList();
        var reactions = await ReactionsAsync(conn, rows.Select(r => r.Id).ToArray(), ct);
        return rows.Select(r => r.ToDomain(reactions)).ToList();
    }

    public async Task<bool> ReactAsync(string messageId, string userId, string name, bool add, CancellationToken ct)
    {
        // The message's revision moves with its reactions, so readers polling by revision see them change.
        var sql = $"""
            WITH changed AS ({(add
                ? "INSERT INTO chatops.sandbox_reactions (message_id, user_id, name) SELECT id, @userId, @name FROM chatops.sandbox_messages WHERE id = @messageId ON CONFLICT DO NOTHING RETURNING message_id"
                : "DELETE FROM chatops.sandbox_reactions WHERE message_id = @messageId AND user_id = @userId AND name = @name RETURNING message_id")})
            UPDATE chatops.sandbox_messages SET revision = nextval('chatops.sandbox_revision_seq')
            WHERE id IN (SELECT message_id FROM changed)
            """;
        return await InLockAsync(sql, new { messageId, userId, name }, ct) > 0;
    }

    public async Task<bool> HasReactionAsync(string messageId, string userId, string name, CancellationToken ct)
    {
        const string Sql = "SELECT EXISTS (SELECT 1 FROM chatops.sandbox_reactions WHERE message_id = @messageId AND user_id = @userId AND name = @name)";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(Sql, new { messageId, userId, name }, cancellationToken: ct));
    }

    private async Task<int> InLockAsync(string sql, object args, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Lock, transaction: tx, cancellationToken: ct));
        var changed = await conn.ExecuteAsync(new CommandDefinition(sql, args, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return changed;
    }

    private static async Task<ILookup<string, WorkspaceReaction>> ReactionsAsync(NpgsqlConnection conn, string[] ids, CancellationToken ct)
    {
        const string Sql = "SELECT message_id, name, user_id FROM chatops.sandbox_reactions WHERE message_id = ANY(@ids) ORDER BY reacted_at, name, user_id";
        if (ids.Length == 0)
        {
            return NoReactions;
        }

        var rows = await conn.QueryAsync<(string MessageId, string Name, string UserId)>(new CommandDefinition(Sql, new { ids }, cancellationToken: ct));
        return rows.ToLookup(r => r.MessageId, r => new WorkspaceReaction(r.Name, r.UserId));
    }
}
