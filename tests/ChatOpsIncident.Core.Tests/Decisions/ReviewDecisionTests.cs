using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Tests.Decisions;

public sealed class ReviewDecisionTests
{
    private readonly DecisionBuilder _sut = new DecisionBuilder().WithCommander();

    [Fact]
    public void AddAction_NumbersAfterTheHighest()
    {
        _sut.WithAction(1).WithAction(4, done: true);

        var change = _sut.Decide(new AddAction("Add a canary", DecisionBuilder.Responder, new DateOnly(2025, 3, 10), ActionPriority.High));

        var item = Assert.Single(change.Set.ActionsAdded);
        Assert.Equal((5, "Add a canary", _sut.Now), (item.Seq, item.Text, item.CreatedAt));
        Assert.Equal("Action added: #5 ⬜ Add a canary — <@U0RESP|resp>, due 2025-03-10, high", change.Set.Timeline[0].Text);
        Assert.Equal("action:5", change.Set.Audit[0].Field);
    }

    [Fact]
    public void AddAction_CriticalOnClosedWithoutOwner_Refused()
    {
        var change = _sut.WithStatus(IncidentStatus.Closed).Decide(new AddAction("Fix it", null, new DateOnly(2025, 3, 10), ActionPriority.Critical));

        Assert.Equal("A critical action on a closed incident needs an owner and a due date.", change.Refusal);
    }

    [Fact]
    public void CompleteAction_Missing_AlreadyDone_Done()
    {
        _sut.WithAction(1).WithAction(2, done: true);

        Assert.Equal("There is no action #3. Use 'actions' to list them.", _sut.Decide(new CompleteAction(3)).Refusal);
        Assert.Equal("Action #2 is already done.", _sut.Decide(new CompleteAction(2)).Refusal);
        var done = Assert.Single(_sut.Decide(new CompleteAction(1)).Set.ActionsCompleted);
        Assert.Equal((_sut.Now, DecisionBuilder.Commander), (done.DoneAt!.Value, done.DoneBy));
    }

    [Fact]
    public void Close_CriticalActionWithoutOwner_RefusedListingIt()
    {
        _sut.WithStatus(IncidentStatus.Resolved).WithAction(1, ActionPriority.Critical, due: new DateOnly(2025, 3, 10))
            .WithAction(2, ActionPriority.Critical, done: true);

        var change = _sut.Decide(new Close());

        Assert.Equal("Critical actions need an owner and a due date before closing:\nAction 1 (critical) has no owner: `/incident action 1 @someone` — Follow-up 1", change.Refusal);
    }

    [Fact]
    public void Close_Open_Refused_Closed_Refused()
    {
        Assert.Equal("Resolve INC-42 before closing it.", _sut.Decide(new Close()).Refusal);
        Assert.Equal("INC-42 is already closed.", _sut.WithStatus(IncidentStatus.Closed).Decide(new Close()).Refusal);
    }

    [Fact]
    public void Close_Resolved_Closes()
    {
        _sut.WithStatus(IncidentStatus.Resolved).WithAction(1, ActionPriority.Critical, DecisionBuilder.Responder, new DateOnly(2025, 3, 10));

        var change = _sut.Decide(new Close());

        Assert.Equal((IncidentStatus.Closed, (DateTimeOffset?)_sut.Now), (change.Incident.Status, change.Incident.ClosedAt));
        Assert.Equal("🔒 INC-42 closed by <@U0IC|ic>. Open follow-ups keep being reminded to their owners.", change.Set.Outbox[0].Message!.Text);
    }

    [Fact]
    public void Postmortem_WithoutWebAddress_NamesTheApiPath()
    {
        var change = _sut.Decide(new Postmortem());

        var where = $"GET /api/incidents/{_sut.Incident.Id}/postmortem.md";
        Assert.Equal($"Posted the review draft link in the channel: {where}", change.Reply);
        var offer = Assert.Single(change.Set.Outbox);
        Assert.Equal("cmd:slack:D123:postmortem", offer.Key);
        Assert.Empty(offer.Message!.Links);
        Assert.Equal("Set Web:BaseUrl to link the web page here.", offer.Message.Context);
    }

    [Fact]
    public void Postmortem_WithWebAddress_LinksTheDraft()
    {
        _sut.Links = new DecisionBuilder.FixedLinks("https://bot.example/pm");

        var offer = _sut.Decide(new Postmortem()).Set.Outbox[0].Message!;

        Assert.Equal(["https://bot.example/pm", "https://bot.example/pm.md"], offer.Links.Select(l => l.Url));
    }
}
