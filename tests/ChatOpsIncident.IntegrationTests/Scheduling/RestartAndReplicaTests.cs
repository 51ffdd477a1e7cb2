using ChatOpsIncident.Core.Cadence;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using static ChatOpsIncident.IntegrationTests.Scheduling.SchedulingHarness;

namespace ChatOpsIncident.IntegrationTests.Scheduling;

/// <summary>State lives in PostgreSQL: a restart loses nothing, two replicas post each reminder once.</summary>
public sealed class RestartAndReplicaTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task Restart_BetweenReminderAndEscalation_LosesNothing_RepeatsNothing()
    {
        // A grace of a whole cadence (6 s) leaves room to stop one host and start the next between the two.
        var slowGrace = new Dictionary<string, string?> { ["Incident:EscalationGraceFraction"] = "1" };
        var first = new RecordingChatPlatform("slack");
        var host = Start(_db, first, cadenceSeconds: 6, extra: slowGrace);
        Incident incident;
        try
        {
            incident = await DeclareAsync(host, "Queue backlog", "d-restart");
            await RecordingChatPlatform.WaitUntilAsync(() => first.Reminders(incident.ChannelId!).Any(), TimeSpan.FromSeconds(20), "reminder before the restart");
        }
        finally
        {
            await host.DisposeAsync();
        }

        Assert.Empty(first.Escalations(incident.ChannelId!));
        var second = new RecordingChatPlatform("slack");
        await using var restarted = Start(_db, second, cadenceSeconds: 6, extra: slowGrace);
        await RecordingChatPlatform.WaitUntilAsync(() => second.Escalations(incident.ChannelId!).Any(), TimeSpan.FromSeconds(30), "escalation after the restart");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(first.Reminders(incident.ChannelId!).Concat(second.Reminders(incident.ChannelId!)));
        Assert.Single(first.Escalations(incident.ChannelId!).Concat(second.Escalations(incident.ChannelId!)));
    }

    [Fact]
    public async Task Restart_BeforeTheDueTime_ReminderStillPosted()
    {
        // On the default (60 s) lease: the stopped host gives back what it still held (its kickoff, mid-send), so the
        // channel is free for the restarted host at once rather than after the lease.
        var first = new RecordingChatPlatform("slack");
        var host = Start(_db, first, cadenceSeconds: 5);
        var incident = await DeclareAsync(host, "Cache stampede", "d-restart-early");
        await host.DisposeAsync();

        var second = new RecordingChatPlatform("slack");
        await using var restarted = Start(_db, second, cadenceSeconds: 5);
        await RecordingChatPlatform.WaitUntilAsync(() => second.Reminders(incident.ChannelId!).Any(), TimeSpan.FromSeconds(30), "reminder after the restart");
        Assert.Empty(first.Reminders(incident.ChannelId!));
    }

    [Fact]
    public async Task TwoHosts_OneDatabase_ExactlyOneReminderAndEscalationPerDueTime()
    {
        var chatA = new RecordingChatPlatform("slack");
        var chatB = new RecordingChatPlatform("slack");
        await using var hostA = Start(_db, chatA, cadenceSeconds: 4);
        await using var hostB = Start(_db, chatB, cadenceSeconds: 4);

        var incidents = new List<Incident>();
        for (var n = 0; n < 6; n++)
        {
            incidents.Add(await DeclareAsync(hostA, $"Shared outage {n}", $"d-two-{n}"));
        }

        // Besides the Hangfire jobs, both replicas hammer the due work at the same instants: the store must still post once.
        using var stop = new CancellationTokenSource();
        var racers = new[] { hostA, hostB }.Select(h => Task.Run(async () =>
        {
            var cadence = h.Services.GetRequiredService<CadenceService>();
            while (!stop.IsCancellationRequested)
            {
                await cadence.RunDueAsync(CancellationToken.None);
                await Task.Delay(20);
            }
        })).ToList();

        bool AllEscalated() => incidents.All(i => chatA.Escalations(i.ChannelId!).Concat(chatB.Escalations(i.ChannelId!)).Any());
        await RecordingChatPlatform.WaitUntilAsync(AllEscalated, TimeSpan.FromSeconds(30), "every incident escalated");
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await Task.WhenAll(racers);

        foreach (var i in incidents)
        {
            Assert.Single(chatA.Reminders(i.ChannelId!).Concat(chatB.Reminders(i.ChannelId!)));
            Assert.Single(chatA.Escalations(i.ChannelId!).Concat(chatB.Escalations(i.ChannelId!)));
        }

        Assert.Equal(incidents.Count, chatA.Pages.Count(p => p.Contains("overdue", StringComparison.Ordinal)) + chatB.Pages.Count(p => p.Contains("overdue", StringComparison.Ordinal)));
        Assert.Equal(incidents.Count, await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.outbox WHERE key LIKE 'remind:%'"));
    }
}
