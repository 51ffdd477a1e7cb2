using System.Net;
using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.IntegrationTests.Infrastructure;
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
    private const string General = "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2";
    private const string Feed = "19:feed5c0ffee0000000000000000000@thread.tacv2";
    private const string Stakeholders = "19:stakeholders00000000000000000@thread.tacv2";
    private readonly TestDatabase _db = new();
    private readonly BotFrameworkStub _stub = new();
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        var settings = _stub.Settings(Feed);
        settings["Incident:Severities:1:Stakeholders:0"] = Stakeholders;
        _host = TestHost.Start(_db, settings);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _stub.Dispose();
        await _db.DisposeAsync();
    }

    private static string Payload(string name) =>
        File.ReadAllText(Path.Combine(PayloadDirectory, name));

    private static readonly string PayloadDirectory = FindPayloads();

    private static string FindPayloads()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "ChatOpsIncident.IntegrationTests", "Teams", "Payloads");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/ChatOpsIncident.IntegrationTests/Teams/Payloads not found above the test directory.");
    }

    private string Fill(string json, string? channelId = null) =>
        json.Replace("{{serviceUrl}}", _stub.ServiceUrl, StringComparison.Ordinal).Replace("{{channelId}}", channelId ?? General, StringComparison.Ordinal);

    private async Task<HttpResponseMessage> SendAsync(string activityJson, string? token = null) =>
        await _host.Client.SendAsync(_stub.SignedActivity(activityJson, token));

    /// <summary>A channel message to the bot, made from the recorded declare message.</summary>
    private string Command(string text, string channelId, string activityId)
    {
        var node = JsonNode.Parse(Fill(Payload("message.channel.declare.json")))!;
        node["id"] = activityId;
        node["text"] = $"<at>Incident</at> {text}";
        node["conversation"]!["id"] = $"{channelId};messageid={activityId}";
        node["channelData"]!["channel"]!["id"] = channelId;
        return node.ToJsonString();
    }

    private async Task<string> DeclareAsync()
    {
        var response = await SendAsync(Fill(Payload("message.channel.declare.json")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string? channel = null;
        await RecordingChatPlatform.WaitUntilAsync(() =>
        {
            channel ??= _db.ScalarAsync<string>("SELECT channel_id FROM chatops.incidents").GetAwaiter().GetResult();
            return channel is not null && _stub.ChannelPosts().Any(p => p.ChannelId == channel);
        }, because: "the kickoff card reaches the new channel");
        return channel!;
    }

    private Task<long> CountAsync(string sql) => _db.ScalarAsync<long>(sql);

    [Fact]
    public async Task Declare_MentionInChannel_CreatesOneChannel_PostsKickoffCard_Announces_AndRetryCreatesNothing()
    {
        var channel = await DeclareAsync();

        var creation = Assert.Single(_stub.ChannelCreations());
        var graphBody = BotFrameworkStub.Body(creation);
        Assert.StartsWith("inc-", graphBody["displayName"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("checkout-5xx-after-deploy", graphBody["displayName"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(graphBody["displayName"]!.GetValue<string>().Length <= 50);
        Assert.Equal("standard", graphBody["membershipType"]!.GetValue<string>());
        Assert.Equal("Bearer " + BotFrameworkStub.GraphToken, creation.RequestMessage!.Headers!["Authorization"].ToString());

        // SEV2 also pages into the channel: pick the kickoff card by its checklist.
        var kickoff = Assert.Single(_stub.ChannelPosts(), p => p.ChannelId == channel && BotFrameworkStub.CardText(p.Body).Contains("Triage checklist", StringComparison.Ordinal)).Body;
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

        await RecordingChatPlatform.WaitUntilAsync(() => _stub.ChannelPosts().Any(p => p.ChannelId == Feed), because: "the declaration is announced in the feed");
        await RecordingChatPlatform.WaitUntilAsync(
            () => _stub.ConversationSends().Any(s => s.ConversationId == $"{General};messageid=1741944413000"),
            because: "the declarer gets an answer in the thread of the command");
        var reply = _stub.ConversationSends().Single(s => s.ConversationId == $"{General};messageid=1741944413000");
        Assert.Contains("declared", BotFrameworkStub.CardText(reply.Body), StringComparison.Ordinal);
        var connectorCall = _stub.Requests("POST", "/amer/v3/conversations")[0];
        Assert.Equal("Bearer " + BotFrameworkStub.ConnectorToken, connectorCall.RequestMessage!.Headers!["Authorization"].ToString());

        // The Connector redelivers the same activity: it is acknowledged and changes nothing.
        var postsBefore = _stub.Requests("POST", "/amer/").Count;
        var retry = await SendAsync(Fill(Payload("message.channel.declare.json")));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        await Task.Delay(1500);

        Assert.Single(_stub.ChannelCreations());
        Assert.Equal(postsBefore, _stub.Requests("POST", "/amer/").Count);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.incidents"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.inbox WHERE platform = 'teams' AND kind = 'message'"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.teams_incident_channels WHERE channel_id IS NOT NULL"));
    }

    [Fact]
    public async Task Reaction_OnKickoffCard_LandsOnTimelineOnce_AndIsAcknowledgedOnce()
    {
        var channel = await DeclareAsync();
        // The row is written after the Connector answers, which can be just after the stub logged the request.
        string? kickoffId = null;
        await RecordingChatPlatform.WaitUntilAsync(
            () => (kickoffId = _db.ScalarAsync<string>($"SELECT message_id FROM chatops.teams_messages WHERE text LIKE '%declared by%' AND channel_id = '{channel}'").GetAwaiter().GetResult()) is not null,
            because: "the kickoff message id is recorded");
        Assert.NotNull(kickoffId);

        string Reaction(string activityId, string user)
        {
            var node = JsonNode.Parse(Samples.Read("teams/activities/messageReaction.reactionsAdded.json"))!;
            node["id"] = activityId;
            node["serviceUrl"] = _stub.ServiceUrl;
            node["conversation"]!["id"] = $"{channel};messageid={kickoffId}";
            node["channelData"]!["channel"]!["id"] = channel;
            node["replyToId"] = kickoffId;
            node["from"]!["aadObjectId"] = user;
            return node.ToJsonString();
        }

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Reaction("f:reaction-1", "c33aafc4-646d-4543-9d4c-abd28e4d2110"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Reaction("f:reaction-1", "c33aafc4-646d-4543-9d4c-abd28e4d2110"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Reaction("f:reaction-2", "0c1d2e3f-0000-4000-8000-000000000001"))).StatusCode);

        await RecordingChatPlatform.WaitUntilAsync(
            () => _stub.ConversationSends().Any(s => s.ConversationId == $"{channel};messageid={kickoffId}"),
            because: "the capture is acknowledged in the kickoff thread");
        await RecordingChatPlatform.WaitUntilAsync(
            () => _db.ScalarAsync<long>("SELECT count(*) FROM chatops.inbox WHERE kind = 'messageReaction' AND status = 'done'").GetAwaiter().GetResult() == 2,
            because: "both reactions are processed");
        await Task.Delay(500);

        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'pinned'"));
        Assert.Equal(kickoffId, await _db.ScalarAsync<string>("SELECT source_message FROM chatops.timeline WHERE kind = 'pinned'"));
        Assert.Contains("Checkout 5xx after deploy", await _db.ScalarAsync<string>("SELECT text FROM chatops.timeline WHERE kind = 'pinned'"), StringComparison.Ordinal);
        Assert.Single(_stub.ConversationSends(), s => s.ConversationId == $"{channel};messageid={kickoffId}");
    }

    [Fact]
    public async Task MessageAction_AddToTimeline_CapturesAnyMessageOnce_AndAnswersTheInvoke()
    {
        var channel = await DeclareAsync();
        var invoke = Fill(Payload("invoke.composeExtension-submitAction.COMPOSITE.json"), channel);

        var response = await SendAsync(invoke);
        var again = await SendAsync(invoke);
        var other = JsonNode.Parse(invoke)!;
        other["id"] = "f:composite-submit-0002";
        var third = await SendAsync(other.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("message", answer["task"]!["type"]!.GetValue<string>());
        Assert.Contains("Added to the timeline of INC-", answer["task"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        await RecordingChatPlatform.WaitUntilAsync(
            () => _db.ScalarAsync<long>("SELECT count(*) FROM chatops.inbox WHERE kind = 'invoke:composeExtension/submitAction' AND status = 'done'").GetAwaiter().GetResult() == 2,
            because: "both message-action invokes are processed");

        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'pinned'"));
        Assert.Equal("Rolled back deploy 2025.03.14-2 & error rate is dropping", await _db.ScalarAsync<string>("SELECT text FROM chatops.timeline WHERE kind = 'pinned'"));
        Assert.Equal("Nestor Wilke", await _db.ScalarAsync<string>("SELECT author_name FROM chatops.timeline WHERE kind = 'pinned'"));
        Assert.Equal("1741945262000", await _db.ScalarAsync<string>("SELECT source_message FROM chatops.timeline WHERE kind = 'pinned'"));
    }

    [Fact]
    public async Task StatusUpdate_InIncidentChannel_ReachesTheStakeholderChannels()
    {
        var channel = await DeclareAsync();

        var response = await SendAsync(Command("update identified Bad deploy 2025.03.14-2 rolled back", channel, "1741945555000"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await RecordingChatPlatform.WaitUntilAsync(() => _stub.ChannelPosts().Any(p => p.ChannelId == Stakeholders), because: "the update is fanned out");
        var fanned = _stub.ChannelPosts().Single(p => p.ChannelId == Stakeholders).Body;
        var text = BotFrameworkStub.CardText(fanned);
        Assert.Contains("Bad deploy 2025.03.14-2 rolled back", text, StringComparison.Ordinal);
        Assert.Contains("identified", text, StringComparison.Ordinal);
        await RecordingChatPlatform.WaitUntilAsync(
            () => _stub.ChannelPosts().Any(p => p.ChannelId == channel && BotFrameworkStub.CardText(p.Body).Contains("Status update: identified", StringComparison.Ordinal)),
            because: "the update is posted in the incident channel too");
        Assert.Equal("identified", await _db.ScalarAsync<string>("SELECT status FROM chatops.incidents"));
        await RecordingChatPlatform.WaitUntilAsync(() => _stub.Requests("PUT", "/amer/v3/conversations/").Count > 0, because: "the kickoff card is updated in place");
    }

    [Fact]
    public async Task OutboxMessage_ToTeamsIncidentChannel_ReachesTheConnector()
    {
        // Any outbox post to a Teams channel (what the scheduler enqueues); TeamsCadenceTests runs the real cadence end to end.
        var channel = await DeclareAsync();
        var id = (await _db.ScalarAsync<Guid>("SELECT id FROM chatops.incidents"))!;
        var outbox = _host.Services.GetRequiredService<IOutbox>();

        await outbox.EnqueueAsync([new OutboxMessage($"reminder:{id}:1", id, "teams", OutboxOperations.Post, channel)
        {
            Message = new ChatMessage("⏰ A status update is overdue") { Title = "⏰ Status update overdue", Tone = MessageTone.Warning },
        }], CancellationToken.None);
        _host.Services.GetRequiredService<OutboxSignal>().Notify();

        await RecordingChatPlatform.WaitUntilAsync(
            () => _stub.ChannelPosts().Any(p => p.ChannelId == channel && BotFrameworkStub.CardText(p.Body).Contains("Status update overdue", StringComparison.Ordinal)),
            because: "the reminder reaches the Teams channel");
    }

    [Fact]
    public async Task Unauthenticated_Or_Forbidden_Activities_AreRefused_AndNothingIsStored()
    {
        var body = Fill(Payload("message.channel.declare.json"));

        var unsigned = await _host.Client.PostAsync("/api/messages", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var wrongKey = await SendAsync(body, _stub.CreateToken(key: _stub.UnpublishedKey));
        var otherServiceUrl = await SendAsync(body, _stub.CreateToken(serviceUrl: "https://smba.trafficmanager.net/emea/"));
        var malformed = await SendAsync("{not json");

        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherServiceUrl.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.inbox"));
        Assert.Empty(_stub.ChannelCreations());
    }
}
