using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Tests.Decisions;

namespace ChatOpsIncident.Core.Tests.Incidents;

/// <summary>The catch-up built from the record, and the handoff briefing that reuses it.</summary>
public sealed class CatchUpTests
{
    private readonly DecisionBuilder _sut = new DecisionBuilder().WithCommander();

    private IncidentMessages Messages => new(_sut.Options);

    private void Entries(int count, string kind = TimelineKinds.Note)
    {
        for (var n = 0; n < count; n++)
        {
            _sut.Timeline.Add(TimelineEntry.Now(_sut.Incident.Id, kind, $"{kind} {_sut.Timeline.Count + 1}", DecisionBuilder.DeclaredAt.AddMinutes(_sut.Timeline.Count + 1)) with { Id = _sut.Timeline.Count + 1 });
        }
    }

    private static ChatSection Section(ChatMessage m, string heading) => m.Sections.Single(s => s.Heading == heading);

    [Fact]
    public void CatchUp_HasStateRolesLastUpdateActionsLastFiveEntriesChangesAndLinks()
    {
        Entries(2, TimelineKinds.Change);
        Entries(6);
        _sut.Updates.Add(new StatusUpdate(1, _sut.Incident.Id, IncidentStatus.Identified, "Bad deploy", DecisionBuilder.Commander, DecisionBuilder.DeclaredAt.AddMinutes(5)));
        _sut.WithAction(1).WithAction(2, done: true);

        var m = Messages.CatchUp(_sut.Record, _sut.Now, "https://incidents.example.com/incidents/42");

        Assert.Equal("📋 Catch-up: INC-42: Checkout 5xx", m.Title);
        Assert.Equal(
            [("Status", "investigating"), ("Severity", "SEV3"), ("Open for", "20m (since 2025-03-04 10:00 UTC)"), ("Next update due", "2025-03-04 11:00 UTC")],
            m.Fields.Select(f => (f.Label, f.Value)));
        Assert.Contains("Incident Commander: <@U0IC|ic>", Section(m, IncidentMessages.CatchUpRoles).Bullets!);
        Assert.Equal("2025-03-04 10:05 UTC (15m ago, identified, by <@U0IC|ic>): Bad deploy", Section(m, IncidentMessages.CatchUpLastUpdate).Text);
        Assert.Equal(["#1 ⬜ Follow-up 1 — no owner, due not set"], Section(m, IncidentMessages.CatchUpOpenActions).Bullets!);
        Assert.Equal(["note 4", "note 5", "note 6", "note 7", "note 8"], Section(m, IncidentMessages.CatchUpRecentTimeline).Bullets!.Select(b => b[21..]));
        Assert.Equal(["change 1", "change 2"], Section(m, IncidentMessages.CatchUpRecentChanges).Bullets!);
        Assert.Equal("https://incidents.example.com/incidents/42", Assert.Single(m.Links).Url);
    }

    [Fact]
    public void CatchUp_OfAnEmptyIncident_SaysSo_AndOfAResolvedOne_HowLongItLasted()
    {
        _sut.WithStatus(IncidentStatus.Resolved);
        _sut.Incident.ResolvedAt = DecisionBuilder.DeclaredAt.AddMinutes(90);
        _sut.Incident.ImpactStartedAt = DecisionBuilder.DeclaredAt.AddMinutes(-30);

        var m = Messages.CatchUp(_sut.Record, _sut.Now.AddDays(1), null);

        Assert.Contains(m.Fields, f => f.Label == "Lasted" && f.Value == "2h 00m (since 2025-03-04 09:30 UTC)");
        Assert.Equal("none yet", Section(m, IncidentMessages.CatchUpLastUpdate).Text);
        Assert.Equal("none", Section(m, IncidentMessages.CatchUpOpenActions).Text);
        Assert.Equal("no entries yet", Section(m, IncidentMessages.CatchUpRecentTimeline).Text);
        Assert.Contains("GET /api/incidents/", m.Context, StringComparison.Ordinal);
    }

    [Fact]
    public void HandoffBriefing_IsTheCatchUp_UnderItsOwnTitle()
    {
        _sut.Updates.Add(new StatusUpdate(1, _sut.Incident.Id, IncidentStatus.Investigating, "Looking", DecisionBuilder.Commander, DecisionBuilder.DeclaredAt));
        var catchUp = Messages.CatchUp(_sut.Record, _sut.Now, null);

        var briefing = _sut.Decide(new Handoff(RoleKeys.Commander, DecisionBuilder.Responder)).Set.Outbox.Single(o => o.Key.EndsWith(":handoff", StringComparison.Ordinal)).Message!;

        Assert.Equal(catchUp.Sections.Select(s => s.Heading), briefing.Sections.Select(s => s.Heading));
        Assert.Equal(Section(catchUp, IncidentMessages.CatchUpLastUpdate).Text, Section(briefing, IncidentMessages.CatchUpLastUpdate).Text);
        Assert.Contains("Incident Commander: <@U0RESP|resp>", Section(briefing, IncidentMessages.CatchUpRoles).Bullets!);
    }
}
