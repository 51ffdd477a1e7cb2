using ChatOpsIncident.Core.Cadence;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.TestSupport;
using static ChatOpsIncident.Core.Tests.Cadence.CadenceWorld;

namespace ChatOpsIncident.Core.Tests.Cadence;

/// <summary>The cadence end to end on a fake clock: declare, remind, escalate, reset, recompute, stop, snooze.</summary>
public sealed class CadenceFlowTests : DatabaseTest
{
    private static readonly TimeSpan Sev2Cadence = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan Sev2Grace = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task Declare_DueIsDeclarationPlusCadence_RemindsAtDue_NotBefore()
    {
        var w = new CadenceWorld(Db);
        var declaredAt = w.Time.GetUtcNow();
        var incident = await w.DeclareAsync("SEV2");
        Assert.Equal(declaredAt + Sev2Cadence, incident.NextUpdateDue);
        await w.RunAsync(incident, new AssignRole(RoleKeys.Comms, Bob));

        w.Time.Advance(Sev2Cadence - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, await w.RunDueAsync());
        Assert.Empty(await w.RemindersAsync());

        w.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await w.RunDueAsync());
        var reminder = Assert.Single(await w.RemindersAsync());
        Assert.Equal($"remind:{incident.Id}:{incident.NextUpdateDue!.Value.ToUnixTimeMilliseconds()}", reminder.Key);
        Assert.Equal(incident.ChannelId, reminder.ChannelId);
        Assert.StartsWith(Bob.Mention, reminder.Message!.Text, StringComparison.Ordinal);
        Assert.Contains(reminder.Message.Actions, a => a.ActionId == ChatActions.OpenUpdateForm && a.Value == incident.Id.ToString());
        Assert.Equal(["10", "30", "60"], reminder.Message.Actions.Where(a => a.ActionId == ChatActions.Snooze).Select(a => a.Value.Split('|')[1]));

        // Running again at the same instant, or later within the grace, posts nothing new.
        Assert.Equal(0, await w.RunDueAsync());
        w.Time.Advance(Sev2Grace - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, await w.RunDueAsync());
        Assert.Single(await w.RemindersAsync());
        Assert.Empty(await w.EscalationsAsync());
    }

    [Fact]
    public async Task Escalation_AfterGrace_MentionsCommander_PostsToFeed_Pages()
    {
        var w = new CadenceWorld(Db);
        var incident = await w.DeclareAsync("SEV2");
        w.Time.Advance(Sev2Cadence);
        await w.RunDueAsync();
        w.Time.Advance(Sev2Grace);
        Assert.Equal(1, await w.RunDueAsync());

        var due = incident.NextUpdateDue!.Value.ToUnixTimeMilliseconds();
        var inChannel = Assert.Single(await w.EscalationsAsync(), m => m.Key == $"escalate:{incident.Id}:{due}");
        Assert.Equal(incident.ChannelId, inChannel.ChannelId);
        Assert.StartsWith(Alice.Mention, inChannel.Message!.Text, StringComparison.Ordinal);
        Assert.Equal(MessageTone.Danger, inChannel.Message.Tone);
        var feed = Assert.Single(await w.EscalationsAsync(), m => m.Key == $"escalate:{incident.Id}:{due}:feed");
        Assert.Equal("CFEED", feed.ChannelId);
        var page = Assert.Single(await w.EscalationsAsync(), m => m.Key == $"escalate:{incident.Id}:{due}:page");
        Assert.Equal(OutboxOperations.Page, page.Operation);
        Assert.Equal(0, await w.RunDueAsync());
        var record = await w.Store.GetAsync(incident.Id, CancellationToken.None);
        Assert.Contains(record!.Timeline, e => e.Kind == TimelineKinds.Escalation);
    }

    [Fact]
    public async Task Escalation_NoPageForNonPagingSeverity_NoFeedForPrivateIncident()
    {
        var w = new CadenceWorld(Db);
        var sev3 = await w.DeclareAsync("SEV3");
        var secret = await w.DeclareAsync("SEV2", type: "security");
        w.Time.Advance(TimeSpan.FromMinutes(90));
        await w.RunDueAsync();

        Assert.Contains(await w.EscalationsAsync(), m => m.IncidentId == sev3.Id && m.ChannelId == "CFEED");
        Assert.DoesNotContain(await w.EscalationsAsync(), m => m.IncidentId == sev3.Id && m.Operation == OutboxOperations.Page);
        Assert.Contains(await w.EscalationsAsync(), m => m.IncidentId == secret.Id && m.Operation == OutboxOperations.Page);
        Assert.DoesNotContain(await w.EscalationsAsync(), m => m.IncidentId == secret.Id && m.ChannelId == "CFEED");
    }

    [Fact]
    public async Task Update_ResetsTheClock_NoReminderAtTheOldDueTime()
    {
        var w = new CadenceWorld(Db);
        var incident = await w.DeclareAsync("SEV2");
        var oldDue = incident.NextUpdateDue!.Value;
        w.Time.Advance(TimeSpan.FromMinutes(20));
        var updated = await w.RunAsync(incident, new PostStatusUpdate(IncidentStatus.Identified, "Bad deploy found"), Bob);
        Assert.Equal(w.Time.GetUtcNow() + Sev2Cadence, updated.NextUpdateDue);

        w.Time.Advance(oldDue - w.Time.GetUtcNow() + TimeSpan.FromMinutes(1));
        Assert.Equal(0, await w.RunDueAsync());
        w.Time.Advance(updated.NextUpdateDue!.Value - w.Time.GetUtcNow());
        await w.RunDueAsync();
        Assert.Equal($"remind:{incident.Id}:{updated.NextUpdateDue.Value.ToUnixTimeMilliseconds()}", Assert.Single(await w.RemindersAsync()).Key);
    }

    [Fact]
    public async Task UpdateWithinGrace_PreventsTheEscalation()
    {
        var w = new CadenceWorld(Db);
        var incident = await w.DeclareAsync("SEV2");
        w.Time.Advance(Sev2Cadence);
        await w.RunDueAsync();
        w.Time.Advance(Sev2Grace / 2);
        await w.RunAsync(incident, new PostStatusUpdate(null, "Still digging"));
        w.Time.Advance(Sev2Grace);
        await w.RunDueAsync();
        Assert.Empty(await w.EscalationsAsync());
    }

    [Fact]
    public async Task SeverityChange_RecomputesFromTheLastUpdate()
    {
        var w = new CadenceWorld(Db);
        var incident = await w.DeclareAsync("SEV4");
        var declaredAt = incident.DeclaredAt;
        Assert.Equal(declaredAt + TimeSpan.FromHours(4), incident.NextUpdateDue);

        w.Time.Advance(TimeSpan.FromMinutes(20));
        var raised = await w.RunAsync(incident, new ChangeSeverity("SEV1"));
        // SEV1's 15 minutes counted from the declaration: already overdue, so the reminder goes out at once.
        Assert.Equal(declaredAt + TimeSpan.FromMinutes(15), raised.NextUpdateDue);
        Assert.Equal(1, await w.RunDueAsync());
        Assert.Single(await w.RemindersAsync());

        var update = await w.RunAsync(incident, new PostStatusUpdate(null, "Mitigating"));
        w.Time.Advance(TimeSpan.FromMinutes(5));
        var lowered = await w.RunAsync(incident, new ChangeSeverity("SEV3"));
        Assert.Equal(update.LastUpdateAt + TimeSpan.FromMinutes(60), lowered.NextUpdateDue);
    }

    [Fact]
    public async Task Resolve_StopsTheCadenceForGood()
    {
        var w = new CadenceWorld(Db);
        var incident = await w.DeclareAsync("SEV2");
        w.Time.Advance(Sev2Cadence);
        await w.RunDueAsync();
        var resolved = await w.RunAsync(incident, new Resolve("Rolled back", Force: true, ForceReason: "test"));
        Assert.Null(resolved.NextUpdateDue);

        w.Time.Advance(TimeSpan.FromDays(10));
        Assert.Equal(0, await w.RunDueAsync());
        Assert.Single(await w.RemindersAsync());
        Assert.Empty(await w.EscalationsAsync());
        Assert.Empty(await w.Cadence.DueTimesAsync(w.Time.GetUtcNow() - TimeSpan.FromDays(30), w.Time.GetUtcNow() + TimeSpan.FromDays(30), 10, CancellationToken.None));
    }

    [Fact]
    public async Task Snooze_PostponesReminderAndEscalation()
    {
        var w = new CadenceWorld(Db);
        var incident = await w.DeclareAsync("SEV2");
        w.Time.Advance(Sev2Cadence);
        await w.RunDueAsync();
        var snoozed = await w.RunAsync(incident, new SnoozeReminder(TimeSpan.FromMinutes(30)), Bob);
        Assert.Equal(w.Time.GetUtcNow() + TimeSpan.FromMinutes(30), snoozed.NextUpdateDue);

        // The old escalation time passes quietly.
        w.Time.Advance(Sev2Grace);
        Assert.Equal(0, await w.RunDueAsync());
        Assert.Empty(await w.EscalationsAsync());

        w.Time.Advance(TimeSpan.FromMinutes(15));
        await w.RunDueAsync();
        Assert.Equal(2, (await w.RemindersAsync()).Count);
        w.Time.Advance(Sev2Grace);
        await w.RunDueAsync();
        Assert.Contains(await w.EscalationsAsync(), m => m.Key == $"escalate:{incident.Id}:{snoozed.NextUpdateDue!.Value.ToUnixTimeMilliseconds()}");
    }

    [Fact]
    public async Task GraceFraction_IsConfigurable()
    {
        var w = new CadenceWorld(Db, o => o.EscalationGraceFraction = 1.0);
        await w.DeclareAsync("SEV2");
        w.Time.Advance(Sev2Cadence + Sev2Grace);
        await w.RunDueAsync();
        Assert.Empty(await w.EscalationsAsync());
        w.Time.Advance(Sev2Grace);
        await w.RunDueAsync();
        Assert.NotEmpty(await w.EscalationsAsync());
    }

    [Fact]
    public async Task NextDue_ReportsReminderEscalationAndNudgeTimes()
    {
        var w = new CadenceWorld(Db, o => o.RoleNudgeAfter = TimeSpan.FromMinutes(5));
        var incident = await w.DeclareAsync("SEV2");
        var now = w.Time.GetUtcNow();
        var times = await w.Cadence.DueTimesAsync(now, now + TimeSpan.FromHours(2), 10, CancellationToken.None);
        Assert.Equal([incident.DeclaredAt + TimeSpan.FromMinutes(5), incident.NextUpdateDue!.Value, incident.NextUpdateDue.Value + Sev2Grace], times);
        Assert.Equal(incident.DeclaredAt + TimeSpan.FromMinutes(5), await w.Cadence.NextDueAsync(now + TimeSpan.FromHours(1), CancellationToken.None));
    }
}
