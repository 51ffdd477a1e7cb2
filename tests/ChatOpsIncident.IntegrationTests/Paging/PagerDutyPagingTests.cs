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

        var accepted = _pagerDuty.LogEntries.Where(e => e.ResponseMessage?.StatusCode is 202).ToList();
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

        Assert.Single(_pagerDuty.LogEntries);
        var error = await _host.Database.ScalarAsync<string>("SELECT last_error FROM chatops.outbox WHERE operation = 'page'");
        Assert.Contains("Paging:RoutingKey", error, StringComparison.Ordinal);
        Assert.DoesNotContain(RoutingKey, error, StringComparison.Ordinal);
    }
}
