using System.Net;
using System.Text.Json.Nodes;
using ChatOpsIncident.IntegrationTests.Teams.Support;
using ChatOpsIncident.Teams.Testing;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.IntegrationTests.Teams;

/// <summary>
/// Private incidents (asked for, or private by type) get a Graph channel with membershipType private, owned by the
/// declarer's Entra object id, and are never announced in the feed.
/// </summary>
public sealed class TeamsPrivateIncidentTests
{
    [Theory]
    [InlineData("declare private sev2 Suspicious admin logins", "suspicious-admin-logins")]
    [InlineData("declare type:security sev2 Leaked API key in a public repo", "leaked-api-key")]
    public async Task PrivateDeclaration_CreatesAPrivateChannelOwnedByTheDeclarer_AndIsNotAnnounced(string command, string slug)
    {
        await using var teams = await TeamsScenario.StartAsync();

        var response = await teams.SendAsync(teams.Command(command, TeamsScenario.General, "1741947000000"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string? channel = null;
        await RecordingChatPlatform.WaitUntilAsync(
            () => (channel = teams.Db.ScalarAsync<string>("SELECT channel_id FROM chatops.incidents").GetAwaiter().GetResult()) is not null
                && teams.Stub.ChannelPosts().Any(p => p.ChannelId == channel),
            because: "the kickoff card reaches the private channel");
        await teams.InboxDrainedAsync(1, "the declaration is processed");
        await RecordingChatPlatform.WaitUntilAsync(
            () => teams.Db.ScalarAsync<long>("SELECT count(*) FROM chatops.outbox WHERE status = 'pending'").GetAwaiter().GetResult() == 0,
            TimeSpan.FromSeconds(20),
            "every message of the declaration is out");
        await Task.Delay(1000);

        var creation = BotFrameworkStub.Body(Assert.Single(teams.Stub.AllChannelCreations()));
        Assert.Equal("private", creation["membershipType"]!.GetValue<string>());
        Assert.Contains(slug, creation["displayName"]!.GetValue<string>(), StringComparison.Ordinal);
        var owner = Assert.Single(creation["members"]!.AsArray())!;
        Assert.Equal("#microsoft.graph.aadUserConversationMember", owner["@odata.type"]!.GetValue<string>());
        Assert.EndsWith($"users('{TeamsScenario.MeganAad}')", owner["user@odata.bind"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["owner"], owner["roles"]!.AsArray().Select(r => r!.GetValue<string>()));

        Assert.True(await teams.Db.ScalarAsync<bool>("SELECT is_private FROM chatops.incidents"));
        Assert.DoesNotContain(teams.Stub.ChannelPosts(), p => p.ChannelId == TeamsScenario.Feed);
        Assert.Equal(0, await teams.CountAsync("SELECT count(*) FROM chatops.outbox WHERE channel_id = @feed", ("feed", TeamsScenario.Feed)));
        Assert.Equal(0, await teams.CountAsync("SELECT count(*) FROM chatops.outbox WHERE status = 'dead'"));
    }

    [Fact]
    public async Task PrivateDeclaration_ByAUserWithoutAnEntraId_IsAnsweredWithTheReason_NoChannelIsCreated()
    {
        await using var teams = await TeamsScenario.StartAsync();
        var command = teams.Command("declare private sev2 Suspicious admin logins", TeamsScenario.General, "1741947000001");
        command["from"]!.AsObject().Remove("aadObjectId");

        Assert.Equal(HttpStatusCode.OK, (await teams.SendAsync(command)).StatusCode);

        var thread = $"{TeamsScenario.General};messageid=1741947000001";
        await RecordingChatPlatform.WaitUntilAsync(() => teams.Stub.ConversationSends().Any(c => c.ConversationId == thread), TimeSpan.FromSeconds(20), "the declarer hears why");
        await teams.InboxDrainedAsync(1, "the declaration is done with, not retried");
        await Task.Delay(1000);

        var answer = BotFrameworkStub.CardText(Assert.Single(teams.Stub.ConversationSends(), c => c.ConversationId == thread).Body);
        Assert.Contains("Entra object id", answer, StringComparison.Ordinal);
        Assert.Contains("Megan Bowen", answer, StringComparison.Ordinal);
        Assert.Empty(teams.Stub.AllChannelCreations());
    }
}
