using System.Net;
using System.Text.Json;
using ChatOpsIncident.Core.Chat;
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

    /// <summary>The pinned kickoff card of the channel: the post the bot pinned.</summary>
    private async Task<(string MessageId, ChatMessage Message)> KickoffAsync(string channel)
    {
        await RecordingChatPlatform.WaitUntilAsync(() => _chat.Pins.Any(p => p.ChannelId == channel), TimeSpan.FromSeconds(60), "the kickoff is pinned");
        var pin = _chat.Pins.First(p => p.ChannelId == channel);
        var post = _chat.Posts.Single(p => p.ChannelId == channel && p.MessageId == pin.MessageId);
        return (post.MessageId, post.Message);
    }

    [Fact]
    public async Task ChangePostedBeforeADeclare_ShowsInTheKickoff_NotAsASeparateMessage_AndStaysWhenTheCardIsRefreshed()
    {
        var posted = await Send(HttpMethod.Post, "/api/changes", new { kind = "deploy", service = "checkout", summary = "v2.14.0 rolled out", author = "ci-bot", url = "https://ci.example/run/981" }, Deployer);
        Assert.Equal(HttpStatusCode.Created, posted.Response.StatusCode);

        var (_, created) = await Send(HttpMethod.Post, "/api/incidents", new { title = "Checkout errors", severity = "SEV2" });
        var id = created.GetProperty("incident").GetProperty("id").GetString()!;
        var channel = created.GetProperty("incident").GetProperty("channelId").GetString()!;

        var (kickoffId, kickoff) = await KickoffAsync(channel);
        var section = Assert.Single(kickoff.Sections, s => s.Heading == IncidentMessages.RecentChangesTitle);
        var line = Assert.Single(section.Bullets!);
        Assert.Contains("deploy checkout: v2.14.0 rolled out (by ci-bot)", line, StringComparison.Ordinal);
        Assert.Null(section.Text);
        var detail = (await Send(HttpMethod.Get, $"/api/incidents/{id}")).Body;
        Assert.Contains(detail.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("kind").GetString() == TimelineKinds.Change);

        // A role change refreshes the pinned card: the section is read with the decision, so it stays.
        var role = await Send(HttpMethod.Post, $"/api/incidents/{id}/roles", new { role = "comms", user = "U7" }, Writer);
        Assert.Equal(HttpStatusCode.OK, role.Response.StatusCode);
        await RecordingChatPlatform.WaitUntilAsync(() => _chat.Updates.Any(u => u.Target.MessageId == kickoffId), TimeSpan.FromSeconds(60), "the kickoff is refreshed");
        var refreshed = _chat.Updates.Last(u => u.Target.MessageId == kickoffId).Message;
        Assert.Contains(line, Assert.Single(refreshed.Sections, s => s.Heading == IncidentMessages.RecentChangesTitle).Bullets!);
        await Task.Delay(500);
        Assert.DoesNotContain(_chat.PostsTo(channel), m => m.Title == IncidentMessages.RecentChangesTitle);
    }

    [Fact]
    public async Task ManyChangesBeforeADeclare_KickoffShowsTheNewestTen_AndSaysHowManyMore()
    {
        var now = TimeProvider.System.GetUtcNow();
        for (var i = 0; i < 13; i++)
        {
            var r = await Send(HttpMethod.Post, "/api/changes", new { kind = "config", service = $"svc{i:D2}", summary = $"push {i}", time = now.AddMinutes(-60 + i) }, Deployer);
            Assert.Equal(HttpStatusCode.Created, r.Response.StatusCode);
        }

        // Outside the window (Changes:Window, 2 h by default): not listed.
        await Send(HttpMethod.Post, "/api/changes", new { kind = "deploy", service = "ancient", summary = "old", time = now.AddHours(-3) }, Deployer);

        var (_, created) = await Send(HttpMethod.Post, "/api/incidents", new { title = "Config storm", severity = "SEV3", @private = true });
        var (_, kickoff) = await KickoffAsync(created.GetProperty("incident").GetProperty("channelId").GetString()!);

        var section = Assert.Single(kickoff.Sections, s => s.Heading == IncidentMessages.RecentChangesTitle);
        Assert.Equal(Enumerable.Range(3, 10).Reverse().Select(i => $"svc{i:D2}"), section.Bullets!.Select(b => b.Split(' ')[1].TrimEnd(':')));
        Assert.Equal("The newest 10, and 3 more on the timeline.", section.Text);
        Assert.DoesNotContain(section.Bullets!, b => b.Contains("ancient", StringComparison.Ordinal));
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

        // The cursor is opaque and this list's own: a made-up one, an id, or an incident list's cursor is a 400.
        foreach (var bad2 in new[] { "42", "not-a-cursor", ListCursorOf("incidents1") })
        {
            var refused = await Send(HttpMethod.Get, $"/api/changes?since={since}&cursor={bad2}", token: Reader);
            Assert.Equal(HttpStatusCode.BadRequest, refused.Response.StatusCode);
            Assert.Equal("application/problem+json", refused.Response.Content.Headers.ContentType?.MediaType);
        }
    }

    private static string ListCursorOf(string kind) =>
        System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.ASCII.GetBytes($"{kind}:638000000000000000:1"));
}
