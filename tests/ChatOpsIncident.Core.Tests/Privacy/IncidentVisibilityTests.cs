using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Privacy;
using ChatOpsIncident.Core.Tests.Decisions;

namespace ChatOpsIncident.Core.Tests.Privacy;

public sealed class IncidentVisibilityTests
{
    private static readonly UserRef Stranger = new("U0STRANGER", "stranger");
    private readonly DecisionBuilder _sut = new();

    public IncidentVisibilityTests() => _sut.Incident.IsPrivate = true;

    private bool Sees(string userId, string? channelId = "CELSEWHERE") => IncidentVisibility.CanSee(_sut.Record, Viewer.ChatUser("slack", userId, channelId));

    [Fact]
    public void PublicIncident_VisibleToAnyone()
    {
        _sut.Incident.IsPrivate = false;

        Assert.True(Sees(Stranger.Id));
        Assert.True(IncidentVisibility.CanSee(_sut.Record, new Viewer([], IsAdmin: false)));
    }

    [Fact]
    public void PrivateIncident_Stranger_DoesNotSeeIt()
    {
        Assert.False(Sees(Stranger.Id));
        Assert.False(IncidentVisibility.CanSee(_sut.Record, new Viewer([], IsAdmin: false)));
        Assert.False(IncidentVisibility.CanSee(_sut.Record, new Viewer(["", " "], IsAdmin: false)));
    }

    [Fact]
    public void PrivateIncident_Admin_SeesIt() =>
        Assert.True(IncidentVisibility.CanSee(_sut.Record, Viewer.Admin));

    [Fact]
    public void PrivateIncident_Invitee_SeesIt_AndIsAmongItsPeople()
    {
        var record = _sut.Record with { Invitees = ["U0GUEST01"] };

        Assert.True(IncidentVisibility.CanSee(record, Viewer.ChatUser("slack", "U0GUEST01", "CELSEWHERE")));
        Assert.Contains("U0GUEST01", IncidentVisibility.PeopleOf(record));
        Assert.False(IncidentVisibility.CanSee(record, Viewer.ChatUser("slack", Stranger.Id, "CELSEWHERE")));
    }

    [Fact]
    public void PrivateIncident_Declarer_SeesIt() =>
        Assert.True(Sees(DecisionBuilder.Commander.Id));

    [Fact]
    public void PrivateIncident_CurrentRoleHolder_SeesIt()
    {
        _sut.Roles.Add(new RoleAssignment(_sut.Incident.Id, RoleKeys.Ops, DecisionBuilder.Responder, DecisionBuilder.DeclaredAt, DecisionBuilder.Commander));

        Assert.True(Sees(DecisionBuilder.Responder.Id));
    }

    [Fact]
    public void PrivateIncident_PastRoleHolder_StillSeesIt()
    {
        _sut.Roles.Add(new RoleAssignment(_sut.Incident.Id, RoleKeys.Ops, DecisionBuilder.Responder, DecisionBuilder.DeclaredAt, DecisionBuilder.Commander, RelievedAt: DecisionBuilder.DeclaredAt.AddMinutes(5)));

        Assert.True(Sees(DecisionBuilder.Responder.Id));
    }

    [Fact]
    public void PrivateIncident_ActionOwner_SeesIt()
    {
        _sut.WithAction(1, owner: new UserRef("U0OWNER"));

        Assert.True(Sees("u0owner"));
    }

    [Fact]
    public void PrivateIncident_MemberOfItsChannel_SeesIt_FromInsideTheChannel()
    {
        Assert.True(Sees(Stranger.Id, channelId: "CINC"));
        // The same channel id on another platform is another channel.
        Assert.False(IncidentVisibility.CanSee(_sut.Record, Viewer.ChatUser("teams", Stranger.Id, "CINC")));
    }

    [Fact]
    public void PrivateIncident_TimelineAuthorFromElsewhere_IsNotOneOfItsPeople()
    {
        // The finding: a message action wrote onto the timeline, which made its author a "participant" who could
        // then read the whole private incident on the web.
        _sut.Timeline.Add(TimelineEntry.Now(_sut.Incident.Id, TimelineKinds.Pinned, "captured", DecisionBuilder.DeclaredAt, Stranger) with
        {
            Source = new SourceRef("teams", "19:elsewhere@thread.tacv2", "m1"),
        });
        _sut.Timeline.Add(TimelineEntry.Now(_sut.Incident.Id, TimelineKinds.Note, "a note", DecisionBuilder.DeclaredAt, Stranger));
        _sut.Updates.Add(new StatusUpdate(1, _sut.Incident.Id, IncidentStatus.Identified, "update", Stranger, DecisionBuilder.DeclaredAt));

        Assert.False(Sees(Stranger.Id));
        Assert.DoesNotContain(Stranger.Id, IncidentVisibility.PeopleOf(_sut.Record));
    }

    [Fact]
    public void PrivateIncident_AnyOfTheViewersIds_Counts()
    {
        // A web viewer is known by several ids (Slack user id, OIDC subject, e-mail); one that matches is enough.
        Assert.True(IncidentVisibility.CanSee(_sut.Record, new Viewer(["sub-123", DecisionBuilder.Commander.Id], IsAdmin: false)));
    }
}
