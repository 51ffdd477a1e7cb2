using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.TestSupport;
using static ChatOpsIncident.Core.Tests.Cadence.CadenceWorld;

namespace ChatOpsIncident.Core.Tests.Cadence;

/// <summary>Stakeholders hear of the declaration and severity changes too, per <c>NotifyStakeholdersOn</c>, under the privacy rule.</summary>
public sealed class StakeholderNoticeTests : DatabaseTest
{
    private static void Stakeholders(IncidentOptions o)
    {
        o.FindSeverity("SEV2")!.Stakeholders = ["CEXEC", "CSUPPORT"];
        o.FindSeverity("SEV2")!.PrivateStakeholders = ["CSUPPORT"];
        o.FindSeverity("SEV1")!.Stakeholders = ["CBOARD"];
    }

    private static List<OutboxMessage> To(IEnumerable<OutboxMessage> all, string channel) => all.Where(m => m.ChannelId == channel).ToList();

    [Fact]
    public async Task Declare_AndSeverityChange_ReachTheStakeholdersOfBothSeverities_Once()
    {
        var w = new CadenceWorld(Db, Stakeholders);
        var incident = await w.DeclareAsync("SEV2");
        var declared = Assert.Single(To(await w.OutboxAsync(), "CEXEC"));
        Assert.Equal($"inc:{incident.Id}:stakeholder-declared:CEXEC", declared.Key);
        Assert.Contains("declared", declared.Message!.Title, StringComparison.Ordinal);
        Assert.Contains(incident.Title, declared.Message.Text, StringComparison.Ordinal);
        Assert.Empty(To(await w.OutboxAsync(), "CBOARD"));

        await w.RunAsync(incident, new ChangeSeverity("SEV1"));
        var raised = Assert.Single(To(await w.OutboxAsync("cmd:"), "CBOARD"));
        Assert.Contains("SEV2 to SEV1", raised.Message!.Text, StringComparison.Ordinal);
        // The old severity's stakeholders learn it left them.
        Assert.Single(To(await w.OutboxAsync("cmd:"), "CEXEC"));
    }

    [Fact]
    public async Task PrivateIncident_Declared_TheUnclearedChannelGetsTheRedactedLine_TheClearedOneTheFullNotice()
    {
        var w = new CadenceWorld(Db, Stakeholders);
        var incident = await w.DeclareAsync("SEV2", type: "security");
        Assert.True(incident.IsPrivate);
        var redacted = Assert.Single(To(await w.OutboxAsync(), "CEXEC")).Message!;
        Assert.Equal("A private SEV2 incident was declared.", redacted.Text);
        Assert.DoesNotContain(incident.Title, redacted.Text + redacted.Title, StringComparison.Ordinal);
        Assert.DoesNotContain(incident.PublicId, redacted.Text + redacted.Title, StringComparison.Ordinal);
        Assert.Empty(redacted.Links);
        var full = Assert.Single(To(await w.OutboxAsync(), "CSUPPORT")).Message!;
        Assert.Contains(incident.Title, full.Text, StringComparison.Ordinal);
        Assert.Empty(full.Links);

        await w.RunAsync(incident, new ChangeSeverity("SEV3"));
        var lowered = Assert.Single(To(await w.OutboxAsync("cmd:"), "CEXEC")).Message!;
        Assert.DoesNotContain(incident.Title, lowered.Text, StringComparison.Ordinal);
        Assert.Contains("private", lowered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyStakeholdersOn_OnlyUpdate_DeclarationSeverityAndResolveStayQuiet()
    {
        var w = new CadenceWorld(Db, o =>
        {
            Stakeholders(o);
            o.FindSeverity("SEV2")!.NotifyStakeholdersOn = ["update"];
            o.FindSeverity("SEV3")!.NotifyStakeholdersOn = ["update"];
        });
        var incident = await w.DeclareAsync("SEV2");
        Assert.Empty(To(await w.OutboxAsync(), "CEXEC"));
        await w.RunAsync(incident, new PostStatusUpdate(IncidentStatus.Identified, "Bad config"));
        Assert.Single(To(await w.OutboxAsync(), "CEXEC"));
        await w.RunAsync(incident, new ChangeSeverity("SEV3"));
        await w.RunAsync(incident, new Resolve("Rolled back", Force: true, ForceReason: "test"));
        Assert.Single(To(await w.OutboxAsync(), "CEXEC"));
    }

    [Fact]
    public void NotifyStakeholdersOn_UnknownMoment_StopsStartUpNamingTheKey()
    {
        var options = TestOptions.Create(o => o.Severities[1].NotifyStakeholdersOn = ["declare", "mitigate"]);
        var result = new IncidentOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("Incident:Severities:1:NotifyStakeholdersOn names unknown moment 'mitigate'", result.FailureMessage, StringComparison.Ordinal);
    }
}
