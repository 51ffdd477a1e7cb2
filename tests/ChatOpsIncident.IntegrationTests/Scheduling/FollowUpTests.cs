using ChatOpsIncident.Core.Cadence;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Host.Scheduling;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using static ChatOpsIncident.IntegrationTests.Scheduling.SchedulingHarness;

namespace ChatOpsIncident.IntegrationTests.Scheduling;

/// <summary>Nudges, follow-up reminders and durable stakeholder fan-out against real PostgreSQL.</summary>
public sealed class FollowUpTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task RoleNudge_PostedOnce_WithClaimButtons()
    {
        var chat = new RecordingChatPlatform("slack");
        await using var host = Start(_db, chat, extra: new Dictionary<string, string?> { ["Incident:RoleNudgeAfter"] = "00:00:02" });
        var incident = await DeclareAsync(host, "Payments down", "d-nudge", severity: "SEV2");
        bool IsNudge(Core.Chat.ChatMessage m) => m.Title?.StartsWith("👥", StringComparison.Ordinal) == true;
        await WaitOrDumpAsync(_db, () => chat.PostsTo(incident.ChannelId!).Any(IsNudge), TimeSpan.FromSeconds(20), "nudge");
        var nudge = chat.PostsTo(incident.ChannelId!).Single(IsNudge);
        Assert.Equal(["comms", "ops"], nudge.Actions.Select(a => a.Value.Split('|')[1]));
        await host.Services.GetRequiredService<CadenceService>().RunDueAsync(CancellationToken.None);
        await Task.Delay(500);
        Assert.Single(chat.PostsTo(incident.ChannelId!), IsNudge);
    }

    [Fact]
    public async Task Sweep_RemindsOverdueActionOwners_OncePerInterval_AfterClose()
    {
        var chat = new RecordingChatPlatform("slack");
        await using var host = Start(_db, chat, cadenceSeconds: 3600);
        var incident = await DeclareAsync(host, "Old outage", "d-actions");
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        await RunAsync(host, incident, new AddAction("Add alerting on queue depth", Bob, yesterday, ActionPriority.High), "d-actions-1");
        await RunAsync(host, incident, new Resolve("done", Force: true, ForceReason: "test"), "d-actions-2");
        await RunAsync(host, incident, new Close(), "d-actions-3");

        var jobs = host.Services.GetRequiredService<CadenceJobs>();
        await jobs.SweepAsync(CancellationToken.None);
        await jobs.SweepAsync(CancellationToken.None);
        bool IsActionReminder(Core.Chat.ChatMessage m) => m.Title?.StartsWith("📝 Follow-up overdue", StringComparison.Ordinal) == true;
        await RecordingChatPlatform.WaitUntilAsync(() => chat.PostsTo(incident.ChannelId!).Any(IsActionReminder), TimeSpan.FromSeconds(10), "action reminder");
        await Task.Delay(500);
        var reminder = chat.PostsTo(incident.ChannelId!).Single(IsActionReminder);
        Assert.StartsWith(Bob.Mention, reminder.Text, StringComparison.Ordinal);
        Assert.True(await _db.ScalarAsync<bool>("SELECT last_reminded_at IS NOT NULL FROM chatops.actions WHERE incident_id = @id", ("id", incident.Id)));
    }

    [Fact]
    public async Task StakeholderFanOut_FailedPostIsRetried_EachChannelGetsExactlyOne()
    {
        var chat = new RecordingChatPlatform("slack");
        await using var host = Start(_db, chat, cadenceSeconds: 3600, extra: new Dictionary<string, string?>
        {
            ["Incident:Severities:3:Stakeholders:0"] = "CEXEC",
            ["Incident:Severities:3:Stakeholders:1"] = "CSUPPORT",
            // Only updates, so each channel's one post is the update under test (declarations are heard by default).
            ["Incident:Severities:3:NotifyStakeholdersOn:0"] = "update",
        });
        var incident = await DeclareAsync(host, "Search degraded", "d-fanout");
        await RecordingChatPlatform.WaitUntilAsync(() => chat.PostsTo(incident.ChannelId!).Any(), TimeSpan.FromSeconds(10), "kickoff");
        await RecordingChatPlatform.WaitUntilAsync(() => _db.ScalarAsync<long>("SELECT count(*) FROM chatops.outbox WHERE status = 'pending'").Result == 0, TimeSpan.FromSeconds(10));

        chat.PostFailure = new HttpRequestException("Slack is having a moment");
        var update = new PostStatusUpdate(IncidentStatus.Monitoring, "Fix deployed, watching error rates");
        await RunAsync(host, incident, update, "d-fanout-update", Bob);
        // The same delivery again (a platform retry): nothing new is queued.
        await RunAsync(host, incident, update, "d-fanout-update", Bob);

        await RecordingChatPlatform.WaitUntilAsync(() => chat.PostsTo("CEXEC").Any() && chat.PostsTo("CSUPPORT").Any()
            && chat.PostsTo(incident.ChannelId!).Any(m => m.Title?.StartsWith("📣", StringComparison.Ordinal) == true), TimeSpan.FromSeconds(20), "fan-out after the retry");
        await Task.Delay(1000);
        Assert.Single(chat.PostsTo("CEXEC"));
        Assert.Single(chat.PostsTo("CSUPPORT"));
        Assert.Single(chat.PostsTo(incident.ChannelId!), m => m.Title?.StartsWith("📣", StringComparison.Ordinal) == true);
        // Every claim counts as an attempt, so a delivered item has 1 and only the one that failed once has more.
        Assert.Equal(1, await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.outbox WHERE attempts > 1 AND key LIKE 'cmd:slack:d-fanout-update:%'"));
        Assert.Equal("monitoring", chat.PostsTo("CEXEC").Single().Fields.Single(f => f.Label == "Status").Value);
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00.000Z", 5, "2026-01-01T00:00:00.000Z")]
    [InlineData("2026-01-01T00:00:00.001Z", 5, "2026-01-01T00:00:05.000Z")]
    [InlineData("2026-01-01T00:00:04.999Z", 5, "2026-01-01T00:00:05.000Z")]
    [InlineData("2026-01-01T00:00:05.0000001Z", 5, "2026-01-01T00:00:10.000Z")]
    public void WindowEnd_RoundsUpToTheWindowBoundary(string at, int seconds, string end) =>
        Assert.Equal(DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture),
            CadenceWindowPlanner.WindowEnd(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(seconds)));
}
