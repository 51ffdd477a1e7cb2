using System.Net;
using System.Text.Json.Nodes;

namespace ChatOpsIncident.IntegrationTests.Slack;

/// <summary>
/// Issue 13, Slack boundaries: with <c>Slack:AllowedTeams</c> set, requests from other workspaces store nothing
/// (commands and interactions 403; events 200, because Slack retries any other answer). <c>ssl_check</c> gets a bare 200.
/// </summary>
public sealed class SlackWorkspaceBoundaryTests : SlackHostTestBase
{
    private const string OurTeam = "T111";

    protected override void ConfigureSettings(Dictionary<string, string?> settings) => settings["Slack:AllowedTeams:0"] = OurTeam;

    [Fact]
    public async Task CommandFromAnotherWorkspace_Is403_AndNothingIsStored()
    {
        var body = CommandBody("declare sev1 Paging your on-call", "CORIGIN01").Replace($"team_id={OurTeam}", "team_id=TFOREIGN1", StringComparison.Ordinal);

        var response = await PostSignedAsync("/slack/commands", body, "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.inbox"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.incidents"));
    }

    [Fact]
    public async Task EventFromAnotherWorkspace_Is200_AndNothingIsStored()
    {
        // The recorded envelope comes from workspace T123ABC456, which is not ours here.
        var response = await EventAsync(ReactionEvent("reaction_added", "Ev0FOREIGN1", "CSOMEWHERE", "1741944413.000100"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.inbox"));
    }

    [Fact]
    public async Task InteractionFromAnotherWorkspace_Is403_AndNothingIsStored()
    {
        var payload = JsonNode.Parse(TestSupport.Samples.Read("slack/interactivity/block_actions.button.json"))!.AsObject();
        payload["team"]!["id"] = "TFOREIGN1";
        payload["user"]!["team_id"] = "TFOREIGN1";
        payload["actions"]![0]!["action_id"] = "claim_role#1";
        payload["actions"]![0]!["value"] = $"{Guid.NewGuid()}|scribe";

        var response = await InteractionAsync(payload);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.inbox"));
    }

    [Fact]
    public async Task CommandFromOurWorkspace_IsStored()
    {
        var response = await CommandAsync("declare sev2 Checkout 5xx after deploy", "CORIGIN01", responseId: "declare");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.inbox"));
    }

    [Fact]
    public async Task SslCheck_Is200_WithAnEmptyBody_AndNothingIsStored()
    {
        var response = await PostSignedAsync("/slack/commands", "ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO", "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.inbox"));
    }
}
