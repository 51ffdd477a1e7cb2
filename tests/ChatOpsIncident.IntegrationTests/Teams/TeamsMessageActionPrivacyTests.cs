using System.Net;
using System.Text.Json.Nodes;
using ChatOpsIncident.IntegrationTests.Teams.Support;
using ChatOpsIncident.Teams.Testing;

namespace ChatOpsIncident.IntegrationTests.Teams;

/// <summary>
/// Issue 13, "the message action 'Add to incident timeline' with a typed INC-n reaches any incident, echoes its
/// title, writes into its timeline": by number, a private incident the actor cannot see does not exist for them.
/// </summary>
public sealed class TeamsMessageActionPrivacyTests : IAsyncLifetime
{
    private const string Title = "Suspicious admin logins";

    private TeamsScenario _teams = null!;

    public async Task InitializeAsync() => _teams = await TeamsScenario.StartAsync();

    public async Task DisposeAsync() => await _teams.DisposeAsync();

    [Fact]
    public async Task MessageActionByNumber_OnAPrivateIncidentTheActorCannotSee_AnswersNotFound_WithoutTheTitle_AndWritesNothing()
    {
        await _teams.DeclareAsync(_teams.Command($"declare private sev2 {Title}", TeamsScenario.General, "1741947000000").ToJsonString());
        await _teams.InboxDrainedAsync(1, "the private declaration is processed");

        // Adele, in the General channel, is none of the incident's people.
        var response = await _teams.SendAsync(ByNumber("INC-1", "f:privacy-0001"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["task"]!["value"]!.GetValue<string>();
        Assert.Equal("INC-1 was not found.", answer);
        await _teams.InboxDrainedAsync(2, "the message action is processed");
        Assert.Equal(0, await _teams.CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'pinned'"));
        Assert.Equal(0, await _teams.CountAsync("SELECT count(*) FROM chatops.timeline WHERE text LIKE '%Rolled back deploy%'"));
    }

    [Fact]
    public async Task MessageActionByNumber_OnANumberThatDoesNotExist_GivesTheSameAnswer()
    {
        var response = await _teams.SendAsync(ByNumber("INC-7", "f:privacy-0002"));

        Assert.Equal("INC-7 was not found.", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["task"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task MessageActionByNumber_OnAPublicIncident_StillAddsTheMessage()
    {
        await _teams.DeclareAsync();
        await _teams.InboxDrainedAsync(1, "the declaration is processed");

        var response = await _teams.SendAsync(ByNumber("INC-1", "f:privacy-0003"));

        Assert.Contains("Added to the timeline of INC-1", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["task"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        await _teams.InboxDrainedAsync(2, "the message action is processed");
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'pinned'"));
    }

    private string ByNumber(string number, string id)
    {
        var invoke = JsonNode.Parse(_teams.Fill(TeamsScenario.Payload("invoke.composeExtension-submitAction.COMPOSITE.json"), TeamsScenario.General))!;
        invoke["id"] = id;
        invoke["value"]!["data"]!["incident"] = number;
        return invoke.ToJsonString();
    }
}
