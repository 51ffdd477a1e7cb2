using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Tests.Decisions;

/// <summary>The rules the write API leans on: editing details, backdated notes, a gate's reasons, the freeze lifted by resolve.</summary>
public sealed class ApiDecisionTests
{
    private readonly DecisionBuilder _sut = new DecisionBuilder().WithCommander();

    [Fact]
    public void EditDetails_ChangesTitleAndDescription_EachOnTheTimelineAndInTheAudit()
    {
        var old = _sut.Incident.Title;

        var change = _sut.Decide(new EditDetails(" Checkout down ", "All card payments fail"));

        Assert.Null(change.Refusal);
        Assert.Equal(("Checkout down", "All card payments fail"), (change.Incident.Title, change.Incident.Description));
        Assert.Equal([TimelineKinds.Details, TimelineKinds.Details], change.Set.Timeline.Select(t => t.Kind));
        Assert.Equal([("title", old, "Checkout down"), ("description", null, "All card payments fail")], change.Set.Audit.Select(a => (a.Field, a.OldValue, a.NewValue)));
    }

    [Fact]
    public void EditDetails_NothingDifferent_Refused_Closed_Refused()
    {
        Assert.Equal($"{_sut.Incident.PublicId} already has that title and description.", _sut.Decide(new EditDetails(_sut.Incident.Title, null)).Refusal);
        Assert.Equal(IncidentMessages.IsClosed(_sut.Incident), _sut.WithStatus(IncidentStatus.Closed).Decide(new EditDetails("New", null)).Refusal);
    }

    [Fact]
    public void Note_Backdated_SitsWhereItHappened_FutureIsIgnored()
    {
        var earlier = _sut.Now.AddMinutes(-15);

        var backdated = _sut.Decide(new AddNote("Rollback started", earlier)).Set.Timeline.Single();
        var future = _sut.Decide(new AddNote("Later", _sut.Now.AddHours(1))).Set.Timeline.Single();

        Assert.Equal((earlier, _sut.Now), (backdated.OccurredAt, backdated.RecordedAt));
        Assert.Equal(_sut.Now, future.OccurredAt);
    }

    [Fact]
    public void Resolve_RecoveryOpen_ReasonsAreTheOpenItems()
    {
        var change = _sut.Decide(new Resolve("fixed"));

        Assert.Equal(_sut.Options.RecoveryChecklistFor(_sut.Incident.Severity), change.Reasons);
    }

    [Fact]
    public void Close_CriticalActionWithoutOwner_ReasonsNameTheAction()
    {
        _sut.WithStatus(IncidentStatus.Resolved).WithAction(1, ActionPriority.Critical).WithAction(2, ActionPriority.Critical, DecisionBuilder.Responder, new DateOnly(2030, 1, 1));

        var change = _sut.Decide(new Close());

        Assert.NotNull(change.Refusal);
        Assert.Equal([IncidentMessages.ActionLine(_sut.Actions[0])], change.Reasons);
    }

    [Fact]
    public void Resolve_Frozen_LiftsTheFreezeWithATimelineEntryAndAnAuditRow()
    {
        _sut.WithRecoveryAnswered().Incident.DeployFreeze = true;

        var change = _sut.Decide(new Resolve("Rolled back"));

        Assert.False(change.Incident.DeployFreeze);
        Assert.Contains(change.Set.Timeline, t => t.Kind == TimelineKinds.Freeze && t.Text == IncidentMessages.FreezeLiftedByResolve);
        Assert.Contains(change.Set.Audit, a => (a.Field, a.OldValue, a.NewValue) == ("deploy_freeze", "True", "False"));
    }
}
