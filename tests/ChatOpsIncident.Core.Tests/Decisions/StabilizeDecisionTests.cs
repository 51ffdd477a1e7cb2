using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Tests.Decisions;

public sealed class StabilizeDecisionTests
{
    private readonly DecisionBuilder _sut = new DecisionBuilder().WithCommander();

    [Fact]
    public void Mitigate_Open_SetsMitigatedOnce_AndPosts()
    {
        var change = _sut.Decide(new RecordMitigation("Rolled back 1.42"));

        Assert.Equal(_sut.Now, change.Incident.MitigatedAt);
        Assert.Equal((TimelineKinds.Mitigation, "Rolled back 1.42"), (change.Set.Timeline[0].Kind, change.Set.Timeline[0].Text));
        var post = Assert.Single(change.Set.Outbox);
        Assert.Equal(("cmd:slack:D123:post", "🩹 Mitigation recorded by <@U0IC|ic>: Rolled back 1.42"), (post.Key, post.Message!.Text));

        _sut.Incident.MitigatedAt = DecisionBuilder.DeclaredAt.AddMinutes(1);
        Assert.Equal(DecisionBuilder.DeclaredAt.AddMinutes(1), _sut.Decide(new RecordMitigation("Flag off")).Incident.MitigatedAt);
    }

    [Fact]
    public void Mitigate_Resolved_Refused()
    {
        Assert.Equal("INC-42 is resolved.", _sut.WithStatus(IncidentStatus.Resolved).Decide(new RecordMitigation("x")).Refusal);
    }

    [Fact]
    public void Freeze_On_FreezesAndRefreshesKickoff()
    {
        var change = _sut.Decide(new SetFreeze(true));

        Assert.True(change.Incident.DeployFreeze);
        Assert.Equal("Deploy freeze on", change.Set.Timeline[0].Text);
        Assert.Equal(["cmd:slack:D123:post", "cmd:slack:D123:kickoff", "cmd:slack:D123:topic"], change.Set.Outbox.Select(o => o.Key));
        Assert.Equal(("deploy_freeze", "False", "True"), (change.Set.Audit[0].Field, change.Set.Audit[0].OldValue, change.Set.Audit[0].NewValue));
    }

    [Fact]
    public void Freeze_Unchanged_Refused()
    {
        Assert.Equal("Deploys are not frozen.", _sut.Decide(new SetFreeze(false)).Refusal);
        _sut.Incident.DeployFreeze = true;
        Assert.Equal("Deploys are already frozen.", _sut.Decide(new SetFreeze(true)).Refusal);
    }

    [Fact]
    public void Freeze_OnAfterResolve_Refused_LiftAllowed()
    {
        _sut.WithStatus(IncidentStatus.Resolved);
        Assert.Equal("INC-42 is resolved; a freeze would never be lifted by it.", _sut.Decide(new SetFreeze(true)).Refusal);

        _sut.Incident.DeployFreeze = true;
        Assert.False(_sut.Decide(new SetFreeze(false)).Refused);
    }
}
