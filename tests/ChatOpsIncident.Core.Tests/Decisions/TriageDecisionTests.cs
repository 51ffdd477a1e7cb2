using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Tests.Decisions;

public sealed class TriageDecisionTests
{
    private readonly DecisionBuilder _sut = new DecisionBuilder().WithCommander();

    [Fact]
    public void AssignRole_Free_AssignsAndQueuesInviteKickoffTopic_FirstEntryCarriesDeliveryKey()
    {
        var change = _sut.Decide(new AssignRole(RoleKeys.Comms, DecisionBuilder.Responder));

        Assert.False(change.Refused);
        var assigned = Assert.Single(change.Set.RolesAssigned);
        Assert.Equal((RoleKeys.Comms, DecisionBuilder.Responder, _sut.Now), (assigned.Role, assigned.Holder, assigned.AssignedAt));
        Assert.Empty(change.Set.RolesRelieved);
        var entry = Assert.Single(change.Set.Timeline);
        Assert.Equal("cmd:D123", entry.DedupeKey);
        Assert.Equal("<@U0RESP|resp> is now Communications Lead", entry.Text);
        Assert.Equal((_sut.Now, _sut.Now), (entry.OccurredAt, entry.RecordedAt));
        Assert.Equal(
            ["cmd:slack:D123:post", "cmd:slack:D123:invite", "cmd:slack:D123:role-dm:comms", "cmd:slack:D123:kickoff", "cmd:slack:D123:topic"],
            change.Set.Outbox.Select(o => o.Key));
        var kickoff = change.Set.Outbox.Single(o => o.Operation == OutboxOperations.Update);
        Assert.Equal($"inc:{_sut.Incident.Id}:kickoff", kickoff.TargetKey);
        Assert.Contains("Communications Lead: <@U0RESP|resp>", kickoff.Message!.Sections[0].Bullets!);
    }

    [Fact]
    public void AssignRole_SameHolder_Refused()
    {
        var change = _sut.Decide(new AssignRole(RoleKeys.Commander, DecisionBuilder.Commander));

        Assert.Equal("<@U0IC|ic> already holds Incident Commander.", change.Refusal);
        Assert.Empty(change.Set.Timeline);
    }

    [Fact]
    public void AssignRole_OnClosed_Refused()
    {
        var change = _sut.WithStatus(IncidentStatus.Closed).Decide(new AssignRole(RoleKeys.Comms, DecisionBuilder.Responder));

        Assert.Equal("INC-42 is closed.", change.Refusal);
    }

    [Fact]
    public void Handoff_NobodyHoldsRole_Refused()
    {
        var change = _sut.Decide(new Handoff(RoleKeys.Scribe, DecisionBuilder.Responder));

        Assert.Equal("Nobody holds Scribe yet; use 'role scribe @user' to assign it.", change.Refusal);
        Assert.Empty(change.Set.Outbox);
    }

    [Fact]
    public void Handoff_RelievesHolder_PostsBriefing()
    {
        _sut.Updates.Add(new StatusUpdate(1, _sut.Incident.Id, IncidentStatus.Investigating, "Looking at the load balancer", DecisionBuilder.Commander, DecisionBuilder.DeclaredAt));
        _sut.WithAction(1, owner: DecisionBuilder.Commander);

        var change = _sut.Decide(new Handoff(RoleKeys.Commander, DecisionBuilder.Responder));

        Assert.Equal([RoleKeys.Commander], change.Set.RolesRelieved);
        Assert.Equal("<@U0RESP|resp> is now Incident Commander (was <@U0IC|ic>)", change.Set.Timeline[0].Text);
        var briefing = change.Set.Outbox.Single(o => o.Key == "cmd:slack:D123:handoff").Message!;
        Assert.Equal("🤝 Handoff: Incident Commander → resp", briefing.Title);
        Assert.EndsWith("Looking at the load balancer", briefing.Sections.Single(s => s.Heading == IncidentMessages.CatchUpLastUpdate).Text, StringComparison.Ordinal);
        Assert.Single(briefing.Sections.Single(s => s.Heading == IncidentMessages.CatchUpOpenActions).Bullets!);
        Assert.Contains("Incident Commander: <@U0RESP|resp>", briefing.Sections.Single(s => s.Heading == IncidentMessages.CatchUpRoles).Bullets!);
        var kickoff = change.Set.Outbox.Single(o => o.Operation == OutboxOperations.Update).Message!;
        Assert.Contains("Incident Commander: <@U0RESP|resp>", kickoff.Sections[0].Bullets!);
    }

    [Fact]
    public void ChangeSeverity_Unchanged_Refused()
    {
        var change = _sut.Decide(new ChangeSeverity("sev3"));

        Assert.Equal("INC-42 is already SEV3.", change.Refusal);
    }

    [Fact]
    public void ChangeSeverity_OnResolved_Refused()
    {
        var change = _sut.WithStatus(IncidentStatus.Resolved).Decide(new ChangeSeverity("SEV1"));

        Assert.Equal("INC-42 is resolved; its severity is final.", change.Refusal);
    }

    [Fact]
    public void ChangeSeverity_RaisedToPaging_RestartsCadenceAndPagesOnce()
    {
        var change = _sut.Decide(new ChangeSeverity("SEV2"));

        Assert.Equal("SEV2", change.Incident.Severity);
        Assert.Equal(DecisionBuilder.DeclaredAt.AddMinutes(30), change.Incident.NextUpdateDue);
        Assert.Equal("Severity raised from SEV3 to SEV2", change.Set.Timeline[0].Text);
        var page = change.Set.Outbox.Single(o => o.Operation == OutboxOperations.Page);
        Assert.Equal(("cmd:slack:D123:page", "Raised to SEV2: Checkout 5xx"), (page.Key, page.Text));
        Assert.Equal("SEV3", _sut.Incident.Severity);
    }

    [Fact]
    public void ChangeSeverity_BetweenPagingSeverities_DoesNotPage()
    {
        _sut.Incident.Severity = "SEV2";

        var change = _sut.Decide(new ChangeSeverity("SEV1"));

        Assert.DoesNotContain(change.Set.Outbox, o => o.Operation == OutboxOperations.Page);
    }

    [Fact]
    public void ChangeType_Unchanged_Refused_Changed_Audited()
    {
        Assert.Equal("INC-42 is already of type availability.", _sut.Decide(new ChangeType("Availability")).Refusal);

        var change = _sut.Decide(new ChangeType("performance"));

        Assert.Equal("performance", change.Incident.Type);
        var audit = Assert.Single(change.Set.Audit);
        Assert.Equal(("type", "availability", "performance", "U0IC", Surfaces.Slack), (audit.Field, audit.OldValue, audit.NewValue, audit.Actor, audit.Surface));
    }

    [Fact]
    public void Change_WithoutChannel_QueuesNothing()
    {
        _sut.Incident.ChannelId = null;

        var change = _sut.Decide(new AssignRole(RoleKeys.Ops, DecisionBuilder.Responder));

        Assert.False(change.Refused);
        Assert.Empty(change.Set.Outbox);
        Assert.Single(change.Set.Timeline);
    }
}
