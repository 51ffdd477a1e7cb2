using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Tests.Decisions;

public sealed class RecoverDecisionTests
{
    private readonly DecisionBuilder _sut = new DecisionBuilder().WithCommander();

    [Fact]
    public void Resolve_RecoveryOpen_RefusedWithTheChecklist()
    {
        var change = _sut.Decide(new Resolve("fixed"));

        Assert.Equal(
            "Answer the recovery checklist first (5 of 5 open: SLOs and error rates are stable; Data is reconciled; Queues are drained and jobs have caught up; Temporary mitigations are reverted; Alerting is back to normal). The commander can override: resolve --force <reason>.",
            change.Refusal);
        Assert.Equal("Recovery checklist: INC-42", change.RefusalMessage!.Title);
        Assert.Equal(5, change.RefusalMessage.Sections[0].Checklist!.Count);
        Assert.Equal(IncidentStatus.Investigating, change.Incident.Status);
        Assert.Empty(change.Set.Timeline);
    }

    [Fact]
    public void Resolve_ForcedByNonCommander_Refused()
    {
        _sut.Actor = DecisionBuilder.Responder;

        var change = _sut.Decide(new Resolve(null, Force: true, ForceReason: "customer is fine"));

        Assert.Equal("Only the Incident Commander can resolve with recovery items unanswered.", change.Refusal);
        Assert.Null(change.RefusalMessage);
    }

    [Fact]
    public void Resolve_ForcedByCommander_ResolvesAndAuditsOverride()
    {
        var change = _sut.Decide(new Resolve(null, Force: true, ForceReason: "customer is fine"));

        Assert.Equal(IncidentStatus.Resolved, change.Incident.Status);
        Assert.Equal("Resolved by the commander with 5 recovery item(s) unanswered. Reason: customer is fine", change.Set.Timeline[0].Text);
        Assert.Equal(["status", "recovery_override"], change.Set.Audit.Select(a => a.Field));
        Assert.Equal("The incident is resolved.", change.Set.Updates[0].Text);
    }

    [Fact]
    public void Resolve_Answered_ResolvesLiftsFreeze_PostsCardWithDraftLink()
    {
        _sut.WithRecoveryAnswered().Links = new DecisionBuilder.FixedLinks("https://bot.example/incidents/42/postmortem");
        _sut.Incident.DeployFreeze = true;

        var change = _sut.Decide(new Resolve("Rolled back"));

        var i = change.Incident;
        Assert.Equal((IncidentStatus.Resolved, _sut.Now, _sut.Now, null, "Rolled back", false), (i.Status, i.ResolvedAt, i.MitigatedAt, i.NextUpdateDue, i.Summary, i.DeployFreeze));
        Assert.Equal("Resolved: Rolled back", change.Set.Timeline[0].Text);
        var card = change.Set.Outbox.Single(o => o.Key == "cmd:slack:D123:resolved").Message!;
        Assert.Equal("✅ INC-42 resolved by <@U0IC|ic>. Resolved: Rolled back", card.Text);
        Assert.Equal(MessageTone.Good, card.Tone);
        Assert.Equal(new ChatLink("Post-incident review draft", "https://bot.example/incidents/42/postmortem"), Assert.Single(card.Links));
        // The pager's resolve rides along: it sends only where a page went.
        Assert.Equal(["cmd:slack:D123:resolved", "cmd:slack:D123:kickoff", "cmd:slack:D123:topic", "cmd:slack:D123:page-resolve"], change.Set.Outbox.Select(o => o.Key));
    }

    [Fact]
    public void Resolve_AlreadyResolved_Refused()
    {
        Assert.Equal("INC-42 is already resolved.", _sut.WithStatus(IncidentStatus.Resolved).Decide(new Resolve(null)).Refusal);
    }

    [Theory]
    [InlineData(IncidentMessages.RecoveryChecklist, 5)]
    [InlineData(IncidentMessages.TriageChecklist, -1)]
    [InlineData("nonsense", 0)]
    public void ToggleChecklist_OutOfRange_Refused(string checklist, int index)
    {
        Assert.Equal("That checklist item no longer exists.", _sut.Decide(new ToggleChecklistItem(checklist, index)).Refusal);
    }

    [Fact]
    public void ToggleChecklist_TicksThenUnticks_RecoveryDoesNotRefreshKickoff()
    {
        var ticked = _sut.Decide(new ToggleChecklistItem(IncidentMessages.RecoveryChecklist, 1));

        var state = Assert.Single(ticked.Set.Checklist);
        Assert.Equal(("Data is reconciled", DecisionBuilder.Commander, (DateTimeOffset?)_sut.Now), (state.Text, state.DoneBy, state.DoneAt));
        Assert.Equal("Checked recovery: Data is reconciled", ticked.Set.Timeline[0].Text);
        Assert.Empty(ticked.Set.Outbox);

        _sut.Checklists.Add(state);
        var unticked = _sut.Decide(new ToggleChecklistItem(IncidentMessages.RecoveryChecklist, 1));
        Assert.Null(unticked.Set.Checklist[0].DoneAt);
        Assert.Equal(("done", "open"), (unticked.Set.Audit[0].OldValue, unticked.Set.Audit[0].NewValue));
    }

    [Fact]
    public void ToggleChecklist_Triage_RefreshesKickoffWithTheTick()
    {
        var change = _sut.Decide(new ToggleChecklistItem(IncidentMessages.TriageChecklist, 0));

        var kickoff = change.Set.Outbox.Single(o => o.Operation == OutboxOperations.Update).Message!;
        Assert.True(kickoff.Sections[1].Checklist![0].Done);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(-5, false)]
    [InlineData(241, false)]
    [InlineData(1, true)]
    [InlineData(240, true)]
    public void Snooze_Bounds(int minutes, bool accepted)
    {
        var change = _sut.Decide(new SnoozeReminder(TimeSpan.FromMinutes(minutes)));

        Assert.Equal(accepted ? null : "Snooze for between 1 minute and 4 hours.", change.Refusal);
        if (accepted)
        {
            Assert.Equal(_sut.Now.AddMinutes(minutes), change.Incident.NextUpdateDue);
            Assert.Equal(TimelineKinds.Reminder, change.Set.Timeline[0].Kind);
        }
    }

    [Fact]
    public void Snooze_Resolved_Refused()
    {
        Assert.Equal("INC-42 is resolved; there is no reminder to snooze.", _sut.WithStatus(IncidentStatus.Resolved).Decide(new SnoozeReminder(TimeSpan.FromMinutes(5))).Refusal);
    }
}
