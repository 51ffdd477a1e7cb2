using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Slack.Outbound;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace ChatOpsIncident.Slack.Tests.Outbound;

public sealed class SlackChatPlatformTests : IDisposable
{
    private const string Bot = "W23456789";
    private readonly WireMockServer _slack = WireMockServer.Start();
    private readonly ServiceProvider _services;

    public SlackChatPlatformTests()
    {
        _services = SlackTestServices.Build(_slack.Url! + "/api/", extra: new Dictionary<string, string?> { ["Slack:Http:AttemptTimeout"] = "00:00:02" });
        Stub("auth.test", Samples.Read("slack/api/auth.test.ok.with_bot_token.json"));
        Stub("conversations.setPurpose", Samples.Read("slack/api/conversations.setPurpose.ok.json"));
    }

    private SlackChatPlatform Platform => _services.GetRequiredService<SlackChatPlatform>();

    public void Dispose()
    {
        _slack.Stop();
        _services.Dispose();
    }

    private void Stub(string method, string body) =>
        _slack.Given(Request.Create().WithPath("/api/" + method).UsingPost())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(body));

    private void Stub(string method, Func<string, string> body, Action? before = null) =>
        _slack.Given(Request.Create().WithPath("/api/" + method).UsingPost()).RespondWith(Response.Create().WithCallback(request =>
        {
            var text = body(request.Body ?? "");
            before?.Invoke();
            return new ResponseMessage
            {
                StatusCode = 200,
                Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
                BodyData = new BodyData { BodyAsString = text, DetectedBodyType = BodyType.String },
            };
        }));

    private List<string> Bodies(string method) =>
        _slack.LogEntries.Where(e => e.RequestMessage!.Path == "/api/" + method).Select(e => e.RequestMessage!.Body ?? "").ToList();

    private static Incident Incident(int number = 7) => new()
    {
        Id = Guid.Parse("0199a8c4-0000-7000-8000-000000000007"),
        Number = number,
        Title = "Checkout 5xx",
        Severity = "SEV2",
        Type = "availability",
        Platform = "slack",
        DeclaredBy = new UserRef("U1", "alice"),
    };

    private static string Channel(string id, string name, string creator, string purpose) =>
        new JsonObject { ["id"] = id, ["name"] = name, ["creator"] = creator, ["purpose"] = new JsonObject { ["value"] = purpose } }.ToJsonString();

    [Fact]
    public async Task CreateChannel_Ok_SetsMarkerPurpose_AndKeepsTheNameSlackReturned()
    {
        Stub("conversations.create", _ => $$"""{"ok":true,"channel":{{Channel("C0NEW", "inc-7-checkout-5xx", Bot, "")}}}""");

        var channel = await Platform.CreateChannelAsync(Incident(), new ChannelNameRequest("inc", 7, "Checkout 5xx"), isPrivate: false, CancellationToken.None);

        Assert.Equal(("C0NEW", "inc-7-checkout-5xx"), (channel.Id, channel.Name));
        Assert.Equal("https://subarachnoid.slack.com/archives/C0NEW", channel.Url);
        Assert.Contains(SlackChatPlatform.Marker(Incident()), Bodies("conversations.setPurpose").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateChannel_NameTakenByOurEarlierAttempt_ReusesThatChannel()
    {
        Stub("conversations.create", Samples.Read("slack/api/conversations.create.error.name_taken.json"));
        Stub("conversations.list", _ => "{\"ok\":true,\"channels\":[" + Channel("C0OTHER", "general", "U9", "") + "," + Channel("C0MINE", "inc-7-checkout-5xx", Bot, "") + "],\"response_metadata\":{\"next_cursor\":\"\"}}");

        var channel = await Platform.CreateChannelAsync(Incident(), new ChannelNameRequest("inc", 7, "Checkout 5xx"), isPrivate: false, CancellationToken.None);

        Assert.Equal("C0MINE", channel.Id);
        Assert.Single(Bodies("conversations.create"));
        Assert.Contains("C0MINE", Bodies("conversations.setPurpose").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateChannel_NameTakenBySomeoneElse_TriesSuffixes()
    {
        Stub("conversations.create", body => body.Contains("\"inc-7-checkout-5xx\"", StringComparison.Ordinal)
            ? Samples.Read("slack/api/conversations.create.error.name_taken.json")
            : $$"""{"ok":true,"channel":{{Channel("C0SUFFIX", "inc-7-checkout-5xx-2", Bot, "")}}}""");
        Stub("conversations.list", _ => $$"""{"ok":true,"channels":[{{Channel("C0HUMAN", "inc-7-checkout-5xx", "U0HUMAN", "")}}]}""");

        var channel = await Platform.CreateChannelAsync(Incident(), new ChannelNameRequest("inc", 7, "Checkout 5xx"), isPrivate: true, CancellationToken.None);

        Assert.Equal(("C0SUFFIX", "inc-7-checkout-5xx-2"), (channel.Id, channel.Name));
        Assert.Equal(2, Bodies("conversations.create").Count);
        Assert.All(Bodies("conversations.create"), b => Assert.Contains("\"is_private\":true", b, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_TimedOutButLanded_IsFoundByItsMetadata_AndNotPostedTwice()
    {
        string? sentPostId = null;
        var posts = 0;
        Stub("chat.postMessage", body =>
        {
            Interlocked.Increment(ref posts);
            sentPostId = JsonNode.Parse(body)!["metadata"]!["event_payload"]!["post_id"]!.GetValue<string>();
            return Samples.Read("slack/api/chat.postMessage.ok.json");
        }, before: () => Thread.Sleep(5000));
        Stub("conversations.history", _ => """{"ok":true,"messages":[{"type":"message","ts":"1700000000.000100","text":"other"},{"type":"message","ts":"1700000000.000200","text":"x","metadata":{"event_type":"chatops_post","event_payload":{"post_id":"POSTID"}}}]}""".Replace("POSTID", sentPostId, StringComparison.Ordinal));

        var posted = await Platform.PostAsync("C1", ChatMessage.Plain("Status update"), CancellationToken.None);

        Assert.Equal("1700000000.000200", posted.MessageId);
        Assert.Equal(1, posts);
        Assert.Contains("include_all_metadata=true", Bodies("conversations.history").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_TimedOutAndNotThere_IsPostedOnceMore()
    {
        var calls = 0;
        Stub("chat.postMessage", _ => Samples.Read("slack/api/chat.postMessage.ok.json"), before: () =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                Thread.Sleep(5000);
            }
        });
        Stub("conversations.history", _ => """{"ok":true,"messages":[]}""");

        var posted = await Platform.PostAsync("C1", ChatMessage.Plain("Status update"), CancellationToken.None);

        Assert.Equal("1503435956.000247", posted.MessageId);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Post_RendersBlocksWithPlainMentions()
    {
        Stub("chat.postMessage", Samples.Read("slack/api/chat.postMessage.ok.json"));

        await Platform.PostAsync("C1", ChatMessage.Plain("<@U1|alice> took Scribe & more"), CancellationToken.None);

        var body = JsonNode.Parse(Bodies("chat.postMessage").Single())!;
        Assert.Equal("<@U1> took Scribe &amp; more", body["text"]!.GetValue<string>());
        Assert.Equal("<@U1> took Scribe &amp; more", body["blocks"]![0]!["text"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task FetchMessage_TopLevel_UsesExactHistoryLookup_WithAuthorTimeAndPermalink()
    {
        Stub("conversations.history", Samples.Read("slack/api/conversations.history.ok.with_timestamp_inclusive.json"));
        Stub("chat.getPermalink", Samples.Read("slack/api/chat.getPermalink.ok.json"));
        Stub("users.info", Samples.Read("slack/api/users.info.ok.json"));
        var sample = JsonNode.Parse(Samples.Read("slack/api/conversations.history.ok.with_timestamp_inclusive.json"))!["messages"]![0]!;
        var ts = sample["ts"]!.GetValue<string>();

        var message = await Platform.FetchMessageAsync(new SourceRef("slack", "C123ABC456", ts), CancellationToken.None);

        Assert.NotNull(message);
        Assert.Equal(sample["text"]!.GetValue<string>(), message.Text);
        Assert.Equal(sample["user"]!.GetValue<string>(), message.Author!.Id);
        Assert.Equal(SlackChatPlatform.TsToTime(ts), message.PostedAt);
        Assert.StartsWith("https://", message.Source.Permalink, StringComparison.Ordinal);
        var query = Bodies("conversations.history").Single();
        Assert.Contains($"latest={ts}", query, StringComparison.Ordinal);
        Assert.Contains("inclusive=true", query, StringComparison.Ordinal);
        Assert.Contains("limit=1", query, StringComparison.Ordinal);
        Assert.Empty(Bodies("conversations.replies"));
    }

    [Fact]
    public async Task FetchMessage_ThreadReply_FallsBackToReplies()
    {
        var replies = JsonNode.Parse(Samples.Read("slack/api/conversations.replies.ok.json"))!;
        var reply = replies["messages"]!.AsArray().Last()!;
        var ts = reply["ts"]!.GetValue<string>();
        Stub("conversations.history", _ => """{"ok":true,"messages":[{"type":"message","ts":"1000000000.000001","user":"U0","text":"parent"}]}""");
        Stub("conversations.replies", Samples.Read("slack/api/conversations.replies.ok.json"));
        Stub("chat.getPermalink", Samples.Read("slack/api/chat.getPermalink.ok.with_thread.json"));
        Stub("users.info", Samples.Read("slack/api/users.info.error.user_not_found.json"));

        var message = await Platform.FetchMessageAsync(new SourceRef("slack", "C123ABC456", ts), CancellationToken.None);

        Assert.NotNull(message);
        Assert.Equal(reply["text"]!.GetValue<string>(), message.Text);
        Assert.Contains($"ts={ts}", Bodies("conversations.replies").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_SkipsTheBot_AndToleratesAlreadyInChannel()
    {
        Stub("conversations.invite", """{"ok":false,"error":"already_in_channel"}""");

        await Platform.InviteAsync("C1", [new UserRef("U1"), new UserRef(Bot), new UserRef("U2")], CancellationToken.None);

        var body = JsonNode.Parse(Bodies("conversations.invite").Single())!;
        Assert.Equal("U1,U2", body["users"]!.GetValue<string>());
    }

    [Fact]
    public void TsToTime_ParsesWithoutFloatingPoint()
    {
        var at = SlackChatPlatform.TsToTime("1503435956.000247");

        Assert.Equal(1503435956, at.ToUnixTimeSeconds());
        Assert.Equal(2470, at.UtcTicks % TimeSpan.TicksPerSecond);
        Assert.Equal("1503435956.000247", SlackChatPlatform.Ts(at));
    }
}
