using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOpsIncident.IntegrationTests.Teams.Support;
using ChatOpsIncident.Teams.Testing;
using ChatOpsIncident.TestSupport;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ChatOpsIncident.IntegrationTests.Teams;

/// <summary>
/// A Connector POST that gets no answer in time may still have posted (the Bot Connector has no idempotency key and
/// no way to list what a bot sent). The adapter treats it as at-most-once: no re-post, the outbox item is set aside
/// with the reason, while idempotent calls (PUT) and unambiguous failures keep being retried.
/// </summary>
public sealed class TeamsAmbiguousTimeoutTests
{
    private static void ShortTimeout(Dictionary<string, string?> s) => s["Teams:RequestTimeout"] = "00:00:03"; // below the stubs' 5 s delays, above what a loaded CI box needs for the OpenID metadata

    private static long Count(TeamsScenario teams, string sql, params (string, object)[] args) => teams.Db.ScalarAsync<long>(sql, args).GetAwaiter().GetResult();

    [Fact]
    public async Task PostThatTimesOut_IsNotPostedAgain_AndIsSetAsideWithTheReason()
    {
        await using var teams = await TeamsScenario.StartAsync(ShortTimeout);
        var channel = await teams.DeclareAsync();
        await RecordingChatPlatform.WaitUntilAsync(() => Count(teams, "SELECT count(*) FROM chatops.outbox WHERE status = 'pending'") == 0, TimeSpan.FromSeconds(20), "the declaration is out");
        // The stakeholder channel's new thread is created, but the answer comes after the client gave up.
        teams.Stub.Server.Given(Request.Create().WithPath("/amer/v3/conversations").UsingPost().WithBody(new RegexMatcher(Regex.Escape(TeamsScenario.Stakeholders))))
            .AtPriority(1)
            .RespondWith(Response.Create()
                .WithStatusCode(201)
                .WithHeader("Content-Type", "application/json")
                .WithBody(new JsonObject { ["id"] = $"{TeamsScenario.Stakeholders};messageid=424242", ["activityId"] = "424242" }.ToJsonString())
                .WithDelay(TimeSpan.FromSeconds(5)));

        await teams.SendAsync(teams.Command("update identified Bad deploy rolled back", channel, "1741945555000"));

        // Other channels are not held up by it.
        await RecordingChatPlatform.WaitUntilAsync(() => teams.PostsTo(channel, "Status update: identified").Count > 0, because: "the incident channel gets the update");
        await RecordingChatPlatform.WaitUntilAsync(
            () => Count(teams, "SELECT count(*) FROM chatops.outbox WHERE channel_id = @c AND status = 'dead'", ("c", TeamsScenario.Stakeholders)) == 1,
            TimeSpan.FromSeconds(20),
            "the timed-out post is set aside");
        // Longer than the stub's delay and than the outbox's first retry backoffs: a blind retry would have posted again by now.
        await Task.Delay(TimeSpan.FromSeconds(9));

        // The stakeholder channel heard of the declaration before the stub began to hang: the update is the post under test.
        Assert.Single(teams.Stub.ChannelPosts(), p => p.ChannelId == TeamsScenario.Stakeholders && BotFrameworkStub.CardText(p.Body).Contains("Bad deploy rolled back", StringComparison.Ordinal));
        Assert.Equal(1, await teams.CountAsync("SELECT attempts FROM chatops.outbox WHERE channel_id = @c AND status = 'dead'", ("c", TeamsScenario.Stakeholders)));
        var error = await teams.Db.ScalarAsync<string>("SELECT last_error FROM chatops.outbox WHERE channel_id = @c AND status = 'dead'", ("c", TeamsScenario.Stakeholders));
        Assert.Contains("may have been posted", error, StringComparison.Ordinal);
        Assert.DoesNotContain(BotFrameworkStub.ConnectorToken, error, StringComparison.Ordinal);
        Assert.Equal(0, await teams.CountAsync("SELECT count(*) FROM chatops.outbox WHERE channel_id <> @c AND status <> 'done'", ("c", TeamsScenario.Stakeholders)));
    }

    [Fact]
    public async Task UpdateThatTimesOut_IsRetried_BecauseAPutIsIdempotent()
    {
        await using var teams = await TeamsScenario.StartAsync(ShortTimeout);
        var channel = await teams.DeclareAsync();
        var kickoff = await teams.KickoffIdAsync();
        await RecordingChatPlatform.WaitUntilAsync(() => Count(teams, "SELECT count(*) FROM chatops.outbox WHERE status = 'pending'") == 0, TimeSpan.FromSeconds(20), "the declaration is out");
        // The first PUT of the kickoff card hangs; the ones after answer at once.
        teams.Stub.Server.Given(Request.Create().WithPath(new WildcardMatcher($"*/activities/{kickoff}")).UsingPut())
            .InScenario("slow-put").WillSetStateTo("answered")
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"id\":\"" + kickoff + "\"}").WithDelay(TimeSpan.FromSeconds(5)));

        await teams.SendAsync(teams.Command("update identified Bad deploy rolled back", channel, "1741945555001"));

        await RecordingChatPlatform.WaitUntilAsync(
            () => teams.Stub.Requests("PUT", "/amer/v3/conversations/").Count(e => e.RequestMessage!.Path.EndsWith("/activities/" + kickoff, StringComparison.Ordinal)) >= 2,
            TimeSpan.FromSeconds(30),
            "the kickoff update is sent again after the timeout");
        await RecordingChatPlatform.WaitUntilAsync(
            () => Count(teams, "SELECT count(*) FROM chatops.outbox WHERE operation = 'update' AND status = 'done'") >= 1,
            TimeSpan.FromSeconds(20),
            "the update is delivered");
        Assert.Equal(0, await teams.CountAsync("SELECT count(*) FROM chatops.outbox WHERE status = 'dead'"));
    }
}
