using System.Net;
using System.Text.Json;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Privacy;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static ChatOpsIncident.IntegrationTests.Api.ApiTestClient;

namespace ChatOpsIncident.IntegrationTests.Api;

public sealed class IncidentWriteApiTests : IAsyncLifetime
{
    private readonly RecordingChatPlatform _chat = new("slack");
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(Settings(), chat: _chat);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<(HttpResponseMessage Response, JsonElement Body)> Send(HttpMethod method, string path, object? body = null, string? token = Admin, string? key = null) =>
        SendAsync(_host.Client, method, path, body, token, key);

    private async Task<string> CreateAsync(string title = "Checkout errors", string severity = "SEV2", bool isPrivate = false)
    {
        var (response, body) = await Send(HttpMethod.Post, "/api/incidents", new { title, severity, @private = isPrivate, description = "5xx on checkout", commander = "U42" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return body.GetProperty("incident").GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> DetailAsync(string id) => (await Send(HttpMethod.Get, $"/api/incidents/{id}")).Body;

    [Fact]
    public async Task Create_DeclaresThroughTheService_OpensOneChannel_AuditsSurfaceApi()
    {
        var id = await CreateAsync();

        var detail = await DetailAsync(id);
        Assert.Equal("Checkout errors", detail.GetProperty("title").GetString());
        Assert.Equal("SEV2", detail.GetProperty("severity").GetString());
        Assert.Equal("5xx on checkout", detail.GetProperty("description").GetString());
        Assert.Equal("U42", detail.GetProperty("roles").EnumerateArray().Single(r => r.GetProperty("role").GetString() == "commander").GetProperty("holder").GetProperty("id").GetString());
        Assert.False(string.IsNullOrEmpty(detail.GetProperty("channelId").GetString()));
        Assert.Single(_chat.Channels);
        Assert.Equal("api:admin", detail.GetProperty("declaredBy").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Create_SameIdempotencyKey_ReturnsTheSameIncident_OneChannel()
    {
        var body = new { title = "Queue backlog", severity = "SEV3" };
        var first = await Send(HttpMethod.Post, "/api/incidents", body, Writer, key: "deploy-981");
        var second = await Send(HttpMethod.Post, "/api/incidents", body, Writer, key: "deploy-981");
        var other = await Send(HttpMethod.Post, "/api/incidents", body, Writer, key: "deploy-982");

        Assert.Equal(HttpStatusCode.Created, first.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.Response.StatusCode);
        Assert.Equal(first.Body.GetProperty("incident").GetProperty("id").GetString(), second.Body.GetProperty("incident").GetProperty("id").GetString());
        Assert.NotEqual(first.Body.GetProperty("incident").GetProperty("id").GetString(), other.Body.GetProperty("incident").GetProperty("id").GetString());
        Assert.Equal(2, _chat.Channels.Count);
    }

    [Fact]
    public async Task Create_BadInput_Answers422_NamingEachField()
    {
        var (response, body) = await Send(HttpMethod.Post, "/api/incidents", new { severity = "SEV9", type = "nonsense", platform = "irc" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = body.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(errors, e => e.StartsWith("title", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("severity", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("type", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("platform", StringComparison.Ordinal));
        Assert.Empty(_chat.Channels);
    }

    [Fact]
    public async Task Scopes_ReadTokenCannotWrite_SeesNoPrivateIncident_WriteTokenReads()
    {
        var open = await CreateAsync("Public one");
        var secret = await CreateAsync("Secret one", isPrivate: true);

        var write = await Send(HttpMethod.Post, "/api/incidents", new { title = "x" }, Reader);
        var note = await Send(HttpMethod.Post, $"/api/incidents/{open}/notes", new { text = "x" }, Reader);
        var readList = await Send(HttpMethod.Get, "/api/incidents", token: Reader);
        var readPrivate = await Send(HttpMethod.Get, $"/api/incidents/{secret}", token: Reader);
        var writerNotePrivate = await Send(HttpMethod.Post, $"/api/incidents/{secret}/notes", new { text = "x" }, Writer);
        var writerReads = await Send(HttpMethod.Get, $"/api/incidents/{open}", token: Writer);
        var unknown = await Send(HttpMethod.Post, "/api/incidents", new { title = "x" }, "not-a-token-not-a-token-not-a-token-00");

        Assert.Equal(HttpStatusCode.Forbidden, write.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, note.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readList.Response.StatusCode);
        Assert.Equal(new[] { "Public one" }, readList.Body.GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("title").GetString()!));
        Assert.Equal(HttpStatusCode.NotFound, readPrivate.Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, writerNotePrivate.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, writerReads.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Response.StatusCode);
        Assert.Equal(2, _chat.Channels.Count);
    }

    [Fact]
    public async Task Patch_EditsTitleSeverityTypeDescription_ByReference_EachAudited()
    {
        var id = await CreateAsync();
        var number = (await DetailAsync(id)).GetProperty("number").GetInt32();

        var (response, _) = await Send(HttpMethod.Patch, $"/api/incidents/INC-{number}", new { title = "Checkout down", severity = "SEV1", type = "security", description = "All card payments fail" }, Writer);
        var empty = await Send(HttpMethod.Patch, $"/api/incidents/{id}", new { }, Writer);
        var unknownNumber = await Send(HttpMethod.Patch, "/api/incidents/INC-9999", new { title = "x" }, Writer);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownNumber.Response.StatusCode);
        var detail = await DetailAsync(id);
        Assert.Equal("Checkout down", detail.GetProperty("title").GetString());
        Assert.Equal("SEV1", detail.GetProperty("severity").GetString());
        Assert.Equal("security", detail.GetProperty("type").GetString());
        Assert.Equal("All card payments fail", detail.GetProperty("description").GetString());
        var audit = detail.GetProperty("audit").EnumerateArray().Where(a => a.GetProperty("surface").GetString() == Surfaces.Api).ToList();
        foreach (var field in new[] { "title", "description", "severity", "type" })
        {
            Assert.Contains(audit, a => a.GetProperty("field").GetString() == field && a.GetProperty("actor").GetString() == "api:ci");
        }
    }

    [Fact]
    public async Task Updates_Notes_Roles_Actions_LandOnTheTimeline()
    {
        var id = await CreateAsync();
        var earlier = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);

        var update = await Send(HttpMethod.Post, $"/api/incidents/{id}/updates", new { status = "identified", text = "Bad deploy found" }, Writer);
        var badStatus = await Send(HttpMethod.Post, $"/api/incidents/{id}/updates", new { status = "resolved", text = "x" }, Writer);
        var note = await Send(HttpMethod.Post, $"/api/incidents/{id}/notes", new { text = "Rollback started", occurredAt = earlier }, Writer);
        var role = await Send(HttpMethod.Post, $"/api/incidents/{id}/roles", new { role = "comms", user = "U7" }, Writer);
        var badRole = await Send(HttpMethod.Post, $"/api/incidents/{id}/roles", new { role = "chef", user = "U7" }, Writer);
        var action = await Send(HttpMethod.Post, $"/api/incidents/{id}/actions", new { text = "Add a canary", owner = "U7", due = "2030-01-31", priority = "high" }, Writer);
        var badAction = await Send(HttpMethod.Post, $"/api/incidents/{id}/actions", new { text = "", priority = "urgent" }, Writer);

        Assert.Equal(HttpStatusCode.OK, update.Response.StatusCode);
        Assert.Equal("identified", update.Body.GetProperty("incident").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badStatus.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, note.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, role.Response.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badRole.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, action.Response.StatusCode);
        Assert.Equal(2, badAction.Body.GetProperty("errors").GetArrayLength());

        var detail = await DetailAsync(id);
        var timeline = detail.GetProperty("timeline").EnumerateArray().ToList();
        var noted = timeline.Single(e => e.GetProperty("kind").GetString() == TimelineKinds.Note);
        Assert.Equal("Rollback started", noted.GetProperty("text").GetString());
        Assert.Equal(earlier, noted.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.Equal("Bad deploy found", detail.GetProperty("updates")[0].GetProperty("text").GetString());
        Assert.Contains(detail.GetProperty("roles").EnumerateArray(), r => r.GetProperty("role").GetString() == "comms" && r.GetProperty("holder").GetProperty("id").GetString() == "U7");
        var item = detail.GetProperty("actions").EnumerateArray().Single();
        Assert.Equal("Add a canary", item.GetProperty("text").GetString());
        Assert.Equal("high", item.GetProperty("priority").GetString());
        Assert.Equal("U7", item.GetProperty("owner").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Resolve_WithOpenRecoveryItems_Answers409WithEachItem_ThenResolves_Close_RefusesCriticalActionWithoutOwner()
    {
        var id = await CreateAsync();
        var items = _host.Services.GetRequiredService<IOptions<IncidentOptions>>().Value.RecoveryChecklistFor("SEV2");

        var refused = await Send(HttpMethod.Post, $"/api/incidents/{id}/resolve", new { summary = "Rolled back" }, Writer);
        var forceWithoutReason = await Send(HttpMethod.Post, $"/api/incidents/{id}/resolve", new { force = true }, Writer);
        var closeOpen = await Send(HttpMethod.Post, $"/api/incidents/{id}/close", token: Writer);

        Assert.Equal(HttpStatusCode.Conflict, refused.Response.StatusCode);
        Assert.Equal("application/problem+json", refused.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(items, refused.Body.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, forceWithoutReason.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, closeOpen.Response.StatusCode);

        // The checklist is ticked where responders tick it (its buttons), then the API resolves.
        var service = _host.Services.GetRequiredService<IncidentService>();
        for (var i = 0; i < items.Count; i++)
        {
            var ctx = new CommandContext("slack", Surfaces.Slack, new UserRef("U42"), null, $"tick-{i}", Viewer.Admin);
            Assert.False((await service.ExecuteOnAsync(ctx, Guid.Parse(id), new ToggleChecklistItem(IncidentMessages.RecoveryChecklist, i), CancellationToken.None)).Refused);
        }

        var resolved = await Send(HttpMethod.Post, $"/api/incidents/{id}/resolve", new { summary = "Rolled back" }, Writer);
        Assert.Equal(HttpStatusCode.OK, resolved.Response.StatusCode);
        Assert.Equal("resolved", resolved.Body.GetProperty("incident").GetProperty("status").GetString());

        await Send(HttpMethod.Post, $"/api/incidents/{id}/actions", new { text = "Fix the retry storm", priority = "critical" }, Writer);
        var closeRefused = await Send(HttpMethod.Post, $"/api/incidents/{id}/close", token: Writer);
        Assert.Equal(HttpStatusCode.Conflict, closeRefused.Response.StatusCode);
        Assert.Contains("Fix the retry storm", Assert.Single(closeRefused.Body.GetProperty("reasons").EnumerateArray()).GetString(), StringComparison.Ordinal);
        Assert.Equal("resolved", (await DetailAsync(id)).GetProperty("status").GetString());

        // Once the critical action has an owner and a due date, the same close goes through.
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Patch, $"/api/incidents/{id}/actions/1", new { owner = "U9", due = "2030-02-01" }, Writer)).Response.StatusCode);
        var closed = await Send(HttpMethod.Post, $"/api/incidents/{id}/close", token: Writer);
        Assert.Equal(HttpStatusCode.OK, closed.Response.StatusCode);
        Assert.Equal("closed", closed.Body.GetProperty("incident").GetProperty("status").GetString());
    }

    [Fact]
    public async Task PatchAction_SetsOwnerDueAndPriority_DoneAndReopen_EachAudited()
    {
        var id = await CreateAsync();
        await Send(HttpMethod.Post, $"/api/incidents/{id}/actions", new { text = "Fix the retry storm", priority = "critical" }, Writer);

        var edited = await Send(HttpMethod.Patch, $"/api/incidents/{id}/actions/1", new { owner = "U9", due = "2030-02-01", priority = "high" }, Writer);
        var done = await Send(HttpMethod.Patch, $"/api/incidents/{id}/actions/1", new { done = true }, Writer);
        var doneAgain = await Send(HttpMethod.Patch, $"/api/incidents/{id}/actions/1", new { done = true }, Writer);
        var afterDone = (await DetailAsync(id)).GetProperty("actions")[0];
        var reopened = await Send(HttpMethod.Patch, $"/api/incidents/{id}/actions/1", new { done = false }, Writer);
        var missing = await Send(HttpMethod.Patch, $"/api/incidents/{id}/actions/7", new { done = true }, Writer);
        var empty = await Send(HttpMethod.Patch, $"/api/incidents/{id}/actions/1", new { }, Writer);

        Assert.Equal(HttpStatusCode.OK, edited.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, done.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, doneAgain.Response.StatusCode);
        Assert.NotEqual(JsonValueKind.Null, afterDone.GetProperty("doneAt").ValueKind);
        Assert.Equal(HttpStatusCode.OK, reopened.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, missing.Response.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.Response.StatusCode);
        var detail = await DetailAsync(id);
        var item = detail.GetProperty("actions")[0];
        Assert.Equal(("U9", "2030-02-01", "high"), (item.GetProperty("owner").GetProperty("id").GetString(), item.GetProperty("dueDate").GetString(), item.GetProperty("priority").GetString()));
        Assert.Equal(JsonValueKind.Null, item.GetProperty("doneAt").ValueKind);
        var fields = detail.GetProperty("audit").EnumerateArray().Select(a => a.GetProperty("field").GetString()).ToList();
        Assert.Contains("action:1:owner", fields);
        Assert.Contains("action:1:due", fields);
        Assert.Contains("action:1:priority", fields);
    }
}
