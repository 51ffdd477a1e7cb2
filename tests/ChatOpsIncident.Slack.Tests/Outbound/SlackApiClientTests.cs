using System.Diagnostics;
using System.Net;
using ChatOpsIncident.Slack.Outbound;
using ChatOpsIncident.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ChatOpsIncident.Slack.Tests.Outbound;

public sealed class SlackApiClientTests : IDisposable
{
    private readonly WireMockServer _slack = WireMockServer.Start();
    private readonly LogSink _logs = new();

    public void Dispose() => _slack.Stop();

    private SlackApiClient Client(IDictionary<string, string?>? extra = null) =>
        SlackTestServices.Build(_slack.Url! + "/api/", _logs, extra).Client();

    /// <summary>A client whose attempts time out after 2 s (the slow fakes below answer after 6 s).</summary>
    private SlackApiClient ShortTimeoutClient() => Client(new Dictionary<string, string?> { ["Slack:Http:AttemptTimeout"] = "00:00:02" });

    private static IResponseBuilder Json(string body, int status = 200) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json; charset=utf-8").WithBody(body);

    private int Calls(string method) => _slack.LogEntries.Count(e => e.RequestMessage!.Path == "/api/" + method);

    [Fact]
    public async Task PostMessage_Success_SendsBearerTokenAndUtf8Json_ReturnsTs()
    {
        _slack.Given(Request.Create().WithPath("/api/chat.postMessage").UsingPost())
            .RespondWith(Json(Samples.Read("slack/api/chat.postMessage.ok.json")));

        var response = await Client().PostMessageAsync("C123ABC456", "hello", null, "post-1", CancellationToken.None);

        Assert.Equal("1503435956.000247", response.Ts);
        var request = Assert.Single(_slack.LogEntries).RequestMessage!;
        Assert.Equal("Bearer " + SlackTestServices.Token, request.Headers!["Authorization"].Single());
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"].Single());
        Assert.Contains("\"channel\":\"C123ABC456\"", request.Body!, StringComparison.Ordinal);
        Assert.Contains("\"post_id\":\"post-1\"", request.Body!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadMethod_IsSentAsForm()
    {
        _slack.Given(Request.Create().WithPath("/api/conversations.history").UsingPost())
            .RespondWith(Json(Samples.Read("slack/api/conversations.history.ok.json")));

        var history = await Client().HistoryAsync("C1", "1512085950.000216", null, inclusive: true, limit: 1, includeMetadata: false, CancellationToken.None);

        Assert.Equal(2, history.Messages.Count);
        var body = Assert.Single(_slack.LogEntries).RequestMessage!.Body!;
        Assert.Equal("channel=C1&latest=1512085950.000216&inclusive=true&limit=1", body);
    }

    [Fact]
    public async Task OkFalse_ThrowsTypedErrorWithSlackCode_AndIsNotRetried()
    {
        _slack.Given(Request.Create().WithPath("/api/conversations.history").UsingPost())
            .RespondWith(Json(Samples.Read("slack/api/conversations.history.error.channel_not_found.json")));

        var ex = await Assert.ThrowsAsync<SlackApiException>(() => Client().HistoryAsync("C404", null, null, false, 1, false, CancellationToken.None));

        Assert.Equal("channel_not_found", ex.Error);
        Assert.Equal("conversations.history", ex.Method);
        Assert.Equal(1, Calls("conversations.history"));
    }

    [Fact]
    public async Task Http429_WaitsForRetryAfter_ThenSucceeds()
    {
        _slack.Given(Request.Create().WithPath("/api/conversations.setTopic").UsingPost()).InScenario("rl").WillSetStateTo("open")
            .RespondWith(Json(Samples.Read("slack/api/ratelimited.error.json"), 429).WithHeader("Retry-After", "1"));
        _slack.Given(Request.Create().WithPath("/api/conversations.setTopic").UsingPost()).InScenario("rl").WhenStateIs("open")
            .RespondWith(Json(Samples.Read("slack/api/conversations.setTopic.ok.json")));
        var watch = Stopwatch.StartNew();

        var response = await Client().SetTopicAsync("C1", "SEV2 | investigating", CancellationToken.None);

        Assert.True(response.Ok);
        Assert.Equal(2, Calls("conversations.setTopic"));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(950), $"retried after {watch.Elapsed}, before Retry-After");
    }

    [Fact]
    public async Task Http429_OnPostMessage_IsRetried_BecauseNothingWasPosted()
    {
        _slack.Given(Request.Create().WithPath("/api/chat.postMessage").UsingPost()).InScenario("rl").WillSetStateTo("open")
            .RespondWith(Json(Samples.Read("slack/api/ratelimited.error.json"), 429).WithHeader("Retry-After", "0"));
        _slack.Given(Request.Create().WithPath("/api/chat.postMessage").UsingPost()).InScenario("rl").WhenStateIs("open")
            .RespondWith(Json(Samples.Read("slack/api/chat.postMessage.ok.json")));

        await Client().PostMessageAsync("C1", "hi", null, null, CancellationToken.None);

        Assert.Equal(2, Calls("chat.postMessage"));
    }

    [Fact]
    public async Task Http429_WithRetryAfterBeyondTheLimit_SurfacesAsTransientWithRetryAfter()
    {
        _slack.Given(Request.Create().WithPath("/api/conversations.setTopic").UsingPost())
            .RespondWith(Json(Samples.Read("slack/api/ratelimited.error.json"), 429).WithHeader("Retry-After", "120"));

        var ex = await Assert.ThrowsAsync<SlackTransientException>(() => Client().SetTopicAsync("C1", "t", CancellationToken.None));

        Assert.Equal("ratelimited", ex.Error);
        Assert.Equal(TimeSpan.FromSeconds(120), ex.RetryAfter);
        Assert.Equal(1, Calls("conversations.setTopic"));
    }

    [Theory]
    [InlineData(503, null)]
    [InlineData(500, null)]
    [InlineData(200, "internal_error")]
    [InlineData(200, "fatal_error")]
    [InlineData(200, "service_unavailable")]
    public async Task TransientFailure_OnSafeMethod_IsRetriedThenSucceeds(int status, string? error)
    {
        var failure = error is null ? Response.Create().WithStatusCode(status).WithBody("upstream error") : Json($$"""{"ok":false,"error":"{{error}}"}""");
        _slack.Given(Request.Create().WithPath("/api/pins.add").UsingPost()).InScenario("t").WillSetStateTo("ok").RespondWith(failure);
        _slack.Given(Request.Create().WithPath("/api/pins.add").UsingPost()).InScenario("t").WhenStateIs("ok")
            .RespondWith(Json(Samples.Read("slack/api/pins.add.ok.json")));

        var response = await Client().PinAsync("C1", "1.2", CancellationToken.None);

        Assert.True(response.Ok);
        Assert.Equal(2, Calls("pins.add"));
    }

    [Fact]
    public async Task Http5xx_OnPostMessage_IsNotBlindlyRetried()
    {
        _slack.Given(Request.Create().WithPath("/api/chat.postMessage").UsingPost()).RespondWith(Response.Create().WithStatusCode(502));

        var ex = await Assert.ThrowsAsync<SlackTransientException>(() => Client().PostMessageAsync("C1", "hi", null, "p", CancellationToken.None));

        Assert.True(ex.MayHaveTakenEffect);
        Assert.Equal(1, Calls("chat.postMessage"));
    }

    /// <summary>A Slack method whose first <paramref name="slowCalls"/> answers take 6 s (past the attempt timeout).</summary>
    private Func<int> SlowThenFast(string method, string okBody, int slowCalls)
    {
        var calls = 0;
        _slack.Given(Request.Create().WithPath("/api/" + method).UsingPost()).RespondWith(Response.Create().WithCallback(_ =>
        {
            if (Interlocked.Increment(ref calls) <= slowCalls)
            {
                Thread.Sleep(6000);
            }

            return new WireMock.ResponseMessage
            {
                StatusCode = 200,
                Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
                BodyData = new WireMock.Util.BodyData { BodyAsString = okBody, DetectedBodyType = WireMock.Types.BodyType.String },
            };
        }));
        return () => Volatile.Read(ref calls);
    }

    [Fact]
    public async Task Timeout_OnSafeMethod_IsRetried()
    {
        var calls = SlowThenFast("chat.getPermalink", Samples.Read("slack/api/chat.getPermalink.ok.json"), slowCalls: 1);
        var watch = Stopwatch.StartNew();

        var response = await ShortTimeoutClient().PermalinkAsync("C1", "1.2", CancellationToken.None);

        Assert.StartsWith("https://", response.Permalink, StringComparison.Ordinal);
        Assert.Equal(2, calls());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"waited {watch.Elapsed}: the attempt timeout did not cut the slow call");
    }

    [Fact]
    public async Task Timeout_OnPostMessage_SurfacesAsMayHaveTakenEffect_WithoutRepost()
    {
        var calls = SlowThenFast("chat.postMessage", Samples.Read("slack/api/chat.postMessage.ok.json"), slowCalls: 5);

        var ex = await Assert.ThrowsAsync<SlackTransientException>(() => ShortTimeoutClient().PostMessageAsync("C1", "hi", null, "p", CancellationToken.None));

        Assert.Equal("timeout", ex.Error);
        Assert.True(ex.MayHaveTakenEffect);
        Assert.Equal(1, calls());
    }

    [Fact]
    public async Task CircuitBreaker_OpensAfterRepeatedFailures_ThenFailsFastWithoutCallingSlack()
    {
        _slack.Given(Request.Create().WithPath("/api/pins.add").UsingPost()).RespondWith(Response.Create().WithStatusCode(500));
        var client = Client(new Dictionary<string, string?>
        {
            ["Slack:Http:BreakerMinimumThroughput"] = "4",
            ["Slack:Http:BreakerBreakDuration"] = "00:01:00",
            ["Slack:Http:MaxRetries"] = "1",
        });

        SlackTransientException? last = null;
        for (var i = 0; i < 4; i++)
        {
            last = await Assert.ThrowsAsync<SlackTransientException>(() => client.PinAsync("C1", "1.2", CancellationToken.None));
        }

        var callsWhenOpen = Calls("pins.add");
        var open = await Assert.ThrowsAsync<SlackTransientException>(() => client.PinAsync("C1", "1.2", CancellationToken.None));

        Assert.Equal("circuit_open", last!.Error == "circuit_open" ? last.Error : open.Error);
        Assert.Equal("circuit_open", open.Error);
        Assert.Equal(callsWhenOpen, Calls("pins.add"));
        Assert.True(callsWhenOpen <= 5, $"{callsWhenOpen} calls reached Slack before the circuit opened");
    }

    [Fact]
    public async Task BotToken_NeverAppearsInLogs_EvenOnFailures()
    {
        _slack.Given(Request.Create().WithPath("/api/pins.add").UsingPost()).RespondWith(Response.Create().WithStatusCode(500));
        _slack.Given(Request.Create().WithPath("/api/chat.postMessage").UsingPost())
            .RespondWith(Json(Samples.Read("slack/api/chat.postMessage.error.too_many_attachments.json")));
        _slack.Given(Request.Create().WithPath("/api/auth.test").UsingPost()).RespondWith(Json(Samples.Read("slack/api/auth.test.ok.with_bot_token.json")));
        var client = Client();

        await Assert.ThrowsAsync<SlackTransientException>(() => client.PinAsync("C1", "1.2", CancellationToken.None));
        await Assert.ThrowsAsync<SlackApiException>(() => client.PostMessageAsync("C1", "x", null, null, CancellationToken.None));
        await client.AuthTestAsync(CancellationToken.None);

        Assert.NotEmpty(_logs.Lines);
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(SlackTestServices.Token, StringComparison.Ordinal) || l.Contains("xoxb-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApiBaseUrl_WithoutTrailingSlash_StillResolvesMethods()
    {
        _slack.Given(Request.Create().WithPath("/api/auth.test").UsingPost()).RespondWith(Json(Samples.Read("slack/api/auth.test.ok.json")));
        var client = SlackTestServices.Build(_slack.Url! + "/api", _logs).Client();

        var auth = await client.AuthTestAsync(CancellationToken.None);

        Assert.True(auth.Ok);
        Assert.Equal(HttpStatusCode.OK, (HttpStatusCode)_slack.LogEntries.Single().ResponseMessage!.StatusCode!);
    }
}
