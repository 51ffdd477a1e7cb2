using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.IntegrationTests.Api;

public sealed class IncidentApiTests : IAsyncLifetime
{
    private const string Token = "test-api-token-123-test-api-token-123";
    private readonly RecordingChatPlatform _chat = new("slack");
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Api:Token"] = Token }, chat: _chat);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
    }

    private HttpRequestMessage Get(string path, string? token = Token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    public async Task Api_WithoutValidToken_Answers401(string? token)
    {
        var response = await _host.Client.SendAsync(Get("/api/incidents", token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Api_UnknownId_Answers404_MalformedId_Answers400()
    {
        var unknown = await _host.Client.SendAsync(Get($"/api/incidents/{Guid.NewGuid()}"));
        var unknownNumber = await _host.Client.SendAsync(Get("/api/incidents/INC-9999"));
        var malformed = await _host.Client.SendAsync(Get("/api/incidents/not-an-id"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownNumber.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.DoesNotContain("at ChatOps", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_DeclaredIncidents_ListedNewestFirst_WithDetail()
    {
        var service = _host.Services.GetRequiredService<IncidentService>();
        var alice = new UserRef("U1", "alice");
        var first = await service.DeclareAsync(new CommandContext("slack", Surfaces.Slack, alice, "C0", "d1"), new DeclareIncident("First outage", "SEV3", null, false), CancellationToken.None);
        var second = await service.DeclareAsync(new CommandContext("slack", Surfaces.Slack, alice, "C0", "d2"), new DeclareIncident("Second outage", "SEV1", "security", false), CancellationToken.None);

        var page = JsonDocument.Parse(await (await _host.Client.SendAsync(Get("/api/incidents"))).Content.ReadAsStringAsync()).RootElement;
        var list = page.GetProperty("incidents");
        var detailResponse = await _host.Client.SendAsync(Get($"/api/incidents/{second.Incident!.Id}"));
        var detail = JsonDocument.Parse(await detailResponse.Content.ReadAsStringAsync()).RootElement;
        var byNumber = await _host.Client.SendAsync(Get($"/api/incidents/INC-{first.Incident!.Number}"));

        Assert.Equal(2, list.GetArrayLength());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
        Assert.Equal("Second outage", list[0].GetProperty("title").GetString());
        Assert.Equal("SEV1", list[0].GetProperty("severity").GetString());
        Assert.Equal("investigating", list[0].GetProperty("status").GetString());
        Assert.Equal(second.Incident.Number, list[0].GetProperty("number").GetInt32());
        Assert.True(detail.GetProperty("isPrivate").GetBoolean());
        Assert.Equal("commander", detail.GetProperty("roles")[0].GetProperty("role").GetString());
        Assert.Contains(detail.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("kind").GetString() == "declared");
        Assert.True(detail.GetProperty("audit").GetArrayLength() > 0);
        Assert.Equal(HttpStatusCode.OK, byNumber.StatusCode);
    }

    [Fact]
    public async Task Health_And_Ready_AreAnonymous()
    {
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync("/healthz")).StatusCode);
        Assert.Equal("ready", (await _host.WaitReadyAsync())["status"]!.GetValue<string>());
    }
}
