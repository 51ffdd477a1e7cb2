using System.Net;
using System.Text.Json.Nodes;
using ChatOpsIncident.Host.Health;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ChatOpsIncident.IntegrationTests.Bounded;

/// <summary>
/// Issue 15, "readiness includes the scheduler": /readyz fails when this replica's Hangfire server is missing or its
/// heartbeat is stale, and reports the backlog (pending and dead items) without failing on it. Whole host, real
/// Hangfire server on PostgreSQL; the heartbeat period is long so the test, not Hangfire, decides its age.
/// </summary>
public sealed class SchedulerReadinessTests
{
    private static readonly Dictionary<string, string?> SlowHeartbeat = new()
    {
        ["Scheduling:HeartbeatInterval"] = "00:10:00",
        ["Scheduling:HeartbeatTimeout"] = "00:20:00",
    };

    [Fact]
    public async Task Ready_ReportsThisReplicasServer_AndTheBacklogCounts_WithoutFailingOnThem()
    {
        await using var host = await TestHost.StartAsync(SlowHeartbeat);
        await host.WaitReadyAsync();
        await ExecuteAsync(host, """
            INSERT INTO chatops.inbox (platform, delivery_id, kind, payload, available_at) VALUES
                ('nowhere', 'later-1', 'event', '{}', now() + interval '1 day'),
                ('nowhere', 'later-2', 'event', '{}', now() + interval '1 day');
            INSERT INTO chatops.inbox (platform, delivery_id, kind, payload, status) VALUES ('nowhere', 'gave-up', 'event', '{}', 'dead');
            INSERT INTO chatops.outbox (key, platform, operation, channel_id, body, available_at) VALUES
                ('later-a', 'nowhere', 'post', 'C1', '{}', now() + interval '1 day'),
                ('later-b', 'nowhere', 'post', 'C1', '{}', now() + interval '1 day'),
                ('later-c', 'nowhere', 'post', 'C1', '{}', now() + interval '1 day');
            INSERT INTO chatops.outbox (key, platform, operation, channel_id, body, status) VALUES
                ('dead-a', 'nowhere', 'post', 'C1', '{}', 'dead'), ('dead-b', 'nowhere', 'post', 'C1', '{}', 'dead');
            """);

        using var response = await host.Client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var ready = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ready", ready["status"]!.GetValue<string>());
        var scheduler = ready["scheduler"]!;
        Assert.Equal("ok", scheduler["state"]!.GetValue<string>());
        Assert.True(host.Services.GetRequiredService<SchedulerIdentity>().Owns(scheduler["server"]!.GetValue<string>()));
        Assert.InRange(scheduler["heartbeatAgeSeconds"]!.GetValue<double>(), 0, 60);
        Assert.Equal(1200, scheduler["limitSeconds"]!.GetValue<double>());
        var backlog = ready["backlog"]!;
        Assert.Equal(2, backlog["inboxPending"]!.GetValue<long>());
        Assert.Equal(3, backlog["outboxPending"]!.GetValue<long>());
        Assert.Equal(1, backlog["deadInbox"]!.GetValue<long>());
        Assert.Equal(2, backlog["deadOutbox"]!.GetValue<long>());
        Assert.Equal("ready; dead items: 1 inbox, 2 outbox (see /admin/dead-letters)", ready["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task StaleHeartbeat_Answers503_NamingTheScheduler_AndStillReportsTheBacklog()
    {
        await using var host = await TestHost.StartAsync(SlowHeartbeat);
        await host.WaitReadyAsync();
        var name = host.Services.GetRequiredService<SchedulerIdentity>().ServerName.ToLowerInvariant();
        Assert.Equal(1, await ExecuteAsync(host, $"UPDATE hangfire.server SET lastheartbeat = lastheartbeat - interval '1 hour' WHERE id LIKE '{name}:%'"));

        using var response = await host.Client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("Hangfire server last beat", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Scheduling:HeartbeatTimeout", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("heartbeat stale", problem["scheduler"]!["state"]!.GetValue<string>());
        Assert.True(problem["scheduler"]!["heartbeatAgeSeconds"]!.GetValue<double>() > 3600);
        Assert.Equal(0, problem["backlog"]!["outboxPending"]!.GetValue<long>());
        // /healthz (liveness) is unaffected: restarting the pod is not what a stale scheduler needs first.
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task ServerNotRegistered_Answers503()
    {
        await using var host = await TestHost.StartAsync(SlowHeartbeat);
        await host.WaitReadyAsync();
        var name = host.Services.GetRequiredService<SchedulerIdentity>().ServerName.ToLowerInvariant();
        Assert.Equal(1, await ExecuteAsync(host, $"DELETE FROM hangfire.server WHERE id LIKE '{name}:%'"));

        using var response = await host.Client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("not registered", problem["scheduler"]!["state"]!.GetValue<string>());
        Assert.Contains("not registered", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherReplicasStaleServer_DoesNotMakeThisOneUnready()
    {
        await using var host = await TestHost.StartAsync(SlowHeartbeat);
        await host.WaitReadyAsync();
        await ExecuteAsync(host, """
            INSERT INTO hangfire.server (id, data, lastheartbeat) VALUES ('other-replica-0000:1f0e', '{"WorkerCount":8,"Queues":["default"],"StartedAt":"2026-01-01T00:00:00Z"}', now() - interval '1 day')
            """);

        var ready = await host.WaitReadyAsync(TimeSpan.FromSeconds(2));

        Assert.Equal("ok", ready["scheduler"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReplicaWithoutAJobServer_IsReady_AndSaysSo()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Scheduling:Enabled"] = "false" });

        var ready = await host.WaitReadyAsync();

        Assert.Equal("not run on this replica", ready["scheduler"]!["state"]!.GetValue<string>());
    }

    private static async Task<int> ExecuteAsync(TestHost host, string sql)
    {
        await using var conn = new NpgsqlConnection(host.Database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteNonQueryAsync();
    }
}
