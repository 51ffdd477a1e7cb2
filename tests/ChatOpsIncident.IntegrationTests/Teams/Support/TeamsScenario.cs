using System.Net;
using System.Text.Json.Nodes;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.Teams.Testing;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.IntegrationTests.Teams.Support;

/// <summary>
/// One whole host (Kestrel, its own PostgreSQL database) wired to a <see cref="BotFrameworkStub"/>, plus the recorded
/// activities the Teams tests send to it. Each test gets its own.
/// </summary>
internal sealed class TeamsScenario : IAsyncDisposable
{
    public const string General = "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2";
    public const string Feed = "19:feed5c0ffee0000000000000000000@thread.tacv2";
    public const string Stakeholders = "19:stakeholders00000000000000000@thread.tacv2";

    /// <summary>The declarer of the recorded declaration (Megan Bowen) and another team member (Nestor Wilke).</summary>
    public const string MeganAad = "7faf8ab2-3d56-4244-b585-20c8a42ed2b8";
    public const string NestorAad = "c33aafc4-646d-4543-9d4c-abd28e4d2110";
    public const string NestorId = "29:1nestor0000000000000000000000000000000000000000000000000000000000000000000000";

    private TeamsScenario(BotFrameworkStub stub, TestHost host)
    {
        Stub = stub;
        Host = host;
    }

    public TestDatabase Db => Host.Database;

    public BotFrameworkStub Stub { get; }

    public TestHost Host { get; }

    /// <summary>
    /// A host with the Teams adapter on against a fresh stub; <paramref name="configure"/> edits the settings
    /// (remove <c>Teams:TeamId</c>, add a cadence, shorten the request timeout…) before the host starts.
    /// </summary>
    public static async Task<TeamsScenario> StartAsync(Action<Dictionary<string, string?>>? configure = null, Action<BotFrameworkStub>? stub = null)
    {
        var bot = new BotFrameworkStub();
        stub?.Invoke(bot);
        var settings = bot.Settings(Feed);
        settings["Incident:Severities:1:Stakeholders:0"] = Stakeholders;
        settings["Incident:RoleNudgeAfter"] = "01:00:00";
        configure?.Invoke(settings);
        return new TeamsScenario(bot, await TestHost.StartAsync(settings, BotFrameworkStub.TrustLogin));
    }

    /// <summary>An activity composed for these tests (teams/composed), with <c>{{serviceUrl}}</c> and <c>{{channelId}}</c> to <see cref="Fill"/>.</summary>
    public static string Payload(string name) => Samples.Read("teams/composed/" + name);

    public string Fill(string json, string? channelId = null) =>
        json.Replace("{{serviceUrl}}", Stub.ServiceUrl, StringComparison.Ordinal).Replace("{{channelId}}", channelId ?? General, StringComparison.Ordinal);

    public async Task<HttpResponseMessage> SendAsync(string activityJson, string? token = null) =>
        await Host.Client.SendAsync(Stub.SignedActivity(activityJson, token));

    public async Task<HttpResponseMessage> SendAsync(JsonNode activity) => await SendAsync(activity.ToJsonString());

    /// <summary>A channel message mentioning the bot, made from the recorded declare message.</summary>
    public JsonObject Command(string text, string channelId, string activityId, (string Id, string Name, string Aad)? from = null)
    {
        var node = JsonNode.Parse(Fill(Payload("message.channel.declare.json")))!.AsObject();
        node["id"] = activityId;
        node["text"] = $"<at>Incident</at> {text}";
        node["conversation"]!["id"] = $"{channelId};messageid={activityId}";
        node["channelData"]!["channel"]!["id"] = channelId;
        if (from is { } f)
        {
            node["from"] = new JsonObject { ["id"] = f.Id, ["name"] = f.Name, ["aadObjectId"] = f.Aad };
        }

        return node;
    }

    /// <summary>The conversation id of a person's 1:1 (personal) chat with the bot, in these tests.</summary>
    public static string PersonalChat((string Id, string Name, string Aad) person) => "a:1personal-" + person.Aad;

    /// <summary>
    /// A message in the person's personal (1:1) chat with the bot, from the recorded personal message: no mention, no
    /// team; <paramref name="timeZone"/> goes into its clientInfo entity (null leaves none there).
    /// </summary>
    public JsonObject Personal(string text, string activityId, (string Id, string Name, string Aad) from, string? timeZone = null)
    {
        var node = JsonNode.Parse(Samples.Read("teams/activities/message.personal.docs-full-inbound.json"))!.AsObject();
        node["id"] = activityId;
        node["serviceUrl"] = Stub.ServiceUrl;
        node["from"] = new JsonObject { ["id"] = from.Id, ["name"] = from.Name, ["aadObjectId"] = from.Aad };
        node["recipient"] = new JsonObject { ["id"] = "28:" + BotFrameworkStub.AppId, ["name"] = "Incident" };
        node["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = BotFrameworkStub.TenantId } };
        node["conversation"]!["id"] = PersonalChat(from);
        node["conversation"]!["tenantId"] = BotFrameworkStub.TenantId;
        node["text"] = text;
        if (timeZone is null)
        {
            node["entities"] = new JsonArray();
        }
        else
        {
            node["entities"]![0]!["timezone"] = timeZone;
        }

        return node;
    }

    /// <summary>What the bot sent into a conversation (a personal chat, a thread), as card text, oldest first.</summary>
    public IReadOnlyList<string> SentTo(string conversationPrefix) =>
        Stub.ConversationSends().Where(s => s.ConversationId.StartsWith(conversationPrefix, StringComparison.Ordinal)).Select(s => BotFrameworkStub.CardText(s.Body)).ToList();

    /// <summary>
    /// A click on one of the bot's cards as Teams sends it: an <c>adaptiveCard/action</c> invoke (Action.Execute) with
    /// the verb and data the card carried, plus any inputs, in the thread of the card.
    /// </summary>
    public JsonObject CardClick(string activityId, string conversationId, string verb, string value, (string Id, string Name, string Aad) from, JsonObject? inputs = null)
    {
        var data = new JsonObject { ["action"] = verb, ["value"] = value };
        foreach (var (k, v) in inputs ?? [])
        {
            data[k] = v?.DeepClone();
        }

        var node = JsonNode.Parse(Samples.Read("teams/activities/invoke.adaptiveCard-action.COMPOSITE-channel.json"))!.AsObject();
        node["id"] = activityId;
        node["serviceUrl"] = Stub.ServiceUrl;
        node["from"] = new JsonObject { ["id"] = from.Id, ["name"] = from.Name, ["aadObjectId"] = from.Aad };
        node["recipient"] = new JsonObject { ["id"] = "28:" + BotFrameworkStub.AppId, ["name"] = "Incident" };
        node["conversation"] = new JsonObject
        {
            ["isGroup"] = true,
            ["conversationType"] = "channel",
            ["tenantId"] = BotFrameworkStub.TenantId,
            ["id"] = conversationId,
        };
        node["channelData"] = new JsonObject
        {
            ["channel"] = new JsonObject { ["id"] = conversationId.Split(';')[0] },
            ["team"] = new JsonObject { ["id"] = "19:zFLSDFWsesfzcmKArqKJ-65aOXJz@sgf462H2wz41@thread.tacv2", ["aadGroupId"] = BotFrameworkStub.TeamId },
            ["tenant"] = new JsonObject { ["id"] = BotFrameworkStub.TenantId },
            ["source"] = new JsonObject { ["name"] = "message" },
        };
        node["replyToId"] = conversationId.Contains(";messageid=", StringComparison.Ordinal) ? conversationId[(conversationId.IndexOf('=', StringComparison.Ordinal) + 1)..] : null;
        node["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["id"] = verb, ["verb"] = verb, ["data"] = data },
            ["trigger"] = "manual",
        };
        return node;
    }

    /// <summary>The same click from an older client: Action.Submit, a message whose value is the card data and inputs.</summary>
    public JsonObject SubmitClick(string activityId, string conversationId, string verb, string value, (string Id, string Name, string Aad) from, JsonObject? inputs = null)
    {
        var node = Command("", conversationId.Split(';')[0], activityId, from);
        node["conversation"]!["id"] = conversationId;
        node.Remove("text");
        node["entities"] = new JsonArray();
        var data = new JsonObject { ["action"] = verb, ["value"] = value };
        foreach (var (k, v) in inputs ?? [])
        {
            data[k] = v?.DeepClone();
        }

        node["value"] = data;
        return node;
    }

    public static (string Id, string Name, string Aad) Megan => ("29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw", "Megan Bowen", MeganAad);

    public static (string Id, string Name, string Aad) Nestor => (NestorId, "Nestor Wilke", NestorAad);

    /// <summary>Declares with the recorded activity; returns the new incident channel once its kickoff card is posted.</summary>
    public async Task<string> DeclareAsync(string? activityJson = null)
    {
        var response = await SendAsync(activityJson ?? Fill(Payload("message.channel.declare.json")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string? channel = null;
        await RecordingChatPlatform.WaitUntilAsync(() =>
        {
            channel ??= Db.ScalarAsync<string>("SELECT channel_id FROM chatops.incidents").GetAwaiter().GetResult();
            return channel is not null && Stub.ChannelPosts().Any(p => p.ChannelId == channel);
        }, because: "the kickoff card reaches the new channel");
        return channel!;
    }

    /// <summary>The message id of the kickoff card, once the Connector's answer to posting it is recorded.</summary>
    public async Task<string> KickoffIdAsync()
    {
        string? id = null;
        await RecordingChatPlatform.WaitUntilAsync(
            () => (id = Db.ScalarAsync<string>("SELECT message_id FROM chatops.teams_messages WHERE text LIKE '%declared by%' AND channel_id IN (SELECT channel_id FROM chatops.incidents)").GetAwaiter().GetResult()) is not null,
            because: "the kickoff card's message id is recorded");
        return id!;
    }

    /// <summary>The Connector posts (new threads) into <paramref name="channel"/> whose card text contains <paramref name="text"/>.</summary>
    public IReadOnlyList<JsonNode> PostsTo(string channel, string text) =>
        Stub.ChannelPosts().Where(p => p.ChannelId == channel && BotFrameworkStub.CardText(p.Body).Contains(text, StringComparison.Ordinal)).Select(p => p.Body).ToList();

    public Task<long> CountAsync(string sql, params (string Name, object Value)[] args) => Db.ScalarAsync<long>(sql, args);

    /// <summary>Waits until every stored Teams activity has been processed (done).</summary>
    public Task InboxDrainedAsync(int expectedDone, string because) =>
        RecordingChatPlatform.WaitUntilAsync(
            () => Db.ScalarAsync<long>("SELECT count(*) FROM chatops.inbox WHERE platform = 'teams' AND status = 'done'").GetAwaiter().GetResult() >= expectedDone,
            TimeSpan.FromSeconds(20),
            because);

    /// <summary>Waits until nothing is left to send: channels are sent side by side, so one channel's answer can land
    /// before another channel's last post.</summary>
    public Task OutboxDrainedAsync(string because) =>
        RecordingChatPlatform.WaitUntilAsync(
            () => Db.ScalarAsync<long>("SELECT count(*) FROM chatops.outbox WHERE status = 'pending'").GetAwaiter().GetResult() == 0,
            TimeSpan.FromSeconds(30),
            because);

    /// <summary>The Teams outbox as text, for failure messages: key, status, attempts, last error.</summary>
    public string Outbox() =>
        Db.ScalarAsync<string>("SELECT string_agg(key || ' ' || status || ' ' || attempts || ' ' || coalesce(last_error, ''), E'\\n' ORDER BY id) FROM chatops.outbox")
            .GetAwaiter().GetResult() ?? "(empty)";

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Stub.Dispose();
    }
}
