using System.Net;
using ChatOpsIncident.IntegrationTests.Teams.Support;
using ChatOpsIncident.Teams.Testing;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.IntegrationTests.Privacy;

/// <summary>The findings about Teams chat, through the real host with the Bot Framework stub.</summary>
public sealed class TeamsPrivacyTests
{
    private const string Secret = "Leaked API key in a public repo";

    private static async Task<string> ListAsync(TeamsScenario teams, string activityId, (string Id, string Name, string Aad) from, int done)
    {
        Assert.Equal(HttpStatusCode.OK, (await teams.SendAsync(teams.Command("list", TeamsScenario.General, activityId, from))).StatusCode);
        var thread = $"{TeamsScenario.General};messageid={activityId}";
        await RecordingChatPlatform.WaitUntilAsync(() => teams.Stub.ConversationSends().Any(c => c.ConversationId == thread), TimeSpan.FromSeconds(20), "the list is answered");
        await teams.InboxDrainedAsync(done, "the list is processed");
        return string.Join("\n", teams.Stub.ConversationSends().Where(c => c.ConversationId == thread).Select(c => BotFrameworkStub.CardText(c.Body) + c.Body.ToJsonString()));
    }

    [Fact]
    public async Task IncidentList_ByANonParticipant_DoesNotContainThePrivateTitle()
    {
        await using var teams = await TeamsScenario.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await teams.SendAsync(teams.Command($"declare type:security sev2 {Secret}", TeamsScenario.General, "1741947100000"))).StatusCode);
        await RecordingChatPlatform.WaitUntilAsync(
            () => teams.Db.ScalarAsync<string>("SELECT channel_id FROM chatops.incidents").GetAwaiter().GetResult() is not null,
            because: "the private channel exists");
        await teams.InboxDrainedAsync(1, "the declaration is processed");

        var nestors = await ListAsync(teams, "1741947100001", TeamsScenario.Nestor, 2);
        var megans = await ListAsync(teams, "1741947100002", TeamsScenario.Megan, 3);

        Assert.DoesNotContain(Secret, nestors, StringComparison.Ordinal);
        Assert.DoesNotContain("leaked-api-key", nestors, StringComparison.Ordinal);
        Assert.Contains("No open incidents", nestors, StringComparison.Ordinal);
        Assert.Contains(Secret, megans, StringComparison.Ordinal);
    }
}
