using System.Text.Json;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ChatOpsIncident.IntegrationTests.Paging;

public sealed class PagerDutyPagingTests : IAsyncLifetime
{
    private const string RoutingKey = "R0UTINGKEYsecret123";
    private readonly RecordingChatPlatform _chat = new("slack", "CFEED");
    private readonly WireMockServer _pagerDuty = WireMockServer.Start();
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Paging:RoutingKey"] = RoutingKey,
            ["Paging:EventsUrl"] = $"{_pagerDuty.Url}/v2/enqueue",
        }, chat: _chat);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _pagerDuty.Stop();
    }

    private Task<CommandResult> DeclareAsync(string severity, string delivery) =>
        _host.Services.GetRequiredService<IncidentService>().DeclareAsync(
            new CommandContext("slack", Surfaces.Slack, new UserRef("U1", "alice"), "CORIGIN", delivery),
            new DeclareIncident("Payments down", severity, null, false),
            CancellationToken.None);

    [Fact]
    public async Task PagingSeverity_TriggersOneDedupedEvent_AfterAServerError()
    {
        _pagerDuty.Given(Request.Create().WithPath("/v2/enqueue").UsingPost()).InScenario("flaky").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(503));
        _pagerDuty.Given(Request.Create().WithPath("/v2/enqueue").UsingPost()).InScenario("flaky").WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(202).WithBody("""{"status":"success","message":"Event processed"}"""));

        var result = await DeclareAsync("SEV1", "page-1");
        await RecordingChatPlatform.WaitUntilAsync(() => _chat.Pages.Count == 1, TimeSpan.FromSeconds(20));

        // A person declared it, so an acknowledge follows the trigger; the trigger is what this test is about.
        var accepted = _pagerDuty.LogEntries.Where(e => e.ResponseMessage?.StatusCode is 202 && Action(e) == "trigger").ToList();
        var body = JsonDocument.Parse(Assert.Single(accepted).RequestMessage!.Body!).RootElement;
        Assert.Equal(RoutingKey, body.GetProperty("routing_key").GetString());
        Assert.Equal("trigger", body.GetProperty("event_action").GetString());
        Assert.Equal($"chatops-incident-{result.Incident!.Id:N}", body.GetProperty("dedup_key").GetString());
        Assert.Contains("Payments down", body.GetProperty("payload").GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Single(_chat.Pages);
    }

    [Fact]
    public async Task NonPagingSeverity_PagesNobody()
    {
        _pagerDuty.Given(Request.Create().WithPath("/v2/enqueue")).RespondWith(Response.Create().WithStatusCode(202));

        var result = await DeclareAsync("SEV3", "page-2");
        await RecordingChatPlatform.WaitUntilAsync(() => _chat.PostsTo(result.Incident!.ChannelId!).Any());
        await Task.Delay(500);

        Assert.Empty(_pagerDuty.LogEntries);
        Assert.Empty(_chat.Pages);
    }

    [Fact]
    public async Task RejectedRoutingKey_IsNotRetried_AndTheKeyIsNotInTheError()
    {
        _pagerDuty.Given(Request.Create().WithPath("/v2/enqueue")).RespondWith(Response.Create().WithStatusCode(400).WithBody("""{"status":"invalid event"}"""));

        await DeclareAsync("SEV1", "page-3");
        await RecordingChatPlatform.WaitUntilAsync(() => _host.Database.ScalarAsync<int>("SELECT count(*) FROM chatops.outbox WHERE operation = 'page' AND status = 'dead'").Result == 1, TimeSpan.FromSeconds(20));

        Assert.Single(_pagerDuty.LogEntries, e => Action(e) == "trigger");
        var error = await _host.Database.ScalarAsync<string>("SELECT last_error FROM chatops.outbox WHERE operation = 'page'");
        Assert.Contains("Paging:RoutingKey", error, StringComparison.Ordinal);
        Assert.DoesNotContain(RoutingKey, error, StringComparison.Ordinal);
    }

    private static string? Action(WireMock.Logging.ILogEntry e) =>
        JsonDocument.Parse(e.RequestMessage!.Body!).RootElement.GetProperty("event_action").GetString();

    private IReadOnlyList<JsonElement> Accepted(string action) => _pagerDuty.LogEntries
        .Where(e => e.ResponseMessage?.StatusCode is 202 && Action(e) == action)
        .Select(e => JsonDocument.Parse(e.RequestMessage!.Body!).RootElement).ToList();

    private Task<CommandResult> RunAsync(Guid incident, IncidentCommand command, string delivery, string user = "U2") =>
        _host.Services.GetRequiredService<IncidentService>().ExecuteOnAsync(
            new CommandContext("slack", Surfaces.Slack, new UserRef(user, "user-" + user), null, delivery), incident, command, CancellationToken.None);

    /// <summary>
    /// An alert-opened SEV1 pages; the first claim of a role acknowledges (PagerDuty answers the first acknowledge 500,
    /// the second 202); a forced resolve resolves. Each command is delivered twice: one accepted event of each kind,
    /// all on the incident's one dedup key.
    /// </summary>
    [Fact]
    public async Task AlertOpenedIncident_TriggerAcknowledgeResolve_OneAcceptedEach_DedupedPerIncident_AcrossRetries()
    {
        _pagerDuty.Given(Request.Create().WithPath("/v2/enqueue").UsingPost().WithBody(new WireMock.Matchers.JsonPartialMatcher("""{"event_action":"acknowledge"}""")))
            .InScenario("ack").WillSetStateTo("ack-ok").AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(500));
        _pagerDuty.Given(Request.Create().WithPath("/v2/enqueue").UsingPost().WithBody(new WireMock.Matchers.JsonPartialMatcher("""{"event_action":"acknowledge"}""")))
            .InScenario("ack").WhenStateIs("ack-ok").AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(202).WithBody("""{"status":"success"}"""));
        _pagerDuty.Given(Request.Create().WithPath("/v2/enqueue").UsingPost()).AtPriority(5)
            .RespondWith(Response.Create().WithStatusCode(202).WithBody("""{"status":"success"}"""));

        var service = _host.Services.GetRequiredService<IncidentService>();
        var declared = await service.DeclareAsync(
            new CommandContext("slack", Surfaces.Slack, new UserRef("U1", "alertmanager"), "CORIGIN", "alert-1"),
            new DeclareIncident("Payments down", "SEV1", null, false, Acknowledged: false), CancellationToken.None);
        var id = declared.Incident!.Id;
        await RecordingChatPlatform.WaitUntilAsync(() => Accepted("trigger").Count == 1, TimeSpan.FromSeconds(20), "trigger");
        Assert.Empty(Accepted("acknowledge"));

        // The first human act, delivered twice (a platform retry).
        Assert.False((await RunAsync(id, new AssignRole("commander", new UserRef("U2", "bob")), "claim-1")).Refused);
        await RunAsync(id, new AssignRole("commander", new UserRef("U2", "bob")), "claim-1");
        // A second human act is not a second acknowledgement.
        await RunAsync(id, new AssignRole("ops", new UserRef("U3", "carol")), "claim-2", "U3");
        await RecordingChatPlatform.WaitUntilAsync(() => Accepted("acknowledge").Count == 1, TimeSpan.FromSeconds(20), "acknowledge");

        Assert.False((await RunAsync(id, new Resolve("Fixed", Force: true, ForceReason: "test"), "resolve-1")).Refused);
        await RunAsync(id, new Resolve("Fixed", Force: true, ForceReason: "test"), "resolve-1");
        await RecordingChatPlatform.WaitUntilAsync(() => Accepted("resolve").Count == 1, TimeSpan.FromSeconds(20), "resolve");
        await RecordingChatPlatform.WaitUntilAsync(
            () => _host.Database.ScalarAsync<long>("SELECT count(*) FROM chatops.outbox WHERE status <> 'done'").Result == 0, TimeSpan.FromSeconds(20), "outbox drained");

        Assert.Single(Accepted("trigger"));
        Assert.Single(Accepted("acknowledge"));
        Assert.Single(Accepted("resolve"));
        // The failed first acknowledge was really sent (and retried), not skipped.
        Assert.Single(_pagerDuty.LogEntries, e => e.ResponseMessage?.StatusCode is 500 && Action(e) == "acknowledge");
        var keys = Accepted("trigger").Concat(Accepted("acknowledge")).Concat(Accepted("resolve")).Select(b => b.GetProperty("dedup_key").GetString()).Distinct().ToList();
        Assert.Equal($"chatops-incident-{id:N}", Assert.Single(keys));
        Assert.All(Accepted("acknowledge").Concat(Accepted("resolve")), b => Assert.Equal(RoutingKey, b.GetProperty("routing_key").GetString()));
        Assert.True(await _host.Database.ScalarAsync<bool>("SELECT acknowledged_at IS NOT NULL FROM chatops.incidents WHERE id = @id", ("id", id)));
    }

    [Fact]
    public async Task IncidentThatNeverPaged_EndsWithoutAnyPagerEvent()
    {
        _pagerDuty.Given(Request.Create().WithPath("/v2/enqueue")).RespondWith(Response.Create().WithStatusCode(202));
        var result = await DeclareAsync("SEV3", "quiet-1");
        Assert.False((await RunAsync(result.Incident!.Id, new Cancel("declared by mistake"), "quiet-2", "U1")).Refused);
        await RecordingChatPlatform.WaitUntilAsync(
            () => _host.Database.ScalarAsync<long>("SELECT count(*) FROM chatops.outbox WHERE status <> 'done'").Result == 0, TimeSpan.FromSeconds(20), "outbox drained");

        Assert.Empty(_pagerDuty.LogEntries);
        Assert.Equal(1, await _host.Database.ScalarAsync<long>("SELECT count(*) FROM chatops.outbox WHERE operation = 'page-resolve'"));
    }

    [Theory]
    [InlineData("decline")]
    [InlineData("merge")]
    public async Task DeclinedOrMergedIncident_ResolvesItsAlert(string exit)
    {
        _pagerDuty.Given(Request.Create().WithPath("/v2/enqueue")).RespondWith(Response.Create().WithStatusCode(202));
        var service = _host.Services.GetRequiredService<IncidentService>();
        var ctx = new CommandContext("slack", Surfaces.Slack, new UserRef("U1", "alertmanager"), "CORIGIN", "triage-1");
        var page = (await service.DeclareAsync(ctx, new DeclareIncident("Disk alarm", "SEV1", null, false, Triage: true, Acknowledged: false), CancellationToken.None)).Incident!;
        await RecordingChatPlatform.WaitUntilAsync(() => Accepted("trigger").Count == 1, TimeSpan.FromSeconds(20), "trigger");
        if (exit == "decline")
        {
            var declined = await RunAsync(page.Id, new Decline("flapping disk alarm"), "exit-1", "U1");
            Assert.False(declined.Refused, declined.Reply?.Text);
        }
        else
        {
            var other = (await DeclareAsync("SEV3", "other-1")).Incident!;
            var merged = await service.ExecuteAsync(new CommandContext("slack", Surfaces.Slack, new UserRef("U1", "alertmanager"), page.ChannelId, "exit-1"), new Merge(other.Number), CancellationToken.None);
            Assert.False(merged.Refused, merged.Reply?.Text);
        }

        await RecordingChatPlatform.WaitUntilAsync(() => Accepted("resolve").Count == 1, TimeSpan.FromSeconds(20), "resolve");
        Assert.Equal($"chatops-incident-{page.Id:N}", Assert.Single(Accepted("resolve")).GetProperty("dedup_key").GetString());
    }
}
