using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.IntegrationTests.Api;

/// <summary>The API and the detail page answer one page of the timeline and audit, with cursors to walk the rest.</summary>
public sealed partial class IncidentPagingTests : IAsyncLifetime
{
    private const string Token = "test-api-token-123-test-api-token-123";
    private const int Notes = 250;
    private readonly RecordingChatPlatform _chat = new("slack");
    private TestHost _host = null!;
    private Incident _incident = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Api:Token"] = Token }, chat: _chat);
        var service = _host.Services.GetRequiredService<IncidentService>();
        var declared = await service.DeclareAsync(new CommandContext("slack", Surfaces.Slack, new UserRef("U1", "alice"), "C0", "d1"), new DeclareIncident("Long one", "SEV2", null, false), CancellationToken.None);
        _incident = declared.Incident!;
        var store = _host.Services.GetRequiredService<IIncidentStore>();
        var at = _incident.DeclaredAt.AddMinutes(1);
        for (var i = 0; i < Notes; i++)
        {
            await store.AppendTimelineAsync(TimelineEntry.Now(_incident.Id, TimelineKinds.Note, $"paged note {i:D3}", at.AddSeconds(i / 3)), CancellationToken.None);
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<HttpResponseMessage> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return await _host.Client.SendAsync(request);
    }

    [Fact]
    public async Task Api_FirstPageBounded_NextCursorsWalkEveryEntryOnce()
    {
        var texts = new List<string>();
        var path = $"/api/incidents/INC-{_incident.Number}?limit=100";
        var pages = 0;
        int total;
        while (true)
        {
            var response = await GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            var timeline = json.GetProperty("timeline");
            Assert.True(timeline.GetArrayLength() <= 100);
            texts.AddRange(timeline.EnumerateArray().Select(e => e.GetProperty("text").GetString()!));
            total = json.GetProperty("timelineTotal").GetInt32();
            // The fields the API always had are still there.
            Assert.Equal("Long one", json.GetProperty("title").GetString());
            Assert.True(json.GetProperty("auditTotal").GetInt32() >= json.GetProperty("audit").GetArrayLength());
            pages++;
            if (json.GetProperty("next").GetProperty("timeline").GetString() is not { } next || pages > 10)
            {
                break;
            }

            path = $"/api/incidents/{_incident.Id}?limit=100&timelineAfter={Uri.EscapeDataString(next)}";
        }

        var notes = texts.Where(t => t.StartsWith("paged note", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(0, Notes).Select(i => $"paged note {i:D3}"), notes);
        Assert.Equal(texts.Count, texts.Distinct().Count());
        Assert.Equal(total, texts.Count);
        Assert.Equal((total + 99) / 100, pages);
    }

    [Theory]
    [InlineData("?timelineAfter=garbage", "timelineAfter")]
    [InlineData("?auditAfter=djE6MTIzOmFiYw", "auditAfter")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=1001", "limit")]
    public async Task Api_BadPaging_400NamingTheParameter(string query, string named)
    {
        var response = await GetAsync($"/api/incidents/{_incident.Id}{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DetailPage_FirstPage_LaterLinkShowsTheNextEntries_BadCursor400()
    {
        var first = await (await GetAsync($"/incidents/{_incident.Id}?limit=50")).Content.ReadAsStringAsync();
        var later = NextLink().Match(first);

        Assert.Contains("paged note 000", first, StringComparison.Ordinal);
        Assert.DoesNotContain("paged note 100", first, StringComparison.Ordinal);
        Assert.True(later.Success, "no 'Later entries' link on the first page");

        var second = await GetAsync(WebUtility.HtmlDecode(later.Groups["href"].Value));
        var html = await second.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.DoesNotContain("paged note 000", html, StringComparison.Ordinal);
        Assert.Contains("First page", html, StringComparison.Ordinal);
        Assert.Matches("paged note 0[4-9][0-9]", html);

        var bad = await GetAsync($"/incidents/{_incident.Id}?timelineAfter=nonsense");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("timelineAfter is not a cursor", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostmortemMarkdown_HasTheWholeTimeline()
    {
        var markdown = await (await GetAsync($"/api/incidents/{_incident.Id}/postmortem.md")).Content.ReadAsStringAsync();

        Assert.Contains("paged note 000", markdown, StringComparison.Ordinal);
        Assert.Contains($"paged note {Notes - 1:D3}", markdown, StringComparison.Ordinal);
    }

    [GeneratedRegex("<a href=\"(?<href>[^\"]+)\" rel=\"next\">Later entries")]
    private static partial Regex NextLink();
}
