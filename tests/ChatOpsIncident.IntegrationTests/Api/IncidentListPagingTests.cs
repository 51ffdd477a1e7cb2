using System.Net;
using System.Text.Json;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using static ChatOpsIncident.IntegrationTests.Api.ApiTestClient;

namespace ChatOpsIncident.IntegrationTests.Api;

/// <summary>
/// <c>GET /api/incidents</c> pages with an opaque keyset cursor: every incident once, in order, with the visibility rule
/// applied in the same query on every page.
/// </summary>
public sealed class IncidentListPagingTests : IAsyncLifetime
{
    private const int Total = 120;
    private readonly RecordingChatPlatform _chat = new("slack");
    private readonly List<Incident> _declared = [];
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync(Settings(), chat: _chat);
        var service = _host.Services.GetRequiredService<IncidentService>();
        for (var i = 0; i < Total; i++)
        {
            // Every fourth is private: half of those are Alice's (she declared them), half Bob's.
            var isPrivate = i % 4 == 0;
            var declarer = isPrivate && i % 8 == 0 ? new UserRef(AliceId, "alice") : new UserRef("U0BOB", "bob");
            var result = await service.DeclareAsync(new CommandContext("slack", Surfaces.Slack, declarer, "C0", $"seed-{i}"), new DeclareIncident($"Incident {i:D3}", "SEV3", null, isPrivate), CancellationToken.None);
            _declared.Add(result.Incident!);
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Walks every page; returns the incidents in the order served and each page's size.</summary>
    private async Task<(List<JsonElement> Incidents, List<int> Pages)> WalkAsync(string token, int limit, Func<Task>? afterFirstPage = null)
    {
        var incidents = new List<JsonElement>();
        var pages = new List<int>();
        var path = $"/api/incidents?limit={limit}";
        while (true)
        {
            var (response, body) = await SendAsync(_host.Client, HttpMethod.Get, path, token: token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = body.GetProperty("incidents").EnumerateArray().ToList();
            Assert.True(page.Count <= limit);
            incidents.AddRange(page);
            pages.Add(page.Count);
            if (pages.Count == 1 && afterFirstPage is not null)
            {
                await afterFirstPage();
            }

            if (body.GetProperty("next").GetString() is not { } next)
            {
                return (incidents, pages);
            }

            Assert.True(pages.Count < 10, "the walk does not end");
            path = $"/api/incidents?limit={limit}&cursor={Uri.EscapeDataString(next)}";
        }
    }

    private static List<int> Numbers(IEnumerable<JsonElement> incidents) => incidents.Select(i => i.GetProperty("number").GetInt32()).ToList();

    private List<int> Expected(Func<Incident, bool> visible) =>
        _declared.Where(visible).OrderByDescending(i => i.DeclaredAt).ThenByDescending(i => i.Number).Select(i => i.Number).ToList();

    [Fact]
    public async Task Admin_PagesThrough120WithLimit50_EveryIncidentOnce_InOrder_EvenWhenOneIsDeclaredMidWalk()
    {
        var service = _host.Services.GetRequiredService<IncidentService>();
        // A newer incident declared after the first page does not shift the later pages (keyset, not offset).
        var (incidents, pages) = await WalkAsync(Admin, 50, async () =>
            await service.DeclareAsync(new CommandContext("slack", Surfaces.Slack, new UserRef("U0BOB"), "C0", "mid-walk"), new DeclareIncident("Declared mid-walk", "SEV3", null, false), CancellationToken.None));

        Assert.Equal([50, 50, 20], pages);
        Assert.Equal(Expected(_ => true), Numbers(incidents));
        Assert.Equal(Total, Numbers(incidents).Distinct().Count());
        Assert.DoesNotContain(incidents, i => i.GetProperty("title").GetString() == "Declared mid-walk");
    }

    [Fact]
    public async Task ReadToken_NoPrivateIncidentOnAnyPage_NoGaps_AndAPersonsToken_SeesOnlyTheirPrivateOnes()
    {
        var (asReader, readerPages) = await WalkAsync(Reader, 50);
        var (asAlice, alicePages) = await WalkAsync(AliceCli, 50);

        // 90 public: pages of 50 and 40, none private, every public one once.
        Assert.Equal([50, 40], readerPages);
        Assert.DoesNotContain(asReader, i => i.GetProperty("isPrivate").GetBoolean());
        Assert.Equal(Expected(i => !i.IsPrivate), Numbers(asReader));

        // Alice's token sees the public ones and the 15 private incidents she declared, never Bob's.
        Assert.Equal([50, 50, 5], alicePages);
        Assert.Equal(Expected(i => !i.IsPrivate || i.DeclaredBy.Id == AliceId), Numbers(asAlice));
        Assert.DoesNotContain(asAlice, i => i.GetProperty("isPrivate").GetBoolean() && _declared.Single(d => d.Number == i.GetProperty("number").GetInt32()).DeclaredBy.Id != AliceId);
    }

    [Fact]
    public async Task Filters_ApplyOnEveryPage_AndABadCursorIs400_ChangingNothing()
    {
        var first = await SendAsync(_host.Client, HttpMethod.Get, "/api/incidents?limit=7&q=Incident%2001", token: Admin);
        var titles = first.Body.GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("title").GetString()!).ToList();
        var next = first.Body.GetProperty("next").GetString()!;
        var second = await SendAsync(_host.Client, HttpMethod.Get, $"/api/incidents?limit=7&q=Incident%2001&cursor={Uri.EscapeDataString(next)}", token: Admin);
        titles.AddRange(second.Body.GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("title").GetString()!));

        Assert.Equal(Enumerable.Range(10, 10).Reverse().Select(i => $"Incident {i:D3}"), titles);
        Assert.Equal(JsonValueKind.Null, second.Body.GetProperty("next").ValueKind);

        var changesCursor = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.ASCII.GetBytes("changes1:638000000000000000:1"));
        foreach (var bad in new[] { "garbage", "!" + next, changesCursor, new string('A', 200) })
        {
            var (response, body) = await SendAsync(_host.Client, HttpMethod.Get, $"/api/incidents?cursor={Uri.EscapeDataString(bad)}", token: Admin);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("cursor", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }
}
