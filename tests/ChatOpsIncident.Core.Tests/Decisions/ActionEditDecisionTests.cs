using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Tests.Decisions;

/// <summary>Editing and reopening actions, and the close refusal that names the command fixing each item.</summary>
public sealed class ActionEditDecisionTests
{
    private static readonly UserRef Bob = new("U0BOB", "bob");
    private readonly DecisionBuilder _sut = new DecisionBuilder().WithCommander();

    [Fact]
    public void EditAction_SetsOnlyTheGivenFields_AuditsEach_AndIsOnTheTimeline()
    {
        _sut.WithAction(1, ActionPriority.Critical, due: new DateOnly(2025, 3, 10));

        var change = _sut.Decide(new EditAction(1, Bob, null, null));

        Assert.False(change.Refused);
        var edited = Assert.Single(change.Set.ActionsEdited);
        Assert.Equal((Bob, new DateOnly(2025, 3, 10), ActionPriority.Critical), (edited.Owner, edited.DueDate!.Value, edited.Priority));
        var audit = Assert.Single(change.Set.Audit);
        Assert.Equal(("action:1:owner", null, "U0BOB", Surfaces.Slack), (audit.Field, audit.OldValue, audit.NewValue, audit.Surface));
        Assert.Equal("Action edited: #1 ⬜ Follow-up 1 — <@U0BOB|bob>, due 2025-03-10, critical", Assert.Single(change.Set.Timeline).Text);
        Assert.StartsWith("Action #1 edited", change.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public void EditAction_AllFields_AuditsThree()
    {
        _sut.WithAction(2);

        var change = _sut.Decide(new EditAction(2, Bob, new DateOnly(2025, 4, 1), ActionPriority.Low));

        Assert.Equal(["action:2:owner", "action:2:due", "action:2:priority"], change.Set.Audit.Select(a => a.Field));
        Assert.Equal(("normal", "low"), (change.Set.Audit[2].OldValue, change.Set.Audit[2].NewValue));
    }

    [Fact]
    public void EditAction_Missing_Or_Unchanged_IsRefused_AndChangesNothing()
    {
        _sut.WithAction(1, owner: Bob);

        var missing = _sut.Decide(new EditAction(9, Bob, null, null));
        var same = _sut.Decide(new EditAction(1, Bob, null, ActionPriority.Normal));

        Assert.Equal("There is no action #9. Use 'actions' to list them.", missing.Refusal);
        Assert.Equal("Action #1 already has that owner, due date and priority.", same.Refusal);
        Assert.All(new[] { missing, same }, c => Assert.Empty(c.Set.ActionsEdited));
        Assert.All(new[] { missing, same }, c => Assert.Empty(c.Set.Audit));
    }

    [Fact]
    public void EditAction_MakingACriticalOneIncomplete_OnAClosedIncident_IsRefused()
    {
        _sut.WithStatus(IncidentStatus.Closed).WithAction(1);

        var change = _sut.Decide(new EditAction(1, null, null, ActionPriority.Critical));

        Assert.Equal(IncidentMessages.CriticalActionOnClosed, change.Refusal);
    }

    [Fact]
    public void ReopenAction_Done_Reopens_NotDone_Refused()
    {
        _sut.WithAction(1, done: true).WithAction(2);

        var reopened = _sut.Decide(new ReopenAction(1));
        var open = _sut.Decide(new ReopenAction(2));

        var item = Assert.Single(reopened.Set.ActionsEdited);
        Assert.Null(item.DoneAt);
        Assert.Equal(("action:1", "done", "open"), (reopened.Set.Audit[0].Field, reopened.Set.Audit[0].OldValue, reopened.Set.Audit[0].NewValue));
        Assert.Equal("Action #2 is not done.", open.Refusal);
    }

    [Fact]
    public void Close_Refusal_NamesTheFixingCommand_ForEachItem_WithThePlatformsPrefix()
    {
        _sut.WithStatus(IncidentStatus.Resolved)
            .WithAction(1, ActionPriority.Critical)
            .WithAction(2, ActionPriority.Critical, owner: Bob)
            .WithAction(3, ActionPriority.Critical, due: new DateOnly(2025, 3, 10))
            .WithAction(4, ActionPriority.Critical, owner: Bob, due: new DateOnly(2025, 3, 10))
            .WithAction(5, ActionPriority.High);

        var change = _sut.Decide(new Close(), "@Incident");

        Assert.Equal(
            [
                "Critical actions need an owner and a due date before closing:",
                "Action 1 (critical) has no owner and no due date: `@Incident action 1 @someone due:YYYY-MM-DD` — Follow-up 1",
                "Action 2 (critical) has no due date: `@Incident action 2 due:YYYY-MM-DD` — Follow-up 2",
                "Action 3 (critical) has no owner: `@Incident action 3 @someone` — Follow-up 3",
            ],
            change.Refusal!.Split('\n'));
        Assert.Equal(IncidentStatus.Resolved, change.Incident.Status);
    }

    [Fact]
    public void Close_AfterTheEditTheRefusalNamed_Closes()
    {
        _sut.WithStatus(IncidentStatus.Resolved).WithAction(1, ActionPriority.Critical);
        var edit = _sut.Decide(new EditAction(1, Bob, new DateOnly(2025, 3, 20), null));
        _sut.Actions[0] = Assert.Single(edit.Set.ActionsEdited);

        var close = _sut.Decide(new Close());

        Assert.False(close.Refused, close.Refusal);
        Assert.Equal(IncidentStatus.Closed, close.Incident.Status);
    }
}
