using System.Net;
using System.Text.Json;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.TestSupport;
using static ChatOpsIncident.IntegrationTests.Api.ApiTestClient;

namespace ChatOpsIncident.IntegrationTests.Api;

public sealed class ChangesApiTests : IAsyncLifetime
{
    private readonly RecordingChatPlatform _chat = new("slack");
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(Settings(), chat: _chat);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<(HttpResponseMessage Response, JsonElement Body)> Send(HttpMethod method, string path, object? body = null, string? token = Admin) =>
        SendAsync(_host.Client, method, path, body, token);

    [Fact]
    public async Task ChangePostedBeforeADeclare_ShowsUnderRecentChanges_InTheNewChannel()
    {
        var posted = await Send(HttpMethod.Post, "/api/changes", new { kind = "deploy", service = "checkout", summary = "v2.14.0 rolled out", author = "ci-bot", url = "https://ci.example/run/981" }, Deployer);
        Assert.Equal(HttpStatusCode.Created, posted.Response.StatusCode);

        var (_, created) = await Send(HttpMethod.Post, "/api/incidents", new { title = "Checkout errors", severity = "SEV2" });
        var channel = created.GetProperty("incident").GetProperty("channelId").GetString()!;

        await RecordingChatPlatform.WaitUntilAsync(() => _chat.PostsTo(channel).Any(m => m.Title == IncidentMessages.RecentChangesTitle), TimeSpan.FromSeconds(60), "the recent changes are posted");
        var message = _chat.PostsTo(channel).First(m => m.Title == IncidentMessages.RecentChangesTitle);
        var line = Assert.Single(Assert.Single(message.Sections).Bullets!);
        Assert.Contains("deploy checkout: v2.14.0 rolled out (by ci-bot)", line, StringComparison.Ordinal);
        var detail = (await Send(HttpMethod.Get, $"/api/incidents/{created.GetProperty("incident").GetProperty("id").GetString()}")).Body;
        Assert.Contains(detail.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("kind").GetString() == TimelineKinds.Change);
    }

    [Fact]
    public async Task ChangeWhileAnIncidentIsOpen_LandsOnItsTimeline_NotOnAResolvedOne()
    {
        var (_, created) = await Send(HttpMethod.Post, "/api/incidents", new { title = "Latency", severity = "SEV3" });
        var id = created.GetProperty("incident").GetProperty("id").GetString()!;

        var posted = await Send(HttpMethod.Post, "/api/changes", new { kind = "flag", service = "search", summary = "new-ranker 50%" }, Deployer);

        Assert.Equal(HttpStatusCode.Created, posted.Response.StatusCode);
        var timeline = (await Send(HttpMethod.Get, $"/api/incidents/{id}")).Body.GetProperty("timeline").EnumerateArray().ToList();
        var entry = Assert.Single(timeline, t => t.GetProperty("kind").GetString() == TimelineKinds.Change);
        Assert.StartsWith("flag search: new-ranker 50%", entry.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changes_ListedSince_PagedWithCursor_BadInput422_ScopesEnforced()
    {
        var baseTime = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 3; i++)
        {
            var r = await Send(HttpMethod.Post, "/api/changes", new { kind = "config", service = $"svc{i}", summary = $"change {i}", time = baseTime.AddMinutes(i) }, Deployer);
            Assert.Equal(HttpStatusCode.Created, r.Response.StatusCode);
        }

        var since = Uri.EscapeDataString(baseTime.AddMinutes(1).ToString("O"));
        var first = await Send(HttpMethod.Get, $"/api/changes?since={since}&limit=1", token: Reader);
        var next = first.Body.GetProperty("next").GetString()!;
        var second = await Send(HttpMethod.Get, $"/api/changes?since={since}&limit=1&cursor={next}", token: Reader);
        var bad = await Send(HttpMethod.Post, "/api/changes", new { kind = "yolo", url = "ftp://x" }, Deployer);
        var readerPosts = await Send(HttpMethod.Post, "/api/changes", new { kind = "deploy", service = "a", summary = "b" }, Reader);
        var deployerDeclares = await Send(HttpMethod.Post, "/api/incidents", new { title = "x" }, Deployer);

        Assert.Equal("svc1", Assert.Single(first.Body.GetProperty("changes").EnumerateArray()).GetProperty("service").GetString());
        Assert.Equal("svc2", Assert.Single(second.Body.GetProperty("changes").EnumerateArray()).GetProperty("service").GetString());
        Assert.Equal(JsonValueKind.Null, second.Body.GetProperty("next").ValueKind);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.Response.StatusCode);
        Assert.Equal(4, bad.Body.GetProperty("errors").GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, readerPosts.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, deployerDeclares.Response.StatusCode);
    }
}
