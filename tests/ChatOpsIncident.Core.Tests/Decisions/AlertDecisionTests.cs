using ChatOpsIncident.Core.Alerts;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Tests.Decisions;

/// <summary>An alert group's entries decided like any change: keyed by the delivery, audited as the source, the nudge with them.</summary>
public sealed class AlertDecisionTests
{
    private readonly DecisionBuilder _sut = new DecisionBuilder().WithCommander();

    public AlertDecisionTests()
    {
        _sut.Surface = AlertService.AlertSurface;
        _sut.Actor = new UserRef("prom", "prom alerts");
        _sut.DeliveryId = "alert:prom:abc:resolved";
    }

    [Fact]
    public void RecordAlert_Resolved_AddsTheKeyedEntryWithoutAuthor_AnAuditRowNamingTheSource_AndTheNudge()
    {
        var change = _sut.Decide(new RecordAlert("resolved", "✅ All alerts resolved (prom): Probe failure", _sut.Now, NudgeCommander: true));

        Assert.Null(change.Refusal);
        var entry = Assert.Single(change.Set.Timeline);
        Assert.Equal((TimelineKinds.Alert, "cmd:alert:prom:abc:resolved", (UserRef?)null), (entry.Kind, entry.DedupeKey, entry.Author));
        var audit = Assert.Single(change.Set.Audit);
        Assert.Equal(("prom", "alert", "alert", "resolved"), (audit.Actor, audit.Surface, audit.Field, audit.NewValue));
        var nudge = Assert.Single(change.Set.Outbox);
        Assert.Equal(("cmd:slack:alert:prom:abc:resolved:nudge", "CINC"), (nudge.Key, nudge.ChannelId));
        Assert.StartsWith("<@U0IC|ic> all alerts resolved", nudge.Message!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordAlert_Firing_SitsAtItsTime_NoPost()
    {
        var started = _sut.Now.AddMinutes(-30);

        var change = _sut.Decide(new RecordAlert("declared", "🚨 Alert firing", started));

        Assert.Equal(started, change.Set.Timeline[0].OccurredAt);
        Assert.Empty(change.Set.Outbox);
    }

    [Fact]
    public void RecordAlert_Attached_ByAPerson_KeepsTheClickerAsAuthor()
    {
        _sut.Surface = Surfaces.Teams;
        _sut.Actor = DecisionBuilder.Responder;

        var change = _sut.Decide(new RecordAlert("attached", "🔗 Alert attached", _sut.Now));

        Assert.Equal(DecisionBuilder.Responder, change.Set.Timeline[0].Author);
        Assert.Equal((DecisionBuilder.Responder.Id, Surfaces.Teams), (change.Set.Audit[0].Actor, change.Set.Audit[0].Surface));
    }

    [Fact]
    public void RecordAlert_OnAResolvedIncident_Refused_NothingSaved()
    {
        var change = _sut.WithStatus(IncidentStatus.Resolved).Decide(new RecordAlert("firing", "🔁 still firing", _sut.Now));

        Assert.Equal("INC-42 is resolved.", change.Refusal);
    }
}
