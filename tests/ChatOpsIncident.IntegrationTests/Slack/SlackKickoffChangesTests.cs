using System.Net;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.IntegrationTests.Api;

namespace ChatOpsIncident.IntegrationTests.Slack;

/// <summary>A change posted before a declare is in the Slack kickoff message itself (Block Kit), not a later message.</summary>
public sealed class SlackKickoffChangesTests : SlackHostTestBase
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = ApiTestClient.Settings();

    [Fact]
    public async Task ChangePostedBeforeADeclare_IsInThePinnedKickoffBlocks()
    {
        var posted = await ApiTestClient.SendAsync(Host.Client, HttpMethod.Post, "/api/changes", new { kind = "deploy", service = "checkout", summary = "v2.14.0 rolled out", author = "ci-bot" }, ApiTestClient.Deployer);
        Assert.Equal(HttpStatusCode.Created, posted.Response.StatusCode);

        var (_, channel) = await DeclareAsync();

        var kickoffTs = Slack.Calls("pins.add").Single(c => c["channel"] == channel)["timestamp"];
        var kickoff = Slack.PostsIn(channel).Single(p => p.Ts == kickoffTs);
        Assert.Contains($"*{IncidentMessages.RecentChangesTitle}*", kickoff.Blocks, StringComparison.Ordinal);
        Assert.Contains("deploy checkout: v2.14.0 rolled out (by ci-bot)", kickoff.Blocks, StringComparison.Ordinal);
        await InboxDrainedAsync();
        Assert.DoesNotContain(Slack.PostsIn(channel), p => p.Ts != kickoffTs && (p.Blocks ?? "").Contains("v2.14.0", StringComparison.Ordinal));
    }
}
