using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Tests.Decisions;

namespace ChatOpsIncident.Core.Tests.Privacy;

public sealed class PrivateFanOutTests
{
    private readonly DecisionBuilder _sut = new DecisionBuilder().WithCommander();

    private List<OutboxMessage> StakeholderPosts(IncidentChange change) =>
        change.Set.Outbox.Where(o => o.Key.Contains(":stakeholder:", StringComparison.Ordinal)).ToList();

    [Fact]
    public void PrivateIncidentUpdate_StakeholderChannel_GetsRedactedLine_NoTitleNoTextNoChannel()
    {
        _sut.Incident.IsPrivate = true;
        _sut.Incident.ChannelUrl = "https://slack.example/archives/CINC";
        _sut.Options.FindSeverity("SEV3")!.Stakeholders = ["CSTAKE"];

        var change = _sut.Decide(new PostStatusUpdate(IncidentStatus.Identified, "Leaked key rotated"));

        var post = Assert.Single(StakeholderPosts(change));
        Assert.Equal("CSTAKE", post.ChannelId);
        Assert.Equal("A private SEV3 incident posted an update.", post.Message!.Text);
        var rendered = System.Text.Json.JsonSerializer.Serialize(post.Message);
        foreach (var secret in new[] { "Checkout 5xx", "Leaked key rotated", "INC-42", "inc-42", "CINC" })
        {
            Assert.DoesNotContain(secret, rendered, StringComparison.Ordinal);
        }

        Assert.Equal($"Update posted; 1 stakeholder channel(s) got only a redacted line (private incident). Next update due {IncidentMessages.Time(_sut.Now.AddHours(1))}.", change.Reply);
    }

    [Fact]
    public void PrivateIncidentUpdate_PrivateStakeholderChannel_GetsFullUpdate_OthersRedacted()
    {
        _sut.Incident.IsPrivate = true;
        var sev = _sut.Options.FindSeverity("SEV3")!;
        sev.Stakeholders = ["CSTAKE", "CSEC"];
        sev.PrivateStakeholders = ["CSEC", "CINC"];

        var change = _sut.Decide(new PostStatusUpdate(IncidentStatus.Identified, "Leaked key rotated"));

        var posts = StakeholderPosts(change);
        Assert.Equal(["CSEC", "CSTAKE"], posts.Select(p => p.ChannelId));
        Assert.Contains("Checkout 5xx", posts[0].Message!.Text, StringComparison.Ordinal);
        Assert.Contains("Leaked key rotated", posts[0].Message!.Text, StringComparison.Ordinal);
        Assert.Equal("A private SEV3 incident posted an update.", posts[1].Message!.Text);
        Assert.Equal($"Update posted and sent to 1 stakeholder channel(s); 1 stakeholder channel(s) got only a redacted line (private incident). Next update due {IncidentMessages.Time(_sut.Now.AddHours(1))}.", change.Reply);
    }

    [Fact]
    public void PublicIncidentUpdate_PrivateStakeholdersAreNotUsed()
    {
        var sev = _sut.Options.FindSeverity("SEV3")!;
        sev.Stakeholders = ["CSTAKE"];
        sev.PrivateStakeholders = ["CSEC"];

        var change = _sut.Decide(new PostStatusUpdate(IncidentStatus.Identified, "Bad deploy found"));

        var post = Assert.Single(StakeholderPosts(change));
        Assert.Equal("CSTAKE", post.ChannelId);
        Assert.Contains("Checkout 5xx", post.Message!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void PrivateIncidentResolved_StakeholderChannel_GetsRedactedResolutionLine()
    {
        _sut.Incident.IsPrivate = true;
        _sut.WithRecoveryAnswered().Options.FindSeverity("SEV3")!.Stakeholders = ["CSTAKE"];

        var change = _sut.Decide(new Resolve("Key rotated everywhere"));

        Assert.Null(change.Refusal);
        var post = Assert.Single(StakeholderPosts(change));
        Assert.Equal("A private SEV3 incident was resolved.", post.Message!.Text);
        Assert.DoesNotContain("Key rotated", System.Text.Json.JsonSerializer.Serialize(post.Message), StringComparison.Ordinal);
    }

    [Fact]
    public void ChangeTypeToPrivateType_OnPublicIncident_MakesItPrivate_AndWarnsTheCommanderInTheChannel()
    {
        var change = _sut.Decide(new ChangeType("security"));

        Assert.True(change.Incident.IsPrivate);
        Assert.Contains(change.Set.Audit, a => (a.Field, a.OldValue, a.NewValue) == ("private", "false", "true"));
        var warning = Assert.Single(change.Set.Outbox, o => o.Key == "cmd:slack:D123:private");
        Assert.Equal("CINC", warning.ChannelId);
        Assert.Contains(DecisionBuilder.Commander.Mention, warning.Message!.Text, StringComparison.Ordinal);
        Assert.Contains("this channel is public", warning.Message.Text, StringComparison.Ordinal);
        Assert.Contains("declare sev3 type:security", warning.Message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ChangeTypeToPrivateType_OnPrivateIncident_NoWarning()
    {
        _sut.Incident.IsPrivate = true;

        var change = _sut.Decide(new ChangeType("security"));

        Assert.DoesNotContain(change.Set.Outbox, o => o.Key == "cmd:slack:D123:private");
        Assert.Single(change.Set.Audit);
    }
}
