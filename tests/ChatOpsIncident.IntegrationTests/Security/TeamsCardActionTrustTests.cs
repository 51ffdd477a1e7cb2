using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.IntegrationTests.Teams.Support;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.IntegrationTests.Security;

/// <summary>
/// Issue 13, "Teams card actions act on whatever incident id the client sends back, without checking the
/// conversation": the answer Teams shows at once, and which of the bot's messages vouch for a click.
/// </summary>
public sealed class TeamsCardActionTrustTests : IAsyncLifetime
{
    private TeamsScenario _teams = null!;
    private Guid _incident;
    private string _thread = "";

    public async Task InitializeAsync()
    {
        _teams = await TeamsScenario.StartAsync();
        var channel = await _teams.DeclareAsync();
        _thread = $"{channel};messageid={await _teams.KickoffIdAsync()}";
        _incident = await _teams.Db.ScalarAsync<Guid>("SELECT id FROM chatops.incidents");
        await _teams.InboxDrainedAsync(1, "the declaration is processed");
    }

    public async Task DisposeAsync() => await _teams.DisposeAsync();

    private async Task<string> AnswerAsync(JsonObject click)
    {
        var response = await _teams.SendAsync(click);
        return (JsonNode.Parse(await response.Content.ReadAsStringAsync())?["value"]?.ToString()) ?? "";
    }

    [Fact]
    public async Task ForgedCardClick_ImmediateAnswer_DoesNotClaimTheRole()
    {
        var elsewhere = $"{TeamsScenario.General};messageid=1741948000000";

        var forged = await AnswerAsync(_teams.CardClick("f:forged-answer-1", elsewhere, ChatActions.ClaimRole, $"{_incident}|comms", TeamsScenario.Nestor));
        var genuine = await AnswerAsync(_teams.CardClick("f:genuine-answer-1", _thread, ChatActions.ClaimRole, $"{_incident}|scribe", TeamsScenario.Nestor));

        Assert.DoesNotContain("taking", forged, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("not found", forged, StringComparison.Ordinal);
        // The same click from the incident's own card still gets the acknowledgement: the guard is not simply "refuse".
        Assert.Contains("You are taking the", genuine, StringComparison.Ordinal);
        await _teams.InboxDrainedAsync(3, "both clicks are processed");
        Assert.Equal(0, await _teams.CountAsync("SELECT count(*) FROM chatops.roles WHERE role = 'comms'"));
    }

    [Fact]
    public async Task CardPostedHere_IsMatchedOnTheStoredIncidentId_NotOnIncNumberInTheCardText()
    {
        // The kickoff card is stored with its incident's id (the rule's evidence now, not its text).
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.teams_messages WHERE incident_id = @id AND text LIKE '%declared by%'", ("id", _incident)));
        var publicId = await _teams.Db.ScalarAsync<string>("SELECT 'INC-' || number FROM chatops.incidents");
        // A bot message in General that quotes the number but is about no incident (e.g. a list reply) …
        await _teams.Db.ScalarAsync<object>(
            "INSERT INTO chatops.teams_messages (channel_id, message_id, conversation_id, text, posted_at) VALUES (@c, '1741948100000', @c, @t, now())",
            ("c", TeamsScenario.General), ("t", $"Open incidents: {publicId} Checkout 5xx"));
        // … and one posted there about this incident (a stakeholder-style card).
        await _teams.Db.ScalarAsync<object>(
            "INSERT INTO chatops.teams_messages (channel_id, message_id, conversation_id, text, posted_at, incident_id) VALUES (@c, '1741948200000', @c, 'an update', now(), @id)",
            ("c", TeamsScenario.General), ("id", _incident));

        var quoting = await AnswerAsync(_teams.CardClick("f:quoting-1", $"{TeamsScenario.General};messageid=1741948100000", ChatActions.ClaimRole, $"{_incident}|comms", TeamsScenario.Nestor));
        var about = await AnswerAsync(_teams.CardClick("f:about-1", $"{TeamsScenario.General};messageid=1741948200000", ChatActions.ClaimRole, $"{_incident}|comms", TeamsScenario.Nestor));

        Assert.Contains("not found", quoting, StringComparison.Ordinal);
        Assert.Contains("You are taking the", about, StringComparison.Ordinal);
        await _teams.InboxDrainedAsync(3, "both clicks are processed");
        await RecordingChatPlatform.WaitUntilAsync(
            () => _teams.CountAsync("SELECT count(*) FROM chatops.roles WHERE role = 'comms' AND relieved_at IS NULL").GetAwaiter().GetResult() == 1,
            because: "the click on the card about the incident takes the role");
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.audit WHERE field = 'role:comms'"));
    }
}
