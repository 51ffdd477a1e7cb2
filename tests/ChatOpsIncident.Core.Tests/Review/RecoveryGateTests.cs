using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.Core.Tests.Review;

public sealed class RecoveryGateTests : DatabaseTest
{
    private static readonly UserRef Alice = new("U0ALICE", "alice");
    private static readonly UserRef Bob = new("U0BOB", "bob");

    private async Task<ReviewHarness> DeclaredAsync()
    {
        var h = new ReviewHarness(Db);
        await h.DeclareAsync(Alice, "declare sev2 Checkout 5xx after deploy");
        return h;
    }

    [Fact]
    public async Task Resolve_WithRecoveryItemsOpen_RefusesWithInteractiveChecklist_AndChangesNothing()
    {
        var h = await DeclaredAsync();
        var before = await h.RecordAsync();

        var result = await h.RunAsync(Alice, "resolve all good");

        var after = await h.RecordAsync();
        Assert.True(result.Refused);
        var checklist = Assert.Single(result.Reply!.Sections, s => s.Checklist is not null).Checklist!;
        Assert.Equal(h.Options.RecoveryChecklist, checklist.Select(c => c.Text));
        Assert.All(checklist, c => Assert.False(c.Done));
        Assert.Equal(Enumerable.Range(0, 5).Select(n => $"{h.Incident.Id}|recovery|{n}"), checklist.Select(c => c.ActionValue));
        Assert.Equal(IncidentStatus.Investigating, after.Incident.Status);
        Assert.Null(after.Incident.ResolvedAt);
        Assert.Equal(before.Incident.Version, after.Incident.Version);
        Assert.Equal(before.Timeline.Count, after.Timeline.Count);
        Assert.Equal(before.Audit.Count, after.Audit.Count);
    }

    [Fact]
    public async Task Resolve_WithSomeItemsTicked_ShowsTickedStateAndNamesOnlyOpenItems()
    {
        var h = await DeclaredAsync();
        await h.ToggleAsync(Bob, "recovery", 0);
        await h.ToggleAsync(Bob, "recovery", 2);

        var result = await h.RunAsync(Alice, "resolve");

        Assert.True(result.Refused);
        var checklist = result.Reply!.Sections.Single(s => s.Checklist is not null).Checklist!;
        Assert.Equal([true, false, true, false, false], checklist.Select(c => c.Done));
        Assert.Equal("<@U0BOB|bob>", checklist[0].DoneBy);
    }

    [Fact]
    public async Task Resolve_AllItemsAnswered_ResolvesRecordsTimesAndOffersTheReview()
    {
        var h = await DeclaredAsync();
        for (var n = 0; n < 5; n++)
        {
            await h.ToggleAsync(Bob, "recovery", n);
        }

        h.Advance(TimeSpan.FromMinutes(42));
        var result = await h.RunAsync(Bob, "resolve Rolled back the deploy");

        var r = await h.RecordAsync();
        Assert.False(result.Refused);
        Assert.Equal(IncidentStatus.Resolved, r.Incident.Status);
        Assert.Equal(h.Time.GetUtcNow(), r.Incident.ResolvedAt);
        Assert.Equal(h.Time.GetUtcNow(), r.Incident.MitigatedAt);
        Assert.Null(r.Incident.NextUpdateDue);
        Assert.Equal("Rolled back the deploy", r.Incident.Summary);
        Assert.Contains(r.Timeline, e => e.Kind == TimelineKinds.Resolved && e.Text == "Resolved: Rolled back the deploy");
        Assert.Contains(r.Audit, a => a.Field == "status" && a.OldValue == "investigating" && a.NewValue == "resolved" && a.Actor == Bob.Id && a.Surface == Surfaces.Slack);
        Assert.DoesNotContain(r.Audit, a => a.Field == "recovery_override");
        var posted = Assert.Single(await h.OutboxAsync(), o => o.Key.EndsWith(":resolved", StringComparison.Ordinal)).Message!;
        Assert.Contains(posted.Links, l => l.Url == $"https://incidents.example.com/incidents/{h.Incident.Id}/postmortem");
    }

    [Fact]
    public async Task Untick_ReopensTheItem_AndResolveIsRefusedAgain()
    {
        var h = await DeclaredAsync();
        for (var n = 0; n < 5; n++)
        {
            await h.ToggleAsync(Bob, "recovery", n);
        }

        await h.ToggleAsync(Bob, "recovery", 3);
        var result = await h.RunAsync(Alice, "resolve");

        Assert.True(result.Refused);
        Assert.Equal([true, true, true, false, true], result.Reply!.Sections.Single(s => s.Checklist is not null).Checklist!.Select(c => c.Done));
        Assert.Equal(IncidentStatus.Investigating, (await h.RecordAsync()).Incident.Status);
    }

    [Fact]
    public async Task ForcedResolve_ByNonCommander_IsRefused_AndChangesNothing()
    {
        var h = await DeclaredAsync();
        var before = await h.RecordAsync();

        var result = await h.RunAsync(Bob, "resolve --force customers are fine");

        Assert.True(result.Refused);
        Assert.Contains("Only the Incident Commander", result.Reply!.Text, StringComparison.Ordinal);
        var after = await h.RecordAsync();
        Assert.Equal(IncidentStatus.Investigating, after.Incident.Status);
        Assert.Equal(before.Audit.Count, after.Audit.Count);
    }

    [Fact]
    public async Task ForcedResolve_ByCommander_RecordsReasonOnTimelineAndAudit()
    {
        var h = await DeclaredAsync();
        await h.ToggleAsync(Bob, "recovery", 0);

        var result = await h.RunAsync(Alice, "resolve --force data reconciliation runs overnight");

        var r = await h.RecordAsync();
        Assert.False(result.Refused);
        Assert.Equal(IncidentStatus.Resolved, r.Incident.Status);
        var entry = Assert.Single(r.Timeline, e => e.Kind == TimelineKinds.Resolved);
        Assert.Equal("Resolved by the commander with 4 recovery item(s) unanswered. Reason: data reconciliation runs overnight", entry.Text);
        Assert.Equal(Alice, entry.Author);
        var audit = Assert.Single(r.Audit, a => a.Field == "recovery_override");
        Assert.Equal("data reconciliation runs overnight", audit.NewValue);
        Assert.Equal(string.Join("; ", h.Options.RecoveryChecklist.Skip(1)), audit.OldValue);
        Assert.Equal(Alice.Id, audit.Actor);
    }

    [Fact]
    public async Task ForcedResolve_ByNewCommanderAfterHandoff_IsAllowed_OldCommanderIsNot()
    {
        var h = await DeclaredAsync();
        await h.RunAsync(Alice, "handoff commander <@U0BOB|bob>");

        var byOld = await h.RunAsync(Alice, "resolve --force done here");
        var byNew = await h.RunAsync(Bob, "resolve --force done here");

        Assert.True(byOld.Refused);
        Assert.False(byNew.Refused);
    }

    [Fact]
    public void ForcedResolve_WithoutReason_IsAParseError()
    {
        var h = new ReviewHarness(Db);

        var parsed = h.Parser.Parse("resolve --force", Alice);

        Assert.False(parsed.Ok);
        Assert.Contains("needs a reason", parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecoveryChecklist_IsConfigurablePerSeverity()
    {
        var h = new ReviewHarness(Db);
        h.Options.Severities[0].RecoveryChecklist = ["Payments reconciled with the bank"];
        await h.DeclareAsync(Alice, "declare sev1 Payments double charged");

        var refused = await h.RunAsync(Alice, "resolve");
        await h.ToggleAsync(Alice, "recovery", 0);
        var resolved = await h.RunAsync(Alice, "resolve");

        Assert.Equal(["Payments reconciled with the bank"], refused.Reply!.Sections.Single(s => s.Checklist is not null).Checklist!.Select(c => c.Text));
        Assert.False(resolved.Refused);
    }

    [Fact]
    public async Task Resolve_Twice_SecondIsRefused()
    {
        var h = await DeclaredAsync();
        await h.RunAsync(Alice, "resolve --force verified by hand");

        var again = await h.RunAsync(Alice, "resolve --force verified by hand");

        Assert.True(again.Refused);
        Assert.Contains("already resolved", again.Reply!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChecklistToggle_OutOfRange_IsRefused()
    {
        var h = await DeclaredAsync();

        var result = await h.ToggleAsync(Alice, "recovery", 9);

        Assert.True(result.Refused);
        Assert.Empty((await h.RecordAsync()).Checklists);
    }
}
