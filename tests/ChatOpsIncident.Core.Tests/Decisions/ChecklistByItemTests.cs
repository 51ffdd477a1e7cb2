using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Tests.Decisions;

/// <summary>Checklist ticks are keyed by the item: a type change keeps the ticks its runbook still has, and only those.</summary>
public sealed class ChecklistByItemTests
{
    private readonly DecisionBuilder _sut = new DecisionBuilder().WithCommander();

    public ChecklistByItemTests()
    {
        _sut.Options.Types =
        [
            new IncidentTypeOptions { Name = "availability", Runbook = ["Check the service", "Look at recent deploys", "Consider rollback"] },
            new IncidentTypeOptions { Name = "performance", Runbook = ["Compare latency with the baseline", "Look at recent deploys"] },
        ];
        // Ticked on the availability runbook: items 0 and 1.
        _sut.Checklists.Add(new ChecklistItemState(_sut.Incident.Id, IncidentMessages.RunbookChecklist, 0, "Check the service", DecisionBuilder.Commander, DecisionBuilder.DeclaredAt));
        _sut.Checklists.Add(new ChecklistItemState(_sut.Incident.Id, IncidentMessages.RunbookChecklist, 1, "Look at recent deploys", DecisionBuilder.Commander, DecisionBuilder.DeclaredAt));
    }

    [Fact]
    public void TypeChange_KeptItemStaysTicked_AtItsNewPosition_NewItemAtAnOldTickedPositionIsNot()
    {
        var changed = _sut.Decide(new ChangeType("performance"));
        Assert.Null(changed.Refusal);

        var view = IncidentMessages.Checklist(_sut.Record with { Incident = changed.Incident }, IncidentMessages.RunbookChecklist, _sut.Options.FindType("performance")!.Runbook);

        Assert.Equal([("Compare latency with the baseline", false), ("Look at recent deploys", true)], view.Select(v => (v.Text, v.Done)).ToList());
    }

    [Fact]
    public void TypeChange_ThenTickingTheNewItemAtAnOldPosition_TicksIt_InsteadOfUntickingTheOldOne()
    {
        _sut.Incident.Type = "performance";

        var tick = _sut.Decide(new ToggleChecklistItem(IncidentMessages.RunbookChecklist, 0));

        var state = Assert.Single(tick.Set.Checklist);
        Assert.Equal(("Compare latency with the baseline", true), (state.Text, state.DoneAt is not null));
    }

    [Fact]
    public void TypeChangeBack_TheOldTicksReturn()
    {
        var view = IncidentMessages.Checklist(_sut.Record, IncidentMessages.RunbookChecklist, _sut.Options.FindType("availability")!.Runbook);

        Assert.Equal([true, true, false], view.Select(v => v.Done).ToList());
    }
}
