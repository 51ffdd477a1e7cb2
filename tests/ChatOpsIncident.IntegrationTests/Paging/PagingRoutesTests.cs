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

/// <summary>Routing keys per severity and per named service, and <c>page [service] &lt;reason&gt;</c> from chat.</summary>
public sealed class PagingRoutesTests : IAsyncLifetime
{
    private const string DefaultKey = "DEFAULTKEY000000000001";
    private const string Sev1Key = "SEV1KEY0000000000000001";
    private const string PaymentsKey = "PAYMENTSKEY000000000001";
    private readonly RecordingChatPlatform _chat = new("slack", "CFEED");
    private readonly WireMockServer _pagerDuty = WireMockServer.Start();
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _pagerDuty.Given(Request.Create().WithPath("/v2/enqueue")).RespondWith(Response.Create().WithStatusCode(202));
        _host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Paging:RoutingKey"] = DefaultKey,
            ["Paging:EventsUrl"] = $"{_pagerDuty.Url}/v2/enqueue",
            ["Paging:Services:0:Name"] = "payments",
            ["Paging:Services:0:RoutingKey"] = PaymentsKey,
            ["Paging:Services:1:Name"] = "database",
            ["Paging:Services:1:RoutingKey"] = "DATABASEKEY000000000001",
            ["Incident:Severities:0:PagingRoutingKey"] = Sev1Key,
        }, chat: _chat);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _pagerDuty.Stop();
    }

    private List<JsonElement> Events(string action) => _pagerDuty.LogEntries
        .Select(e => JsonDocument.Parse(e.RequestMessage!.Body!).RootElement)
        .Where(b => b.GetProperty("event_action").GetString() == action).ToList();

    private IncidentService Service => _host.Services.GetRequiredService<IncidentService>();

    private static CommandContext Ctx(string delivery) => new("slack", Surfaces.Slack, new UserRef("U1", "alice"), null, delivery);

    [Fact]
    public async Task PageService_GoesToTheServiceKey_WithTheReasonOnTheTimeline_ThenResolveReachesBothRoutes()
    {
        var incident = (await Service.DeclareAsync(Ctx("d-1") with { ChannelId = "CORIGIN" }, new DeclareIncident("Checkout errors", "SEV1", null, false), CancellationToken.None)).Incident!;
        await RecordingChatPlatform.WaitUntilAsync(() => Events("trigger").Count == 1, TimeSpan.FromSeconds(20), "declaration page");
        Assert.Equal(Sev1Key, Events("trigger")[0].GetProperty("routing_key").GetString());

        var parsed = _host.Services.GetRequiredService<CommandParser>().Parse("page payments card auths failing at the gateway", new UserRef("U1", "alice"));
        Assert.True(parsed.Ok, parsed.Error);
        var paged = await Service.ExecuteOnAsync(Ctx("d-2"), incident.Id, parsed.Command!, CancellationToken.None);
        Assert.False(paged.Refused, paged.Reply?.Text);
        await RecordingChatPlatform.WaitUntilAsync(() => Events("trigger").Count == 2, TimeSpan.FromSeconds(20), "service page");
        var servicePage = Events("trigger")[1];
        Assert.Equal(PaymentsKey, servicePage.GetProperty("routing_key").GetString());
        Assert.Contains("card auths failing at the gateway", servicePage.GetProperty("payload").GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await _host.Database.ScalarAsync<long>(
            "SELECT count(*) FROM chatops.timeline WHERE incident_id = @id AND kind = 'page' AND text LIKE '%paged payments: card auths failing at the gateway%'", ("id", incident.Id)));

        await Service.ExecuteOnAsync(Ctx("d-3"), incident.Id, new Resolve("ok", Force: true, ForceReason: "test"), CancellationToken.None);
        await RecordingChatPlatform.WaitUntilAsync(() => Events("resolve").Count == 2, TimeSpan.FromSeconds(20), "resolve on both routes");
        Assert.Equal(new[] { PaymentsKey, Sev1Key }, Events("resolve").Select(b => b.GetProperty("routing_key").GetString()).Order(StringComparer.Ordinal).ToArray());
        Assert.All(Events("resolve"), b => Assert.Equal($"chatops-incident-{incident.Id:N}", b.GetProperty("dedup_key").GetString()));
    }

    [Fact]
    public async Task PageUnknownService_IsRefusedWithTheConfiguredNames_AndPagesNothing()
    {
        var parser = _host.Services.GetRequiredService<CommandParser>();
        var parsed = parser.Parse("page paymnts card auths failing", new UserRef("U1", "alice"));
        Assert.False(parsed.Ok);
        Assert.Contains("Unknown service 'paymnts'", parsed.Error, StringComparison.Ordinal);
        Assert.Contains("payments, database, oncall", parsed.Error, StringComparison.Ordinal);

        var onCall = parser.Parse("page oncall db primary down", new UserRef("U1", "alice"));
        Assert.Equal(new PageOnCall(null, "db primary down"), onCall.Command);
        await Task.Delay(200);
        Assert.Empty(_pagerDuty.LogEntries);
    }
}
