using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Tests.Decisions;

public sealed class CommunicateDecisionTests
{
    private readonly DecisionBuilder _sut = new DecisionBuilder().WithCommander();

    [Fact]
    public void Update_Open_RecordsPostsFansOut_AndRestartsCadence()
    {
        _sut.Options.FindSeverity("SEV3")!.Stakeholders = ["CSTAKE", "CINC", " ", "CSTAKE"];

        var change = _sut.Decide(new PostStatusUpdate(IncidentStatus.Identified, "Bad deploy found"));

        Assert.Equal(IncidentStatus.Identified, change.Incident.Status);
        Assert.Equal(_sut.Now, change.Incident.LastUpdateAt);
        Assert.Equal(_sut.Now.AddHours(1), change.Incident.NextUpdateDue);
        var update = Assert.Single(change.Set.Updates);
        Assert.Equal((IncidentStatus.Identified, "Bad deploy found", DecisionBuilder.Commander), (update.Status, update.Text, update.Author));
        Assert.Equal("Status update (identified): Bad deploy found", change.Set.Timeline[0].Text);
        Assert.Equal(
            ["cmd:slack:D123:kickoff", "cmd:slack:D123:topic", "cmd:slack:D123:update", "cmd:slack:D123:stakeholder:CSTAKE"],
            change.Set.Outbox.Select(o => o.Key));
        Assert.Equal("CSTAKE", change.Set.Outbox[^1].ChannelId);
        Assert.Equal($"Update posted and sent to 1 stakeholder channel(s). Next update due {IncidentMessages.Time(_sut.Now.AddHours(1))}.", change.Reply);
    }

    [Fact]
    public void Update_SameStatus_NoKickoffRefresh_NoStatusAudit()
    {
        var change = _sut.Decide(new PostStatusUpdate(null, "Still looking"));

        Assert.Equal(["cmd:slack:D123:update"], change.Set.Outbox.Select(o => o.Key));
        Assert.Empty(change.Set.Audit);
        Assert.StartsWith("Update posted. Next update due", change.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_Monitoring_MarksMitigated()
    {
        Assert.Equal(_sut.Now, _sut.Decide(new PostStatusUpdate(IncidentStatus.Monitoring, "Recovered")).Incident.MitigatedAt);
    }

    [Fact]
    public void Update_OnResolved_Refused()
    {
        var change = _sut.WithStatus(IncidentStatus.Resolved).Decide(new PostStatusUpdate(null, "late"));

        Assert.Equal("INC-42 is resolved; updates are closed. Use 'note' to add to the record.", change.Refusal);
        Assert.Empty(change.Set.Updates);
    }

    [Fact]
    public void Note_AnyStatus_OnTimelineOnly()
    {
        var change = _sut.WithStatus(IncidentStatus.Closed).Decide(new AddNote("Vendor confirmed"));

        Assert.Equal("Noted on the timeline.", change.Reply);
        Assert.Equal(("cmd:D123", TimelineKinds.Note), (change.Set.Timeline[0].DedupeKey, change.Set.Timeline[0].Kind));
        Assert.Empty(change.Set.Outbox);
    }

    [Fact]
    public void Unsupported_Refused()
    {
        Assert.Equal("'ShowStatus' is not supported here.", _sut.Decide(new ShowStatus()).Refusal);
    }
}
