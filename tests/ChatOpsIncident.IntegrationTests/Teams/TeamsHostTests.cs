using System.Net;
using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.IntegrationTests.Teams.Support;
using ChatOpsIncident.Teams.Testing;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.IntegrationTests.Teams;

/// <summary>
/// The whole host on Kestrel with real PostgreSQL; WireMock plays the Entra token endpoint, the Bot Framework
/// OpenID metadata, the Bot Connector (at the activities' service URL) and Microsoft Graph.
/// </summary>
public sealed class TeamsHostTests : IAsyncLifetime
{
    private TeamsScenario _teams = null!;

    public async Task InitializeAsync() => _teams = await TeamsScenario.StartAsync();

    public async Task DisposeAsync() => await _teams.DisposeAsync();

    [Fact]
    public async Task Declare_MentionInChannel_CreatesOneChannel_PostsKickoffCard_Announces_AndRetryCreatesNothing()
    {
        var channel = await _teams.DeclareAsync();

        var creation = Assert.Single(_teams.Stub.ChannelCreations());
        var graphBody = BotFrameworkStub.Body(creation);
        Assert.StartsWith("inc-", graphBody["displayName"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("checkout-5xx-after-deploy", graphBody["displayName"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(graphBody["displayName"]!.GetValue<string>().Length <= 50);
        Assert.Equal("standard", graphBody["membershipType"]!.GetValue<string>());
        Assert.Equal("Bearer " + BotFrameworkStub.GraphToken, creation.RequestMessage!.Headers!["Authorization"].ToString());

        // SEV2 also pages into the channel: pick the kickoff card by its checklist.
        var kickoff = Assert.Single(_teams.Stub.ChannelPosts(), p => p.ChannelId == channel && BotFrameworkStub.CardText(p.Body).Contains("Triage checklist", StringComparison.Ordinal)).Body;
        var card = kickoff["activity"]!["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", card["contentType"]!.GetValue<string>());
        var text = BotFrameworkStub.CardText(card);
        Assert.Contains("Checkout 5xx after deploy", text, StringComparison.Ordinal);
        Assert.Contains("SEV2", text, StringComparison.Ordinal);
        Assert.Contains("Triage checklist", text, StringComparison.Ordinal);
        Assert.Contains("Next status update due", text, StringComparison.Ordinal);
        Assert.Contains("<at>Megan Bowen</at>", text, StringComparison.Ordinal);
        Assert.Contains(card["content"]!["actions"]!.AsArray(), a => a!["verb"]!.GetValue<string>() == ChatActions.ClaimRole);
        Assert.Equal(BotFrameworkStub.TenantId, kickoff["channelData"]!["tenant"]!["id"]!.GetValue<string>());

        await RecordingChatPlatform.WaitUntilAsync(() => _teams.Stub.ChannelPosts().Any(p => p.ChannelId == TeamsScenario.Feed), because: "the declaration is announced in the feed");
        await RecordingChatPlatform.WaitUntilAsync(
            () => _teams.Stub.ConversationSends().Any(s => s.ConversationId == $"{TeamsScenario.General};messageid=1741944413000"),
            because: "the declarer gets an answer in the thread of the command");
        var reply = _teams.Stub.ConversationSends().Single(s => s.ConversationId == $"{TeamsScenario.General};messageid=1741944413000");
        Assert.Contains("declared", BotFrameworkStub.CardText(reply.Body), StringComparison.Ordinal);
        var connectorCall = _teams.Stub.Requests("POST", "/amer/v3/conversations")[0];
        Assert.Equal("Bearer " + BotFrameworkStub.ConnectorToken, connectorCall.RequestMessage!.Headers!["Authorization"].ToString());

        // The Connector redelivers the same activity: it is acknowledged and changes nothing.
        await _teams.OutboxDrainedAsync("the declaration's posts are all out before the redelivery");
        var postsBefore = _teams.Stub.Requests("POST", "/amer/").Count;
        var retry = await _teams.SendAsync(_teams.Fill(TeamsScenario.Payload("message.channel.declare.json")));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        await Task.Delay(1500);

        Assert.Single(_teams.Stub.ChannelCreations());
        Assert.Equal(postsBefore, _teams.Stub.Requests("POST", "/amer/").Count);
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.incidents"));
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.inbox WHERE platform = 'teams' AND kind = 'message'"));
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.teams_incident_channels WHERE channel_id IS NOT NULL"));
    }

    [Fact]
    public async Task Reaction_OnKickoffCard_LandsOnTimelineOnce_AndIsAcknowledgedOnce()
    {
        var channel = await _teams.DeclareAsync();
        // The row is written after the Connector answers, which can be just after the stub logged the request.
        string? kickoffId = null;
        await RecordingChatPlatform.WaitUntilAsync(
            () => (kickoffId = _teams.Db.ScalarAsync<string>($"SELECT message_id FROM chatops.teams_messages WHERE text LIKE '%declared by%' AND channel_id = '{channel}'").GetAwaiter().GetResult()) is not null,
            because: "the kickoff message id is recorded");
        Assert.NotNull(kickoffId);

        string Reaction(string activityId, string user)
        {
            var node = JsonNode.Parse(Samples.Read("teams/activities/messageReaction.reactionsAdded.json"))!;
            node["id"] = activityId;
            node["serviceUrl"] = _teams.Stub.ServiceUrl;
            node["conversation"]!["id"] = $"{channel};messageid={kickoffId}";
            node["channelData"]!["channel"]!["id"] = channel;
            node["replyToId"] = kickoffId;
            node["from"]!["aadObjectId"] = user;
            // The recorded sample comes from another tenant; the bot only accepts its own (Teams:AllowedTenants).
            node["conversation"]!["tenantId"] = BotFrameworkStub.TenantId;
            node["channelData"]!["tenant"] = new JsonObject { ["id"] = BotFrameworkStub.TenantId };
            return node.ToJsonString();
        }

        Assert.Equal(HttpStatusCode.OK, (await _teams.SendAsync(Reaction("f:reaction-1", "c33aafc4-646d-4543-9d4c-abd28e4d2110"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _teams.SendAsync(Reaction("f:reaction-1", "c33aafc4-646d-4543-9d4c-abd28e4d2110"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _teams.SendAsync(Reaction("f:reaction-2", "0c1d2e3f-0000-4000-8000-000000000001"))).StatusCode);

        await RecordingChatPlatform.WaitUntilAsync(
            () => _teams.Stub.ConversationSends().Any(s => s.ConversationId == $"{channel};messageid={kickoffId}"),
            because: "the capture is acknowledged in the kickoff thread");
        await RecordingChatPlatform.WaitUntilAsync(
            () => _teams.Db.ScalarAsync<long>("SELECT count(*) FROM chatops.inbox WHERE kind = 'messageReaction' AND status = 'done'").GetAwaiter().GetResult() == 2,
            because: "both reactions are processed");
        await Task.Delay(500);

        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'pinned'"));
        Assert.Equal(kickoffId, await _teams.Db.ScalarAsync<string>("SELECT source_message FROM chatops.timeline WHERE kind = 'pinned'"));
        Assert.Contains("Checkout 5xx after deploy", await _teams.Db.ScalarAsync<string>("SELECT text FROM chatops.timeline WHERE kind = 'pinned'"), StringComparison.Ordinal);
        Assert.Single(_teams.Stub.ConversationSends(), s => s.ConversationId == $"{channel};messageid={kickoffId}");
    }

    [Fact]
    public async Task MessageAction_AddToTimeline_CapturesAnyMessageOnce_AndAnswersTheInvoke()
    {
        var channel = await _teams.DeclareAsync();
        var invoke = _teams.Fill(TeamsScenario.Payload("invoke.composeExtension-submitAction.COMPOSITE.json"), channel);

        var response = await _teams.SendAsync(invoke);
        var again = await _teams.SendAsync(invoke);
        var other = JsonNode.Parse(invoke)!;
        other["id"] = "f:composite-submit-0002";
        var third = await _teams.SendAsync(other.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("message", answer["task"]!["type"]!.GetValue<string>());
        Assert.Contains("Added to the timeline of INC-", answer["task"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        await RecordingChatPlatform.WaitUntilAsync(
            () => _teams.Db.ScalarAsync<long>("SELECT count(*) FROM chatops.inbox WHERE kind = 'invoke:composeExtension/submitAction' AND status = 'done'").GetAwaiter().GetResult() == 2,
            because: "both message-action invokes are processed");

        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'pinned'"));
        Assert.Equal("Rolled back deploy 2025.03.14-2 & error rate is dropping", await _teams.Db.ScalarAsync<string>("SELECT text FROM chatops.timeline WHERE kind = 'pinned'"));
        Assert.Equal("Nestor Wilke", await _teams.Db.ScalarAsync<string>("SELECT author_name FROM chatops.timeline WHERE kind = 'pinned'"));
        Assert.Equal("1741945262000", await _teams.Db.ScalarAsync<string>("SELECT source_message FROM chatops.timeline WHERE kind = 'pinned'"));
    }

    [Fact]
    public async Task StatusUpdate_InIncidentChannel_ReachesTheStakeholderChannels()
    {
        var channel = await _teams.DeclareAsync();

        var response = await _teams.SendAsync(_teams.Command("update identified Bad deploy 2025.03.14-2 rolled back", channel, "1741945555000"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The stakeholder channel also heard of the declaration (NotifyStakeholdersOn defaults to every moment): the
        // update is the one post that carries its text, once.
        bool IsUpdate((string ChannelId, System.Text.Json.Nodes.JsonNode Body) p) => p.ChannelId == TeamsScenario.Stakeholders && BotFrameworkStub.CardText(p.Body).Contains("Bad deploy 2025.03.14-2", StringComparison.Ordinal);
        await RecordingChatPlatform.WaitUntilAsync(() => _teams.Stub.ChannelPosts().Any(IsUpdate), because: "the update is fanned out");
        var fanned = _teams.Stub.ChannelPosts().Single(IsUpdate).Body;
        var text = BotFrameworkStub.CardText(fanned);
        Assert.Contains("Bad deploy 2025.03.14-2 rolled back", text, StringComparison.Ordinal);
        Assert.Contains("identified", text, StringComparison.Ordinal);
        await RecordingChatPlatform.WaitUntilAsync(
            () => _teams.Stub.ChannelPosts().Any(p => p.ChannelId == channel && BotFrameworkStub.CardText(p.Body).Contains("Status update: identified", StringComparison.Ordinal)),
            because: "the update is posted in the incident channel too");
        Assert.Equal("identified", await _teams.Db.ScalarAsync<string>("SELECT status FROM chatops.incidents"));
        await RecordingChatPlatform.WaitUntilAsync(() => _teams.Stub.Requests("PUT", "/amer/v3/conversations/").Count > 0, because: "the kickoff card is updated in place");
    }

    [Fact]
    public async Task OutboxMessage_ToTeamsIncidentChannel_ReachesTheConnector()
    {
        // Any outbox post to a Teams channel (what the scheduler enqueues); TeamsCadenceTests runs the real cadence end to end.
        var channel = await _teams.DeclareAsync();
        var id = (await _teams.Db.ScalarAsync<Guid>("SELECT id FROM chatops.incidents"))!;
        var outbox = _teams.Host.Services.GetRequiredService<IOutbox>();

        await outbox.EnqueueAsync([new OutboxMessage($"reminder:{id}:1", id, "teams", OutboxOperations.Post, channel)
        {
            Message = new ChatMessage("⏰ A status update is overdue") { Title = "⏰ Status update overdue", Tone = MessageTone.Warning },
        }], CancellationToken.None);
        _teams.Host.Services.GetRequiredService<OutboxSignal>().Notify();

        await RecordingChatPlatform.WaitUntilAsync(
            () => _teams.Stub.ChannelPosts().Any(p => p.ChannelId == channel && BotFrameworkStub.CardText(p.Body).Contains("Status update overdue", StringComparison.Ordinal)),
            because: "the reminder reaches the Teams channel");
    }

    [Fact]
    public async Task Unauthenticated_Or_Forbidden_Activities_AreRefused_AndNothingIsStored()
    {
        var body = _teams.Fill(TeamsScenario.Payload("message.channel.declare.json"));

        var unsigned = await _teams.Host.Client.PostAsync("/api/messages", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var wrongKey = await _teams.SendAsync(body, _teams.Stub.CreateToken(key: _teams.Stub.UnpublishedKey));
        var otherServiceUrl = await _teams.SendAsync(body, _teams.Stub.CreateToken(serviceUrl: "https://smba.trafficmanager.net/emea/"));
        var malformed = await _teams.SendAsync("{not json");

        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherServiceUrl.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(0, await _teams.CountAsync("SELECT count(*) FROM chatops.inbox"));
        Assert.Empty(_teams.Stub.ChannelCreations());
    }
}
