using ChatOpsIncident.IntegrationTests.Slack;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ChatOpsIncident.IntegrationTests.Reliability;

/// <summary>
/// A private answer (response_url) never holds back its channel's posts: with the hooks endpoint hanging, a later
/// command's post in the same incident channel goes out while the answer is still in flight.
/// </summary>
public sealed class RespondOrderTests : SlackHostTestBase
{
    private const string Hung = "SELECT count(*) FROM chatops.outbox WHERE operation = 'respond' AND channel_id = @c AND body->>'responseUrl' LIKE '%/respond/hang'";

    [Fact]
    public async Task HangingResponseUrl_LaterPostInTheSameChannel_GoesOutWhileTheAnswerWaits()
    {
        Slack.Server.Given(Request.Create().WithPath("/respond/hang").UsingPost())
            // Ahead of the fake's own /respond/* mapping, which has WireMock's default priority (0).
            .AtPriority(-1)
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(120)));
        var (_, channel) = await DeclareAsync();

        (await CommandAsync("status", channel, responseId: "hang")).EnsureSuccessStatusCode();
        // The answer is claimed and its call to the hung endpoint is under way.
        await WaitForAsync(async () => await CountAsync(Hung + " AND attempts >= 1 AND status = 'pending'", ("c", channel)) == 1, "answer in flight");
        (await CommandAsync("update investigating Still looking at the queue", channel, responseId: "update")).EnsureSuccessStatusCode();

        // The response_url client gives up after 30 s; the post must not wait for that.
        await WaitUntilAsync(() => Slack.PostsIn(channel).Any(p => p.Text.Contains("Still looking at the queue", StringComparison.Ordinal)), "update posted", seconds: 60);
        Assert.Equal("pending", await Db.ScalarAsync<string>(Hung.Replace("count(*)", "status", StringComparison.Ordinal), ("c", channel)));
    }
}
