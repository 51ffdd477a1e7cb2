using System.Net;
using ChatOpsIncident.IntegrationTests.Teams.Support;
using ChatOpsIncident.Teams.Testing;
using ChatOpsIncident.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ChatOpsIncident.IntegrationTests.DeadLetters;

/// <summary>A Teams command that dies is answered to its sender privately, in a 1:1 chat the bot opens.</summary>
public sealed class TeamsDeadLetterTests
{
    [Fact]
    public async Task DeclarationThatDies_TellsTheDeclarerInAPrivateChat()
    {
        await using var teams = await TeamsScenario.StartAsync(
            s => s["Processing:MaxAttempts"] = "1",
            stub => stub.Server.Given(Request.Create().WithPath($"/graph/v1.0/teams/{BotFrameworkStub.TeamId}/channels").UsingPost())
                .AtPriority(1)
                .RespondWith(Response.Create().WithStatusCode(503)));

        var response = await teams.SendAsync(teams.Command("declare sev2 Checkout 5xx after deploy", TeamsScenario.General, "1741945000001", TeamsScenario.Megan));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await RecordingChatPlatform.WaitUntilAsync(
            () => teams.Db.ScalarAsync<long>("SELECT count(*) FROM chatops.inbox WHERE status = 'dead'").GetAwaiter().GetResult() == 1,
            TimeSpan.FromSeconds(90),
            "the declaration dies");
        await RecordingChatPlatform.WaitUntilAsync(
            () => teams.Stub.ConversationSends().Any(s => BotFrameworkStub.CardText(s.Body).Contains("did not go through", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30),
            "the declarer is told");

        var chat = Assert.Single(teams.Stub.ChannelPosts(), p => p.Body["isGroup"]?.GetValue<bool>() == false).Body;
        Assert.Equal(TeamsScenario.Megan.Id, chat["members"]![0]!["id"]!.GetValue<string>());
        var told = Assert.Single(teams.Stub.ConversationSends(), s => BotFrameworkStub.CardText(s.Body).Contains("did not go through", StringComparison.Ordinal));
        Assert.DoesNotContain(TeamsScenario.General, told.ConversationId, StringComparison.Ordinal);
        Assert.DoesNotContain(teams.Stub.ChannelPosts(), p => BotFrameworkStub.CardText(p.Body).Contains("did not go through", StringComparison.Ordinal));
    }
}
