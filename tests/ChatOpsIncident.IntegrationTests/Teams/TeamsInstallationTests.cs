using System.Net;
using System.Text.Json.Nodes;
using ChatOpsIncident.IntegrationTests.Teams.Support;
using ChatOpsIncident.Teams.Testing;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.IntegrationTests.Teams;

/// <summary>
/// Without <c>Teams:TeamId</c> the bot learns its team from being added to one (the recorded conversationUpdate),
/// and creates incident channels there.
/// </summary>
public sealed class TeamsInstallationTests
{
    /// <summary>The Graph group id of the team in the recorded "bot added to team" activity.</summary>
    private const string InstalledTeam = "f3ec8cd2-e704-4344-8c47-9a3a21d683c0";
    private const string InstalledTeamThread = "19:zFLSDFWsesfzcmKArqKJ-65aOXJz@sgf462H2wz41@thread.tacv2";
    private const string RecordedBotId = "608cacfd-1cea-40c9-b678-4b93e69bb72b";

    private static void NoConfiguredTeam(Dictionary<string, string?> s) => s.Remove("Teams:TeamId");

    /// <summary>The recorded activity, addressed to this bot at the stub's service URL.</summary>
    private static string BotAdded(TeamsScenario teams) =>
        Samples.Read("teams/activities/conversationUpdate.teamMemberAdded.bot-added-to-team.json")
            .Replace(RecordedBotId, BotFrameworkStub.AppId, StringComparison.Ordinal)
            .Replace("https://smba.trafficmanager.net/amer/", teams.Stub.ServiceUrl, StringComparison.Ordinal);

    /// <summary>"declare …" in the declarer's 1:1 chat with the bot: no team in sight.</summary>
    private static JsonObject PersonalDeclare(TeamsScenario teams, string text)
    {
        var node = JsonNode.Parse(Samples.Read("teams/activities/message.personal.docs-full-inbound.json"))!.AsObject();
        node["serviceUrl"] = teams.Stub.ServiceUrl;
        node["recipient"] = new JsonObject { ["id"] = "28:" + BotFrameworkStub.AppId, ["name"] = "Incident" };
        node["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = BotFrameworkStub.TenantId } };
        node["conversation"]!["tenantId"] = BotFrameworkStub.TenantId;
        node["text"] = text;
        return node;
    }

    [Fact]
    public async Task BotAddedToTeam_RecordsTheTeam_AndADeclarationFromAChat_CreatesTheChannelInThatTeam()
    {
        await using var teams = await TeamsScenario.StartAsync(NoConfiguredTeam);

        var added = await teams.SendAsync(BotAdded(teams));
        var again = await teams.SendAsync(BotAdded(teams));

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await teams.InboxDrainedAsync(1, "the installation is processed");
        Assert.Equal(1, await teams.CountAsync("SELECT count(*) FROM chatops.teams_installations WHERE removed_at IS NULL"));
        Assert.Equal(InstalledTeam, await teams.Db.ScalarAsync<string>("SELECT aad_group_id FROM chatops.teams_installations WHERE team_id = @t", ("t", InstalledTeamThread)));
        Assert.Equal("TestTeam2022", await teams.Db.ScalarAsync<string>("SELECT name FROM chatops.teams_installations"));
        Assert.Equal(BotFrameworkStub.TenantId, await teams.Db.ScalarAsync<string>("SELECT tenant_id FROM chatops.teams_installations"));
        Assert.Equal(teams.Stub.ServiceUrl, await teams.Db.ScalarAsync<string>("SELECT service_url FROM chatops.teams_installations"));
        // The channel the bot was added in is reachable proactively from now on.
        Assert.Equal(InstalledTeam, await teams.Db.ScalarAsync<string>("SELECT aad_group_id FROM chatops.teams_conversations WHERE channel_id = @c", ("c", TeamsScenario.General)));

        var declare = PersonalDeclare(teams, "declare sev3 Payment webhooks failing");
        Assert.Equal(HttpStatusCode.OK, (await teams.SendAsync(declare)).StatusCode);

        string? channel = null;
        await RecordingChatPlatform.WaitUntilAsync(
            () => (channel = teams.Db.ScalarAsync<string>("SELECT channel_id FROM chatops.incidents").GetAwaiter().GetResult()) is not null,
            because: "the incident gets its channel");
        await RecordingChatPlatform.WaitUntilAsync(() => teams.PostsTo(channel!, "Payment webhooks failing").Count > 0, because: "the kickoff card reaches the new channel");
        var chat = declare["conversation"]!["id"]!.GetValue<string>();
        await RecordingChatPlatform.WaitUntilAsync(() => teams.Stub.ConversationSends().Any(s => s.ConversationId == chat), because: "the declarer gets the answer in the chat");

        var creation = Assert.Single(teams.Stub.AllChannelCreations());
        Assert.Equal($"/graph/v1.0/teams/{InstalledTeam}/channels", creation.RequestMessage!.Path);
        Assert.Equal("standard", BotFrameworkStub.Body(creation)["membershipType"]!.GetValue<string>());
        Assert.Contains("payment-webhooks-failing", BotFrameworkStub.Body(creation)["displayName"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains($"groupId={InstalledTeam}", await teams.Db.ScalarAsync<string>("SELECT channel_url FROM chatops.incidents"), StringComparison.Ordinal);
        var kickoff = teams.PostsTo(channel!, "Payment webhooks failing")[0];
        Assert.Equal(BotFrameworkStub.TenantId, kickoff["channelData"]!["tenant"]!["id"]!.GetValue<string>());
        Assert.Contains("declared", BotFrameworkStub.CardText(teams.Stub.ConversationSends().First(s => s.ConversationId == chat).Body), StringComparison.Ordinal);
        Assert.Equal(InstalledTeam, await teams.Db.ScalarAsync<string>("SELECT aad_group_id FROM chatops.teams_conversations WHERE channel_id = @c", ("c", channel!)));
    }

    [Fact]
    public async Task BotRemovedFromTheTeam_TheTeamIsNoLongerUsed()
    {
        await using var teams = await TeamsScenario.StartAsync(NoConfiguredTeam);
        await teams.SendAsync(BotAdded(teams));
        var removed = JsonNode.Parse(BotAdded(teams))!;
        removed["id"] = "f:bot-removed-0001";
        removed["membersRemoved"] = removed["membersAdded"]!.DeepClone();
        removed.AsObject().Remove("membersAdded");
        removed["channelData"]!["eventType"] = "teamMemberRemoved";

        Assert.Equal(HttpStatusCode.OK, (await teams.SendAsync(removed)).StatusCode);

        await teams.InboxDrainedAsync(2, "both membership changes are processed");
        Assert.Equal(1, await teams.CountAsync("SELECT count(*) FROM chatops.teams_installations WHERE removed_at IS NOT NULL"));
        Assert.Equal(0, await teams.CountAsync("SELECT count(*) FROM chatops.teams_installations WHERE removed_at IS NULL"));
    }
}
