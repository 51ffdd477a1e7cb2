using ChatOpsIncident.Core.Cadence;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.TestSupport;
using static ChatOpsIncident.Core.Tests.Cadence.CadenceWorld;

namespace ChatOpsIncident.Core.Tests.Cadence;

/// <summary>Role nudges, stale reminders, follow-up reminders and the policy's arithmetic.</summary>
public sealed class CadencePolicyTests : DatabaseTest
{
    [Fact]
    public void Grace_IsHalfTheCadenceByDefault_RoundedToMilliseconds()
    {
        var policy = new CadencePolicy(TestOptions.Create(), new ChatPlatforms([]));
        Assert.Equal(TimeSpan.FromMinutes(7.5), policy.Grace("SEV1"));
        Assert.Equal(TimeSpan.FromHours(2), policy.Grace("SEV4"));
        // A severity renamed in configuration after the incident was declared falls back to the default severity.
        Assert.Equal(TimeSpan.FromHours(2), policy.Grace("SEV9"));
        var odd = new CadencePolicy(TestOptions.Create(o => o.EscalationGraceFraction = 1.0 / 3), new ChatPlatforms([]));
        Assert.Equal(0, odd.Grace("SEV1").Ticks % TimeSpan.TicksPerMillisecond);
    }

    [Fact]
    public void Query_NowIsMicrosecondPrecise_LikePostgreSql()
    {
        var policy = new CadencePolicy(TestOptions.Create(), new ChatPlatforms([]));
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1234567);
        Assert.Equal(now.AddTicks(-7), policy.Query(now).Now);
    }

    [Fact]
    public async Task RoleNudge_OnceAfterTheDelay_ClaimButtonsForUnfilledRolesOnly()
    {
        var w = new CadenceWorld(Db, o => o.RoleNudgeAfter = TimeSpan.FromMinutes(5));
        var incident = await w.DeclareAsync("SEV2", by: Bob);
        await w.RunAsync(incident, new AssignRole(RoleKeys.Commander, Carol), Bob);
        await w.RunAsync(incident, new AssignRole(RoleKeys.Ops, Alice), Bob);

        w.Time.Advance(TimeSpan.FromMinutes(4));
        await w.RunDueAsync();
        Assert.Empty(await w.OutboxAsync("nudge:"));

        w.Time.Advance(TimeSpan.FromMinutes(1));
        await w.RunDueAsync();
        var nudge = Assert.Single(await w.OutboxAsync("nudge:")).Message!;
        Assert.Contains(Carol.Mention, nudge.Text, StringComparison.Ordinal);
        Assert.Contains(Bob.Mention, nudge.Text, StringComparison.Ordinal);
        var claim = Assert.Single(nudge.Actions);
        Assert.Equal(ChatActions.ClaimRole, claim.ActionId);
        Assert.Equal($"{incident.Id}|{RoleKeys.Comms}", claim.Value);

        w.Time.Advance(TimeSpan.FromMinutes(30));
        await w.RunDueAsync();
        Assert.Single(await w.OutboxAsync("nudge:"));
    }

    [Fact]
    public async Task RoleNudge_AllRolesFilled_NothingPosted_CheckedOnce()
    {
        var w = new CadenceWorld(Db, o => o.RoleNudgeAfter = TimeSpan.FromMinutes(5));
        var incident = await w.DeclareAsync("SEV3");
        w.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, await w.RunDueAsync());
        Assert.Empty(await w.OutboxAsync("nudge:"));
        Assert.Equal(w.Time.GetUtcNow(), await w.NudgedAtAsync(incident.Id));
        Assert.Equal(0, await w.RunDueAsync());
    }

    [Fact]
    public async Task Stale_OncePerPeriod_MentionsCommander_WithResolveButton()
    {
        var w = new CadenceWorld(Db, o => o.StaleAfter = TimeSpan.FromDays(3));
        var incident = await w.DeclareAsync("SEV4");
        var updatesEvery4h = TimeSpan.FromHours(4);
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromDays(7); elapsed += updatesEvery4h)
        {
            // Keep the update cadence happy so only stale reminders matter.
            await w.RunAsync(incident, new PostStatusUpdate(null, "still on it"));
            w.Time.Advance(updatesEvery4h);
            await w.RunDueAsync();
        }

        var stale = (await w.OutboxAsync("stale:")).ToList();
        Assert.Equal([$"stale:{incident.Id}:1", $"stale:{incident.Id}:2"], stale.Select(s => s.Key));
        Assert.StartsWith(Alice.Mention, stale[0].Message!.Text, StringComparison.Ordinal);
        Assert.Contains(stale[0].Message!.Actions, a => a.ActionId == ChatActions.Resolve);
    }

    [Fact]
    public async Task OverdueActions_RemindedToOwnerDaily_AlsoAfterClose_UntilDone()
    {
        var w = new CadenceWorld(Db);
        var incident = await w.DeclareAsync("SEV3");
        var today = DateOnly.FromDateTime(w.Time.GetUtcNow().UtcDateTime);
        await w.RunAsync(incident, new AddAction("Add a canary stage", Bob, today.AddDays(1), ActionPriority.High));
        await w.RunAsync(incident, new AddAction("Write the runbook", null, today.AddDays(1), ActionPriority.Normal));
        await w.RunAsync(incident, new Resolve("fixed", Force: true, ForceReason: "test"));
        await w.RunAsync(incident, new Close());

        Assert.Equal(0, await w.Cadence.RemindOverdueActionsAsync(CancellationToken.None));
        w.Time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(2, await w.Cadence.RemindOverdueActionsAsync(CancellationToken.None));
        var reminders = (await w.OutboxAsync("action:")).ToList();
        Assert.StartsWith(Bob.Mention, reminders.Single(r => r.Key.Contains(":1:", StringComparison.Ordinal)).Message!.Text, StringComparison.Ordinal);
        Assert.StartsWith(Alice.Mention, reminders.Single(r => r.Key.Contains(":2:", StringComparison.Ordinal)).Message!.Text, StringComparison.Ordinal);

        w.Time.Advance(TimeSpan.FromHours(12));
        Assert.Equal(0, await w.Cadence.RemindOverdueActionsAsync(CancellationToken.None));
        await w.RunAsync(incident, new CompleteAction(1), Bob);
        w.Time.Advance(TimeSpan.FromHours(12));
        Assert.Equal(1, await w.Cadence.RemindOverdueActionsAsync(CancellationToken.None));
        Assert.Equal(3, (await w.OutboxAsync("action:")).Count());
    }

    [Fact]
    public void Decide_AChangedCandidateTwice_SecondDecisionIsEmpty()
    {
        var options = TestOptions.Create();
        var policy = new CadencePolicy(options, new ChatPlatforms([new RecordingChatPlatform()]));
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var incident = new Incident
        {
            Id = Guid.NewGuid(), Number = 7, Title = "x", Severity = "SEV2", Type = "other", Status = IncidentStatus.Monitoring,
            Platform = "slack", ChannelId = "C7", DeclaredBy = Alice, DeclaredAt = now - TimeSpan.FromHours(2), NextUpdateDue = now - TimeSpan.FromHours(1),
        };
        var first = policy.Decide(new CadenceCandidate(incident, [], new CadenceState()), now);
        Assert.Equal(CadenceDue.Reminder | CadenceDue.Escalation | CadenceDue.Nudge, first.Done);
        var second = policy.Decide(new CadenceCandidate(incident, [], first.State), now);
        Assert.Equal(CadenceDue.None, second.Done);
        Assert.Empty(second.Outbox);
    }

    [Fact]
    public void Decide_WithoutAChannel_OrResolved_DoesNothing()
    {
        var policy = new CadencePolicy(TestOptions.Create(), new ChatPlatforms([]));
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var noChannel = new Incident { Id = Guid.NewGuid(), Title = "x", Severity = "SEV2", Type = "other", Platform = "slack", DeclaredBy = Alice, DeclaredAt = now.AddHours(-2), NextUpdateDue = now.AddHours(-1) };
        var resolved = new Incident { Id = Guid.NewGuid(), Title = "x", Severity = "SEV2", Type = "other", Platform = "slack", ChannelId = "C1", Status = IncidentStatus.Resolved, DeclaredBy = Alice, DeclaredAt = now.AddHours(-2), NextUpdateDue = now.AddHours(-1) };
        Assert.Equal(CadenceDue.None, policy.Decide(new CadenceCandidate(noChannel, [], new CadenceState()), now).Done);
        Assert.Equal(CadenceDue.None, policy.Decide(new CadenceCandidate(resolved, [], new CadenceState()), now).Done);
    }
}
