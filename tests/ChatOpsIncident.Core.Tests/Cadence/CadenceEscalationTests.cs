using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.TestSupport;
using static ChatOpsIncident.Core.Tests.Cadence.CadenceWorld;

namespace ChatOpsIncident.Core.Tests.Cadence;

/// <summary>Escalation that keeps going: repeats with a direct message each time, pages at the configured misses, stops with an update.</summary>
public sealed class CadenceEscalationTests : DatabaseTest
{
    private static readonly TimeSpan Sev2Cadence = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan Sev2Grace = TimeSpan.FromMinutes(15);

    private static List<OutboxMessage> Posts(IEnumerable<OutboxMessage> m) => m.Where(x => x.Operation == OutboxOperations.Post && x.ChannelId != "CFEED").ToList();

    private static List<OutboxMessage> Dms(IEnumerable<OutboxMessage> m) => m.Where(x => x.Operation == OutboxOperations.DirectMessage).ToList();

    private static List<OutboxMessage> Pages(IEnumerable<OutboxMessage> m) => m.Where(x => x.Operation == OutboxOperations.Page).ToList();

    [Fact]
    public async Task NoUpdate_EscalatesAgainEveryCadence_WithADirectMessageEachTime_PagesAtTheThirdMiss_StopsAfterAnUpdate()
    {
        var w = new CadenceWorld(Db, o =>
        {
            var sev2 = o.FindSeverity("SEV2")!;
            sev2.Page = false;
            sev2.PageAfterMisses = [3];
        });
        var incident = await w.DeclareAsync("SEV2", by: Alice);
        await w.RunAsync(incident, new AssignRole(RoleKeys.Commander, Carol), Alice);
        var due = incident.NextUpdateDue!.Value;

        w.Time.Advance(Sev2Cadence + Sev2Grace);
        await w.RunDueAsync();
        Assert.Single(Posts(await w.EscalationsAsync()));
        var dm = Assert.Single(Dms(await w.EscalationsAsync()));
        Assert.Equal(Carol, Assert.Single(dm.Users));
        Assert.Equal(incident.ChannelId, dm.ChannelId);
        Assert.Contains("Incident Commander", dm.Message!.Text, StringComparison.Ordinal);
        Assert.Empty(Pages(await w.EscalationsAsync()));

        // Just before the repeat: nothing more, however often the scheduler runs.
        w.Time.Advance(Sev2Cadence - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, await w.RunDueAsync());
        Assert.Equal(0, await w.RunDueAsync());
        Assert.Single(Posts(await w.EscalationsAsync()));

        w.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await w.RunDueAsync());
        Assert.Equal(0, await w.RunDueAsync());
        var second = Assert.Single(Posts(await w.EscalationsAsync()), m => m.Key == $"escalate:{incident.Id}:{due.ToUnixTimeMilliseconds()}:2");
        Assert.Contains(Carol.Mention, second.Message!.Text, StringComparison.Ordinal);
        Assert.Equal(2, Dms(await w.EscalationsAsync()).Count);
        Assert.Empty(Pages(await w.EscalationsAsync()));

        w.Time.Advance(Sev2Cadence);
        await w.RunDueAsync();
        Assert.Equal(3, Posts(await w.EscalationsAsync()).Count);
        var page = Assert.Single(Pages(await w.EscalationsAsync()));
        Assert.Equal($"escalate:{incident.Id}:{due.ToUnixTimeMilliseconds()}:page:3", page.Key);
        Assert.Equal(PageRoutes.Severity("SEV2"), page.TargetKey);

        // An update moves the due time: the old run of escalations ends.
        await w.RunAsync(incident, new PostStatusUpdate(IncidentStatus.Identified, "Found it"), Carol);
        w.Time.Advance(Sev2Cadence - TimeSpan.FromMinutes(1));
        await w.RunDueAsync();
        Assert.Equal(3, Posts(await w.EscalationsAsync()).Count);
        Assert.Equal(3, Dms(await w.EscalationsAsync()).Count);
        var record = await w.Store.GetAsync(incident.Id, CancellationToken.None);
        Assert.Equal(3, record!.Timeline.Count(e => e.Kind == TimelineKinds.Escalation));
    }

    [Fact]
    public async Task EscalationRepeat_Configured_OverridesTheCadence_ALongOutagePostsOneEscalationForTheCurrentCount()
    {
        var w = new CadenceWorld(Db, o => o.EscalationRepeat = TimeSpan.FromMinutes(10));
        var incident = await w.DeclareAsync("SEV2");
        var due = incident.NextUpdateDue!.Value.ToUnixTimeMilliseconds();
        w.Time.Advance(Sev2Cadence + Sev2Grace);
        await w.RunDueAsync();
        w.Time.Advance(TimeSpan.FromMinutes(10));
        await w.RunDueAsync();
        Assert.Contains(await w.EscalationsAsync(), m => m.Key == $"escalate:{incident.Id}:{due}:2");

        // The scheduler was down for 45 minutes: one escalation (the 6th miss), not four.
        w.Time.Advance(TimeSpan.FromMinutes(45));
        Assert.Equal(1, await w.RunDueAsync());
        Assert.Equal(0, await w.RunDueAsync());
        Assert.Equal(3, Posts(await w.EscalationsAsync()).Count);
        Assert.Contains(await w.EscalationsAsync(), m => m.Key == $"escalate:{incident.Id}:{due}:6");
        // The feed hears of the first escalation only.
        Assert.Single(await w.EscalationsAsync(), m => m.ChannelId == "CFEED");
    }

    [Fact]
    public async Task RemindByDirectMessage_TheCommsLeadAlsoGetsTheReminderPrivately_OncePerDueTime()
    {
        var w = new CadenceWorld(Db, o => o.RemindByDirectMessage = true);
        var incident = await w.DeclareAsync("SEV2");
        await w.RunAsync(incident, new AssignRole(RoleKeys.Comms, Bob));
        w.Time.Advance(Sev2Cadence);
        await w.RunDueAsync();
        await w.RunDueAsync();
        var dm = Assert.Single(await w.RemindersAsync(), m => m.Operation == OutboxOperations.DirectMessage);
        Assert.Equal(Bob, Assert.Single(dm.Users));
        Assert.Single(await w.RemindersAsync(), m => m.Operation == OutboxOperations.Post);
    }

    [Fact]
    public async Task RemindByDirectMessage_Off_NoReminderDm()
    {
        var w = new CadenceWorld(Db);
        var incident = await w.DeclareAsync("SEV2");
        await w.RunAsync(incident, new AssignRole(RoleKeys.Comms, Bob));
        w.Time.Advance(Sev2Cadence);
        await w.RunDueAsync();
        Assert.Single(await w.RemindersAsync());
        Assert.DoesNotContain(await w.RemindersAsync(), m => m.Operation == OutboxOperations.DirectMessage);
    }

    [Fact]
    public async Task DueTimes_AfterAnEscalation_ReportTheNextRepeat()
    {
        var w = new CadenceWorld(Db);
        var incident = await w.DeclareAsync("SEV2");
        w.Time.Advance(Sev2Cadence + Sev2Grace);
        await w.RunDueAsync();
        var now = w.Time.GetUtcNow();
        Assert.Equal(incident.NextUpdateDue!.Value + Sev2Grace + Sev2Cadence, await w.Cadence.NextDueAsync(now + TimeSpan.FromHours(1), CancellationToken.None));
    }
}
