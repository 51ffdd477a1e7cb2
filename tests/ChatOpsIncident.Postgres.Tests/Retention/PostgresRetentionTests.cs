using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.Postgres.Tests.Retention;

public sealed class PostgresRetentionTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _services = await _db.MigratedStoreAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    private IRetentionStore Retention => _services.GetRequiredService<IRetentionStore>();

    private Task<long> InboxAsync(string payload, string status = "pending", string? completedAgo = null) =>
        _db.ScalarAsync<long>(
            $"INSERT INTO chatops.inbox (platform, delivery_id, kind, payload, status, completed_at) VALUES ('slack', @d, 'event', @p, @s, {(completedAgo is null ? "NULL" : $"now() - interval '{completedAgo}'")}) RETURNING id",
            ("d", Guid.NewGuid().ToString("N")), ("p", payload), ("s", status))!;

    private Task<string?> PayloadAsync(long id) => _db.ScalarAsync<string>("SELECT payload FROM chatops.inbox WHERE id = @id", ("id", id));

    private Task CompleteAsync(long id) => _db.ScalarAsync<int>("UPDATE chatops.inbox SET status = 'done', completed_at = now() WHERE id = @id RETURNING 1", ("id", id));

    [Fact]
    public async Task Done_JsonPayload_LosesTokenResponseUrlAndTriggerId_AtOnce()
    {
        var id = await InboxAsync("""{"token":"legacy-secret","trigger_id":"13345224609.738474920.8088930838d88f008e0","response_url":"https://hooks.slack.com/actions/T1/1/abc","response_urls":[{"response_url":"https://hooks.slack.com/x"}],"type":"block_actions","user":{"id":"U1"}}""");
        Assert.Contains("legacy-secret", await PayloadAsync(id), StringComparison.Ordinal);

        await CompleteAsync(id);

        var scrubbed = await PayloadAsync(id);
        Assert.DoesNotContain("legacy-secret", scrubbed, StringComparison.Ordinal);
        Assert.DoesNotContain("hooks.slack.com", scrubbed, StringComparison.Ordinal);
        Assert.DoesNotContain("13345224609", scrubbed, StringComparison.Ordinal);
        Assert.Contains("\"block_actions\"", scrubbed, StringComparison.Ordinal);
        Assert.Contains("\"U1\"", scrubbed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Done_FormPayload_LosesTheSecretFields_KeepsTheRestInOrder()
    {
        var id = await InboxAsync("token=legacy-secret&team_id=T1&channel_id=C1&text=status&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1&trigger_id=123.456");

        await CompleteAsync(id);

        Assert.Equal("team_id=T1&channel_id=C1&text=status", await PayloadAsync(id));
    }

    [Fact]
    public async Task Pending_And_Failed_KeepTheirPayload_TheyStillNeedIt()
    {
        const string Payload = "token=t&response_url=https%3A%2F%2Fhooks.slack.com%2Fx&text=status";
        var id = await InboxAsync(Payload);

        await _db.ScalarAsync<int>("UPDATE chatops.inbox SET attempts = attempts + 1, last_error = 'boom' WHERE id = @id RETURNING 1", ("id", id));
        await _db.ScalarAsync<int>("UPDATE chatops.inbox SET status = 'dead' WHERE id = @id RETURNING 1", ("id", id));

        Assert.Equal(Payload, await PayloadAsync(id));
    }

    [Fact]
    public async Task Purge_DeletesOnlyDoneRowsOlderThanTheRetention()
    {
        var oldDone = await InboxAsync("{}", "done", "31 days");
        var youngDone = await InboxAsync("{}", "done", "29 days");
        var oldPending = await InboxAsync("{}", "pending");
        await _db.ScalarAsync<int>("UPDATE chatops.inbox SET received_at = now() - interval '40 days' WHERE id = @id RETURNING 1", ("id", oldPending));
        await _db.ScalarAsync<int>("""
            INSERT INTO chatops.outbox (key, platform, operation, channel_id, body, status, completed_at) VALUES
                ('old-done', 'slack', 'post', 'C1', '{}', 'done', now() - interval '31 days'),
                ('young-done', 'slack', 'post', 'C1', '{}', 'done', now() - interval '1 day'),
                ('old-pending', 'slack', 'post', 'C1', '{}', 'pending', NULL);
            INSERT INTO chatops.deliveries (key, result, at) VALUES ('old', NULL, now() - interval '31 days'), ('young', NULL, now());
            SELECT 1
            """);

        // A batch of 1 proves the purge drains in batches rather than stopping after the first.
        var purged = await Retention.PurgeAsync(TimeSpan.FromDays(30), 1, CancellationToken.None);

        Assert.Equal(new RetentionPurge(1, 1, 1), purged);
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.inbox WHERE id = @id", ("id", oldDone)));
        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.inbox WHERE id = @id", ("id", youngDone)));
        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.inbox WHERE id = @id", ("id", oldPending)));
        Assert.Equal("old-pending,young-done", await _db.ScalarAsync<string>("SELECT string_agg(key, ',' ORDER BY key) FROM chatops.outbox"));
        Assert.Equal("young", await _db.ScalarAsync<string>("SELECT string_agg(key, ',') FROM chatops.deliveries"));

        Assert.Equal(new RetentionPurge(0, 0, 0), await Retention.PurgeAsync(TimeSpan.FromDays(30), 1, CancellationToken.None));
    }

    [Fact]
    public async Task Purge_ForgetsAlertGroups_OfIncidentsClosedOrDismissedLongerThanTheRetention_KeepsTheLiveOnes()
    {
        var closedLongAgo = await IncidentAsync("closed", "now() - interval '31 days'");
        var closedRecently = await IncidentAsync("closed", "now() - interval '1 day'");
        var open = await IncidentAsync("investigating", "NULL");
        var declined = await IncidentAsync("declined", "NULL");
        await AlertGroupAsync("closed-old", "incident", closedLongAgo, "40 days");
        await AlertGroupAsync("closed-young", "incident", closedRecently, "40 days");
        await AlertGroupAsync("open", "incident", open, "40 days");
        await AlertGroupAsync("declined-old", "incident", declined, "40 days");
        await AlertGroupAsync("dismissed-old", "dismissed", null, "31 days");
        await AlertGroupAsync("ignored-old", "ignored", null, "31 days");
        // Dismissed long ago but firing still: its row is what keeps it from being asked about again.
        await AlertGroupAsync("dismissed-firing", "dismissed", null, "1 minute");
        await AlertGroupAsync("carded-old", "carded", null, "31 days");

        var purged = await Retention.PurgeAsync(TimeSpan.FromDays(30), 1, CancellationToken.None);

        Assert.Equal(4, purged.AlertGroups);
        Assert.Equal("carded-old,closed-young,dismissed-firing,open", await _db.ScalarAsync<string>("SELECT string_agg(group_key, ',' ORDER BY group_key) FROM chatops.alert_groups"));
        Assert.Equal(4L, await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.incidents"));
        Assert.Equal(0, (await Retention.PurgeAsync(TimeSpan.FromDays(30), 1, CancellationToken.None)).AlertGroups);
    }

    private Task<Guid> IncidentAsync(string status, string closedAt) =>
        _db.ScalarAsync<Guid>(
            $"""
            INSERT INTO chatops.incidents (id, declare_key, title, severity, type, status, platform, declared_by_id, declared_at, closed_at)
            VALUES (gen_random_uuid(), gen_random_uuid()::text, 'Checkout 5xx', 'SEV2', 'availability', @status, 'slack', 'U1', now() - interval '60 days', {closedAt})
            RETURNING id
            """,
            ("status", status));

    private Task AlertGroupAsync(string groupKey, string state, Guid? incident, string lastSeenAgo) =>
        _db.ScalarAsync<int>(
            $"""
            INSERT INTO chatops.alert_groups (id, source, group_key, title, status, state, incident_id, action, first_seen_at, last_seen_at)
            VALUES (gen_random_uuid(), 'prom', @key, 'Probe failure', 'firing', @state, {(incident is null ? "NULL" : $"'{incident}'")}, 'prompt', now() - interval '60 days', now() - interval '{lastSeenAgo}')
            RETURNING 1
            """,
            ("key", groupKey), ("state", state));

    [Fact]
    public async Task Purge_DeletesWorkspaceMessagesUntouchedForLongerThanTheRetention_WithTheirReactions()
    {
        // Old and untouched; old but edited lately (a card the bot still updates); old but reacted to lately; young.
        await _db.ScalarAsync<int>("""
            INSERT INTO chatops.sandbox_messages (id, seq, key, channel_id, user_id, text, posted_at, edited_at, revision) VALUES
                ('m-old', 1, 'k1', 'general', 'alice', 'old', now() - interval '31 days', NULL, 1),
                ('m-edited', 2, 'k2', 'general', 'chatops', 'card', now() - interval '40 days', now() - interval '1 day', 2),
                ('m-reacted', 3, 'k3', 'general', 'bob', 'pinned lately', now() - interval '31 days', NULL, 3),
                ('m-young', 4, 'k4', 'general', 'carol', 'young', now() - interval '29 days', NULL, 4),
                ('m-old-2', 5, 'k5', 'general', 'dan', 'old too', now() - interval '60 days', NULL, 5);
            INSERT INTO chatops.sandbox_reactions (message_id, user_id, name, reacted_at) VALUES
                ('m-old', 'bob', 'pushpin', now() - interval '31 days'),
                ('m-reacted', 'alice', 'pushpin', now() - interval '2 days');
            SELECT 1
            """);

        var purged = await Retention.PurgeAsync(TimeSpan.FromDays(30), 1, CancellationToken.None);

        Assert.Equal(2, purged.WorkspaceMessages);
        Assert.Equal(2, purged.Total);
        Assert.Equal("m-edited,m-reacted,m-young", await _db.ScalarAsync<string>("SELECT string_agg(id, ',' ORDER BY id) FROM chatops.sandbox_messages"));
        Assert.Equal("m-reacted", await _db.ScalarAsync<string>("SELECT string_agg(message_id, ',') FROM chatops.sandbox_reactions"));
        Assert.Equal(3L, await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.sandbox_channels"));
        Assert.Equal(0, (await Retention.PurgeAsync(TimeSpan.FromDays(30), 1, CancellationToken.None)).WorkspaceMessages);
    }
}
