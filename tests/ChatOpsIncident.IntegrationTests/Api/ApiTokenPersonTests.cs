using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using static ChatOpsIncident.IntegrationTests.Api.ApiTestClient;

namespace ChatOpsIncident.IntegrationTests.Api;

/// <summary>
/// Tokens and visibility: a token without a person sees no private incident; a token acting as a person
/// (<c>Api:Tokens:n:User</c>) sees what that person sees and writes as them; <c>alerts:write</c> opens the alert intake.
/// </summary>
public sealed class ApiTokenPersonTests : IAsyncLifetime
{
    private const string PromToken = "prom-token-0123456789abcdef0123456789";
    private readonly RecordingChatPlatform _chat = new("slack");
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        var settings = Settings();
        settings["Alerts:Sources:0:Name"] = "prom";
        settings["Alerts:Sources:0:Kind"] = "alertmanager";
        settings["Alerts:Sources:0:Token"] = PromToken;
        _host = await TestHost.StartAsync(settings, chat: _chat);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<(HttpResponseMessage Response, JsonElement Body)> Send(HttpMethod method, string path, object? body = null, string? token = Admin) =>
        SendAsync(_host.Client, method, path, body, token);

    private async Task<Incident> DeclareAsync(string title, string declarer, bool isPrivate)
    {
        var service = _host.Services.GetRequiredService<IncidentService>();
        var result = await service.DeclareAsync(new CommandContext("slack", Surfaces.Slack, new UserRef(declarer), "C0", $"declare-{title}"), new DeclareIncident(title, "SEV2", null, isPrivate), CancellationToken.None);
        return result.Incident!;
    }

    [Fact]
    public async Task PersonToken_SeesPrivateIncidentsThatPersonIsPartOf_PlainTokensDoNot()
    {
        var bobs = await DeclareAsync("Bob's breach", "U0BOB", isPrivate: true);
        var roleForAlice = await DeclareAsync("Vendor leak", "U0BOB", isPrivate: true);
        // Alice becomes one of its people through a role, given by an admin.
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Post, $"/api/incidents/{roleForAlice.Id}/roles", new { role = "scribe", user = AliceId })).Response.StatusCode);

        var aliceSeesHers = await Send(HttpMethod.Get, $"/api/incidents/INC-{roleForAlice.Number}", token: AliceCli);
        var aliceSeesBobs = await Send(HttpMethod.Get, $"/api/incidents/{bobs.Id}", token: AliceCli);
        var aliceNotesBobs = await Send(HttpMethod.Post, $"/api/incidents/{bobs.Id}/notes", new { text = "peek" }, AliceCli);
        var readerSeesHers = await Send(HttpMethod.Get, $"/api/incidents/{roleForAlice.Id}", token: Reader);
        var writerSeesHers = await Send(HttpMethod.Get, $"/api/incidents/{roleForAlice.Id}", token: Writer);
        var aliceList = await Send(HttpMethod.Get, "/api/incidents", token: AliceCli);
        var readerList = await Send(HttpMethod.Get, "/api/incidents", token: Reader);

        Assert.Equal(HttpStatusCode.OK, aliceSeesHers.Response.StatusCode);
        Assert.Equal("Vendor leak", aliceSeesHers.Body.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NotFound, aliceSeesBobs.Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, aliceNotesBobs.Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, readerSeesHers.Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, writerSeesHers.Response.StatusCode);
        Assert.Equal(["Vendor leak"], aliceList.Body.GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("title").GetString()));
        Assert.Empty(readerList.Body.GetProperty("incidents").EnumerateArray());
        Assert.DoesNotContain("Bob's breach", aliceList.Body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PersonToken_WritesAreAuditedAsThatPerson_WithSurfaceApi_AndItsOwnPrivateDeclarationStaysVisibleToIt()
    {
        var (created, body) = await Send(HttpMethod.Post, "/api/incidents", new { title = "Token rotation gone wrong", severity = "SEV2", @private = true }, AliceCli);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = body.GetProperty("incident").GetProperty("id").GetString()!;

        var edit = await Send(HttpMethod.Patch, $"/api/incidents/{id}", new { title = "Token rotation broke login" }, AliceCli);
        var note = await Send(HttpMethod.Post, $"/api/incidents/{id}/notes", new { text = "Rolled the old key back" }, AliceCli);
        var mine = await Send(HttpMethod.Get, $"/api/incidents/{id}", token: AliceCli);

        Assert.Equal(HttpStatusCode.OK, edit.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, note.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, mine.Response.StatusCode);
        var detail = mine.Body;
        Assert.Equal(AliceId, detail.GetProperty("declaredBy").GetProperty("id").GetString());
        var audit = detail.GetProperty("audit").EnumerateArray().ToList();
        Assert.Contains(audit, a => a.GetProperty("field").GetString() == "title" && a.GetProperty("actor").GetString() == AliceId && a.GetProperty("surface").GetString() == Surfaces.Api);
        Assert.DoesNotContain(audit, a => a.GetProperty("actor").GetString()!.StartsWith("api:", StringComparison.Ordinal));
        var noted = detail.GetProperty("timeline").EnumerateArray().Single(t => t.GetProperty("kind").GetString() == TimelineKinds.Note);
        Assert.Equal(AliceId, noted.GetProperty("author").GetProperty("id").GetString());

        // The same write from a token without a person is the token's, by name.
        await Send(HttpMethod.Post, "/api/incidents", new { title = "Queue backlog", severity = "SEV3" }, Writer);
        var list = (await Send(HttpMethod.Get, "/api/incidents", token: Admin)).Body.GetProperty("incidents").EnumerateArray().ToList();
        var byWriter = list.Single(i => i.GetProperty("title").GetString() == "Queue backlog").GetProperty("id").GetString();
        Assert.Equal("api:ci", (await Send(HttpMethod.Get, $"/api/incidents/{byWriter}")).Body.GetProperty("declaredBy").GetProperty("id").GetString());
    }

    private async Task<HttpResponseMessage> PostAlertAsync(string source, string? token, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/alerts/{source}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _host.Client.SendAsync(request);
    }

    [Fact]
    public async Task AlertsWriteToken_MayPostToAConfiguredSource_OtherScopesAndUnknownSourcesMayNot()
    {
        var body = Samples.Read("alerts/alertmanager.v4.firing.json");

        var router = await PostAlertAsync("prom", Router, body);
        var source = await PostAlertAsync("prom", PromToken, body);
        var reader = await PostAlertAsync("prom", Reader, body);
        var writer = await PostAlertAsync("prom", Writer, body);
        var unknown = await PostAlertAsync("nowhere", Router, body);
        var malformed = await PostAlertAsync("prom", Router, "{ not json");

        Assert.Equal(HttpStatusCode.Accepted, router.StatusCode);
        // The same body again, through the source's own token: stored once, whoever sent it.
        Assert.Equal(HttpStatusCode.Accepted, source.StatusCode);
        Assert.Contains("duplicate", await source.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, reader.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, writer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(1L, await _host.Database.ScalarAsync<long>("SELECT count(*) FROM chatops.inbox WHERE platform = 'alerts'"));

        // And the router token opens nothing of the incident API.
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Get, "/api/incidents", token: Router)).Response.StatusCode);
    }
}
