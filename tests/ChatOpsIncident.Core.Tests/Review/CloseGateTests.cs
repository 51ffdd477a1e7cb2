using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.Core.Tests.Review;

public sealed class CloseGateTests : DatabaseTest
{
    private static readonly UserRef Alice = new("U0ALICE", "alice");
    private static readonly UserRef Bob = new("U0BOB", "bob");

    private async Task<ReviewHarness> ResolvedAsync()
    {
        var h = new ReviewHarness(Db);
        await h.DeclareAsync(Alice, "declare sev3 Search latency");
        await h.RunAsync(Alice, "resolve --force checked by hand");
        return h;
    }

    [Fact]
    public async Task Close_BeforeResolve_IsRefused()
    {
        var h = new ReviewHarness(Db);
        await h.DeclareAsync(Alice, "declare sev3 Search latency");

        var result = await h.RunAsync(Alice, "close");

        Assert.True(result.Refused);
        Assert.Contains("Resolve INC-1 before closing", result.Reply!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Close_WithCriticalActionsLackingOwnerOrDue_IsRefused_ListingExactlyThose()
    {
        var h = await ResolvedAsync();
        await h.RunAsync(Alice, "action Add a canary stage critical");
        await h.RunAsync(Alice, "action Alert on p99 <@U0BOB|bob> critical");
        await h.RunAsync(Alice, "action Fix the retry storm <@U0BOB|bob> due:2026-04-01 critical");
        await h.RunAsync(Alice, "action Write the runbook high");
        var before = await h.RecordAsync();

        var result = await h.RunAsync(Alice, "close");

        Assert.True(result.Refused);
        var lines = result.Reply!.Text.Split('\n');
        Assert.Equal("Critical actions need an owner and a due date before closing:", lines[0]);
        Assert.Equal(
            ["Action 1 (critical) has no owner and no due date: `/incident action 1 @someone due:YYYY-MM-DD` — Add a canary stage", "Action 2 (critical) has no due date: `/incident action 2 due:YYYY-MM-DD` — Alert on p99"],
            lines[1..]);
        var after = await h.RecordAsync();
        Assert.Equal(IncidentStatus.Resolved, after.Incident.Status);
        Assert.Equal(before.Incident.Version, after.Incident.Version);
    }

    [Fact]
    public async Task Close_WhenCriticalActionsAreOwnedAndDatedOrDone_Closes_AndIsAudited()
    {
        var h = await ResolvedAsync();
        await h.RunAsync(Alice, "action Add a canary stage critical");
        await h.RunAsync(Alice, "action Fix the retry storm <@U0BOB|bob> due:2026-04-01 critical");
        await h.RunAsync(Alice, "action Write the runbook high");
        await h.RunAsync(Bob, "done 1");

        var result = await h.RunAsync(Bob, "close");

        var r = await h.RecordAsync();
        Assert.False(result.Refused);
        Assert.Equal(IncidentStatus.Closed, r.Incident.Status);
        Assert.Equal(h.Time.GetUtcNow(), r.Incident.ClosedAt);
        Assert.Contains(r.Audit, a => a.Field == "status" && a.OldValue == "resolved" && a.NewValue == "closed" && a.Actor == Bob.Id);
        Assert.Contains(r.Audit, a => a.Field == "action:1" && a.OldValue == "open" && a.NewValue == "done");
    }

    [Fact]
    public async Task AfterClose_CriticalActionNeedsOwnerAndDue_OthersAreAccepted()
    {
        var h = await ResolvedAsync();
        await h.RunAsync(Alice, "close");

        var refused = await h.RunAsync(Alice, "action Rotate the keys critical");
        var accepted = await h.RunAsync(Alice, "action Rotate the keys <@U0BOB|bob> due:2026-04-01 critical");
        var normal = await h.RunAsync(Alice, "action Tidy the dashboards");

        Assert.True(refused.Refused);
        Assert.False(accepted.Refused);
        Assert.False(normal.Refused);
        Assert.Equal(2, (await h.RecordAsync()).Actions.Count);
    }

    [Fact]
    public async Task Done_UnknownOrAlreadyDoneAction_IsRefused()
    {
        var h = await ResolvedAsync();
        await h.RunAsync(Alice, "action Add a canary stage");
        await h.RunAsync(Alice, "done 1");

        var again = await h.RunAsync(Alice, "done 1");
        var unknown = await h.RunAsync(Alice, "done 7");

        Assert.True(again.Refused);
        Assert.True(unknown.Refused);
        Assert.Contains("no action #7", unknown.Reply!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Close_Twice_SecondIsRefused()
    {
        var h = await ResolvedAsync();
        await h.RunAsync(Alice, "close");

        var again = await h.RunAsync(Alice, "close");

        Assert.True(again.Refused);
        Assert.Contains("already closed", again.Reply!.Text, StringComparison.Ordinal);
    }
}
