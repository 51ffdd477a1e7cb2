using System.Net;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.IntegrationTests.Teams.Support;
using ChatOpsIncident.Teams.Testing;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.IntegrationTests.Teams;

/// <summary>
/// Issue 13, "Teams card actions act on whatever incident id the client sends back, without checking the
/// conversation": a click naming an incident from a conversation without its card changes nothing.
/// </summary>
public sealed class TeamsCardActionConversationTests
{
    [Fact]
    public async Task CardActionFromAnotherConversation_IsRefusedAsNotFound_AndChangesNothing()
    {
        await using var teams = await TeamsScenario.StartAsync();
        await teams.DeclareAsync();
        await teams.InboxDrainedAsync(1, "the declaration is processed");
        var incident = await teams.Db.ScalarAsync<Guid>("SELECT id FROM chatops.incidents");
        var elsewhere = $"{TeamsScenario.General};messageid=1741948000000";

        var response = await teams.SendAsync(teams.CardClick("f:forged-claim-1", elsewhere, ChatActions.ClaimRole, $"{incident}|comms", TeamsScenario.Nestor));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await teams.InboxDrainedAsync(2, "the forged click is processed");
        await RecordingChatPlatform.WaitUntilAsync(
            () => teams.Stub.ConversationSends().Any(s => s.ConversationId == elsewhere),
            TimeSpan.FromSeconds(20),
            "the clicker hears that the incident was not found");
        Assert.Contains("not found", BotFrameworkStub.CardText(teams.Stub.ConversationSends().First(s => s.ConversationId == elsewhere).Body), StringComparison.Ordinal);
        Assert.Equal(0, await teams.CountAsync("SELECT count(*) FROM chatops.roles WHERE role = 'comms'"));
        Assert.Equal(0, await teams.CountAsync("SELECT count(*) FROM chatops.audit WHERE field = 'role:comms'"));
    }
}
