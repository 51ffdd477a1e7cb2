using System.Net;
using System.Text.Json;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Privacy;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static ChatOpsIncident.IntegrationTests.Api.ApiTestClient;

namespace ChatOpsIncident.IntegrationTests.Api;

public sealed class FreezeApiTests : IAsyncLifetime
{
    private readonly RecordingChatPlatform _chat = new("slack");
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(Settings(), chat: _chat);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<(HttpResponseMessage Response, JsonElement Body)> Send(HttpMethod method, string path, object? body = null, string? token = Admin) =>
        SendAsync(_host.Client, method, path, body, token);

    private async Task<JsonElement> FreezeAsync()
    {
        var (response, body) = await Send(HttpMethod.Get, "/api/freeze", token: Reader);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return body;
    }

    [Fact]
    public async Task Freeze_FlipsWithFreezeOnInChat_AndWithResolve_LiftedOnTheTimeline()
    {
        var service = _host.Services.GetRequiredService<IncidentService>();
        var options = _host.Services.GetRequiredService<IOptions<IncidentOptions>>().Value;
        var (created, body) = await Send(HttpMethod.Post, "/api/incidents", new { title = "Payments down", severity = "SEV2", commander = "U42" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = body.GetProperty("incident").GetProperty("id").GetString()!;
        var channel = body.GetProperty("incident").GetProperty("channelId").GetString()!;
        Assert.False((await FreezeAsync()).GetProperty("frozen").GetBoolean());

        // Typed in the incident channel, parsed by the one grammar.
        var ic = new UserRef("U42");
        var parsed = new CommandParser(Microsoft.Extensions.Options.Options.Create(options)).Parse("freeze on", ic);
        var chat = await service.ExecuteAsync(new CommandContext("slack", Surfaces.Slack, ic, channel, "freeze-1"), parsed.Command!, CancellationToken.None);
        Assert.False(chat.Refused);

        var frozen = await FreezeAsync();
        Assert.True(frozen.GetProperty("frozen").GetBoolean());
        var entry = Assert.Single(frozen.GetProperty("incidents").EnumerateArray());
        Assert.Equal(id, entry.GetProperty("id").GetString());
        Assert.Equal("Payments down", entry.GetProperty("title").GetString());

        for (var i = 0; i < options.RecoveryChecklistFor("SEV2").Count; i++)
        {
            await service.ExecuteOnAsync(new CommandContext("slack", Surfaces.Slack, ic, null, $"tick-{i}", Viewer.Admin), Guid.Parse(id), new ToggleChecklistItem(IncidentMessages.RecoveryChecklist, i), CancellationToken.None);
        }

        var resolved = await Send(HttpMethod.Post, $"/api/incidents/{id}/resolve", new { summary = "Rolled back" }, Writer);
        Assert.Equal(HttpStatusCode.OK, resolved.Response.StatusCode);

        var after = await FreezeAsync();
        Assert.False(after.GetProperty("frozen").GetBoolean());
        Assert.Empty(after.GetProperty("incidents").EnumerateArray());
        var detail = (await Send(HttpMethod.Get, $"/api/incidents/{id}")).Body;
        Assert.Contains(detail.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("text").GetString() == IncidentMessages.FreezeLiftedByResolve);
        Assert.Contains(detail.GetProperty("audit").EnumerateArray(), a => a.GetProperty("field").GetString() == "deploy_freeze" && a.GetProperty("newValue").GetString() == "False" && a.GetProperty("surface").GetString() == Surfaces.Api);
    }

    [Fact]
    public async Task Freeze_SetThroughTheApi_PrivateIncidentShownWithoutTitle_ReadTokenCannotSet()
    {
        var (_, body) = await Send(HttpMethod.Post, "/api/incidents", new { title = "Secret breach", severity = "SEV1", @private = true });
        var id = body.GetProperty("incident").GetProperty("id").GetString()!;

        var refused = await Send(HttpMethod.Post, $"/api/incidents/{id}/freeze", new { on = true }, Reader);
        var missing = await Send(HttpMethod.Post, $"/api/incidents/{id}/freeze", new { }, Admin);
        var set = await Send(HttpMethod.Post, $"/api/incidents/{id}/freeze", new { on = true }, Admin);

        Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, set.Response.StatusCode);
        var state = await FreezeAsync();
        Assert.True(state.GetProperty("frozen").GetBoolean());
        var entry = Assert.Single(state.GetProperty("incidents").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("title").ValueKind);
        Assert.True(entry.GetProperty("isPrivate").GetBoolean());
        Assert.DoesNotContain("Secret", state.ToString(), StringComparison.Ordinal);

        var lifted = await Send(HttpMethod.Post, $"/api/incidents/{id}/freeze", new { on = false }, Admin);
        Assert.Equal(HttpStatusCode.OK, lifted.Response.StatusCode);
        Assert.False((await FreezeAsync()).GetProperty("frozen").GetBoolean());
    }
}
