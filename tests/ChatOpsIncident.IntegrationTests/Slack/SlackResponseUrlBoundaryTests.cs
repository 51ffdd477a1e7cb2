using System.Net;

namespace ChatOpsIncident.IntegrationTests.Slack;

/// <summary>
/// Issue 13, "the Slack response_url the bot posts to may be any host": a response_url outside
/// <c>Slack:ResponseUrlPrefixes</c> is never posted to; the person is answered with an ephemeral message instead.
/// </summary>
public sealed class SlackResponseUrlBoundaryTests : SlackHostTestBase
{
    [Fact]
    public async Task ResponseUrlOutsideThePrefixes_IsNotPosted_AndTheAnswerGoesAsAnEphemeral()
    {
        // Same server, other path: only the configured prefix (the fake's /respond/) may receive answers.
        var body = CommandBody("declare sev2 Checkout 5xx after deploy", "CORIGIN01")
            .Replace(Uri.EscapeDataString(Slack.ResponseUrl("cmd")), Uri.EscapeDataString(Slack.Server.Url + "/collect/stolen"), StringComparison.Ordinal);

        var response = await PostSignedAsync("/slack/commands", body, "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await WaitUntilAsync(() => Slack.Calls("chat.postEphemeral").Any(c => c.GetValueOrDefault("channel") == "CORIGIN01" && c.GetValueOrDefault("user") == Declarer), "the declarer is answered by an ephemeral");
        await InboxDrainedAsync();
        Assert.DoesNotContain(Slack.Server.LogEntries, e => e.RequestMessage!.Path.StartsWith("/collect/", StringComparison.Ordinal));
    }
}
