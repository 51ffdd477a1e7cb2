using System.Net;
using System.Text.Json.Nodes;
using ChatOpsIncident.IntegrationTests.Teams.Support;
using ChatOpsIncident.Teams.Testing;

namespace ChatOpsIncident.IntegrationTests.Teams;

/// <summary>
/// Issue 13, "/api/messages accepts any tenant": another organisation that sideloads a manifest with our bot id gets a
/// valid Bot Framework token. Only our tenants, the msteams channel and Connector hosts get in; nothing else is stored.
/// </summary>
public sealed class TeamsTenantBoundaryTests : IAsyncLifetime
{
    private const string ForeignTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    private TeamsScenario _teams = null!;

    public async Task InitializeAsync() => _teams = await TeamsScenario.StartAsync();

    public async Task DisposeAsync() => await _teams.DisposeAsync();

    [Fact]
    public async Task ForeignTenant_DeclareSev1_Is403_AndTheInboxStaysEmpty()
    {
        var activity = _teams.Command("declare sev1 Paging your on-call from elsewhere", TeamsScenario.General, "1741949000000");
        activity["conversation"]!["tenantId"] = ForeignTenant;
        activity["channelData"]!["tenant"]!["id"] = ForeignTenant;

        var response = await _teams.SendAsync(activity);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task ConversationTenantDisagreeingWithChannelData_Is403_AndNothingIsStored()
    {
        // One field of ours does not vouch for the other: either naming a foreign tenant refuses the activity.
        var activity = _teams.Command("declare sev1 Half forged", TeamsScenario.General, "1741949000001");
        activity["conversation"]!["tenantId"] = ForeignTenant;

        Assert.Equal(HttpStatusCode.Forbidden, (await _teams.SendAsync(activity)).StatusCode);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task ActivityWithoutTenant_Is403_AndNothingIsStored()
    {
        var activity = _teams.Command("declare sev1 No tenant at all", TeamsScenario.General, "1741949000002");
        activity["conversation"]!.AsObject().Remove("tenantId");
        activity["channelData"]!.AsObject().Remove("tenant");

        Assert.Equal(HttpStatusCode.Forbidden, (await _teams.SendAsync(activity)).StatusCode);
        await AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData("webchat")]
    [InlineData("directline")]
    [InlineData("MSTEAMS")]
    public async Task ChannelOtherThanMsteams_Is403_AndNothingIsStored(string channelId)
    {
        var activity = _teams.Command("declare sev1 Not from Teams", TeamsScenario.General, "1741949000003");
        activity["channelId"] = channelId;

        Assert.Equal(HttpStatusCode.Forbidden, (await _teams.SendAsync(activity)).StatusCode);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task ServiceUrlOffTheConnectorHosts_Is403_NothingIsStored_AndNoTokenIsRequested()
    {
        // The token's serviceurl claim matches the activity, so only Teams:ServiceUrlHosts stands between the request and
        // a stored conversation whose replies (with our Connector token) would go to that host.
        const string evil = "https://connector.evil.example/amer/";
        var activity = _teams.Command("declare sev1 Reply to my server", TeamsScenario.General, "1741949000004");
        activity["serviceUrl"] = evil;

        var response = await _teams.SendAsync(activity.ToJsonString(), _teams.Stub.CreateToken(serviceUrl: evil));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await AssertNothingStoredAsync();
        Assert.Empty(_teams.Stub.TokenRequests());
    }

    [Fact]
    public async Task OwnTenant_IsStillAccepted()
    {
        var response = await _teams.SendAsync(_teams.Command("help", TeamsScenario.General, "1741949000005"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.inbox"));
    }

    private async Task AssertNothingStoredAsync()
    {
        Assert.Equal(0, await _teams.CountAsync("SELECT count(*) FROM chatops.inbox"));
        Assert.Equal(0, await _teams.CountAsync("SELECT count(*) FROM chatops.teams_conversations"));
        Assert.Equal(0, await _teams.CountAsync("SELECT count(*) FROM chatops.incidents"));
    }
}
