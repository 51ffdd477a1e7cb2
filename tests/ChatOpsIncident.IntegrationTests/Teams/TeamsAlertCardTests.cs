using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.IntegrationTests.Teams.Support;
using ChatOpsIncident.Teams.Testing;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.IntegrationTests.Teams;

/// <summary>
/// The prompt alert card on Teams, whole host: the recorded Grafana notification posts the card in the feed channel,
/// and its Declare, Attach to INC-n and Dismiss buttons (the verb and data the posted card carries, clicked as Teams
/// sends an Action.Execute invoke) do what they say; the same clicks from elsewhere, or on a message that is not the
/// bot's alert card, are refused and change nothing.
/// </summary>
public sealed class TeamsAlertCardTests
{
    private const string Token = "teams-grafana-token-0123456789abcdef0123";

    [Fact]
    public async Task AlertCard_Declare_DeclaresWithTheClickerAsCommander()
    {
        await using var teams = await StartAsync();
        var card = await PostAlertCardAsync(teams);
        var (verb, value) = Button(card.Body, "Declare");
        Assert.Equal(ChatActions.AlertDeclare, verb);

        var response = await teams.SendAsync(teams.CardClick("f:alert-declare-1", $"{TeamsScenario.Feed};messageid={card.MessageId}", verb, value, TeamsScenario.Nestor));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Declaring an incident from the alert", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        string? channel = null;
        await RecordingChatPlatform.WaitUntilAsync(
            () => (channel = teams.Db.ScalarAsync<string>("SELECT channel_id FROM chatops.incidents").GetAwaiter().GetResult()) is not null
                && teams.Stub.ChannelPosts().Any(p => p.ChannelId == channel),
            TimeSpan.FromSeconds(30),
            "the declared incident's channel gets its kickoff card");
        await teams.InboxDrainedAsync(1, "the click is processed");
        Assert.Equal(1, await teams.CountAsync("SELECT count(*) FROM chatops.incidents"));
        Assert.Equal("High memory usage (+1 more)", await teams.Db.ScalarAsync<string>("SELECT title FROM chatops.incidents"));
        Assert.Equal("teams", await teams.Db.ScalarAsync<string>("SELECT platform FROM chatops.incidents"));
        Assert.Equal(TeamsScenario.NestorAad, await teams.Db.ScalarAsync<string>("SELECT holder_id FROM chatops.roles WHERE role = 'commander' AND relieved_at IS NULL"));
        Assert.Equal("incident", await teams.Db.ScalarAsync<string>("SELECT state FROM chatops.alert_groups"));
        Assert.Single(teams.Stub.ChannelCreations());
        Assert.Equal(1, await teams.CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'alert'"));
        Assert.Equal(value, await teams.Db.ScalarAsync<string>("SELECT id::text FROM chatops.alert_groups"));
    }

    [Fact]
    public async Task AlertCard_AttachToIncident_LinksTheGroup_WithAnEntryAndAnAuditRow()
    {
        await using var teams = await StartAsync();
        await teams.DeclareAsync();
        await teams.InboxDrainedAsync(1, "the declaration is processed");
        var incident = await teams.Db.ScalarAsync<Guid>("SELECT id FROM chatops.incidents");
        var version = await teams.Db.ScalarAsync<int>("SELECT version FROM chatops.incidents");
        var card = await PostAlertCardAsync(teams);
        var (verb, value) = Button(card.Body, "Attach to INC-1");
        Assert.Equal(ChatActions.AlertAttach, verb);

        var response = await teams.SendAsync(teams.CardClick("f:alert-attach-1", $"{TeamsScenario.Feed};messageid={card.MessageId}", verb, value, TeamsScenario.Nestor));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await teams.InboxDrainedAsync(2, "the click is processed");
        Assert.Equal(incident, await teams.Db.ScalarAsync<Guid>("SELECT incident_id FROM chatops.alert_groups"));
        Assert.Equal("incident", await teams.Db.ScalarAsync<string>("SELECT state FROM chatops.alert_groups"));
        Assert.Equal(1, await teams.CountAsync("SELECT count(*) FROM chatops.incidents"));
        Assert.Equal(1, await teams.CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'alert' AND text LIKE '%attached by%High memory usage%'"));
        Assert.Equal(1, await teams.CountAsync("SELECT count(*) FROM chatops.audit WHERE field = 'alert' AND new_value = 'attached' AND actor = @a", ("a", TeamsScenario.NestorAad)));
        Assert.True(await teams.Db.ScalarAsync<int>("SELECT version FROM chatops.incidents") > version, "the attach went through the versioned change path");
        Assert.Single(teams.Stub.ChannelCreations());
    }

    [Fact]
    public async Task AlertCard_Dismiss_Dismisses_ForgedClicksElsewhereAreRefusedAndChangeNothing()
    {
        await using var teams = await StartAsync();
        var card = await PostAlertCardAsync(teams);
        var (declareVerb, group) = Button(card.Body, "Declare");
        var (dismissVerb, dismissValue) = Button(card.Body, "Dismiss");
        Assert.Equal(ChatActions.AlertDismiss, dismissVerb);

        // The card's Declare sent from another channel, and from the feed on a message that is not the bot's card.
        var elsewhere = $"{TeamsScenario.General};messageid=1741948000000";
        var notOurs = $"{TeamsScenario.Feed};messageid=1741948000001";
        var fromElsewhere = await teams.SendAsync(teams.CardClick("f:alert-forged-1", elsewhere, declareVerb, group, TeamsScenario.Nestor));
        var onAnotherMessage = await teams.SendAsync(teams.CardClick("f:alert-forged-2", notOurs, declareVerb, group, TeamsScenario.Nestor));

        Assert.Contains("not found", await fromElsewhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("not found", await onAnotherMessage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await teams.InboxDrainedAsync(2, "the forged clicks are processed");
        await RecordingChatPlatform.WaitUntilAsync(
            () => teams.Stub.ConversationSends().Any(s => s.ConversationId == elsewhere) && teams.Stub.ConversationSends().Any(s => s.ConversationId == notOurs),
            TimeSpan.FromSeconds(20),
            "both clickers hear that it was not found");
        Assert.Equal(0, await teams.CountAsync("SELECT count(*) FROM chatops.incidents"));
        Assert.Empty(teams.Stub.ChannelCreations());
        Assert.Equal("carded", await teams.Db.ScalarAsync<string>("SELECT state FROM chatops.alert_groups"));

        var response = await teams.SendAsync(teams.CardClick("f:alert-dismiss-1", $"{TeamsScenario.Feed};messageid={card.MessageId}", dismissVerb, dismissValue, TeamsScenario.Nestor));

        Assert.Contains("Dismissing the alert", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await teams.InboxDrainedAsync(3, "the dismiss is processed");
        Assert.Equal("dismissed", await teams.Db.ScalarAsync<string>("SELECT state FROM chatops.alert_groups"));
        Assert.Equal(0, await teams.CountAsync("SELECT count(*) FROM chatops.incidents"));
    }

    private static Task<TeamsScenario> StartAsync() => TeamsScenario.StartAsync(s =>
    {
        s["Alerts:Sources:0:Name"] = "grafana";
        s["Alerts:Sources:0:Kind"] = "grafana";
        s["Alerts:Sources:0:Token"] = Token;
        s["Alerts:Platform"] = "teams";
    });

    /// <summary>Sends the recorded Grafana notification (no rule matches: prompt) and returns the card posted in the feed.</summary>
    private static async Task<(string MessageId, JsonNode Body)> PostAlertCardAsync(TeamsScenario teams)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/alerts/grafana")
        {
            Content = new StringContent(Samples.Read("alerts/grafana.webhook.firing.json"), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Assert.Equal(HttpStatusCode.Accepted, (await teams.Host.Client.SendAsync(request)).StatusCode);

        string? id = null;
        await RecordingChatPlatform.WaitUntilAsync(
            () => (id = teams.Db.ScalarAsync<string>(
                "SELECT message_id FROM chatops.teams_messages WHERE channel_id = @feed AND incident_id IS NULL AND text LIKE 'Alert firing:%'",
                ("feed", TeamsScenario.Feed)).GetAwaiter().GetResult()) is not null,
            TimeSpan.FromSeconds(30),
            "the alert card is posted in the feed channel and its id recorded");
        var body = Assert.Single(teams.Stub.ChannelPosts(), p => p.ChannelId == TeamsScenario.Feed && BotFrameworkStub.CardText(p.Body).Contains("High memory usage", StringComparison.Ordinal)).Body;
        return (id!, body);
    }

    /// <summary>The verb and value of the card's Action.Execute titled <paramref name="title"/>, as the client sends them back.</summary>
    private static (string Verb, string Value) Button(JsonNode card, string title)
    {
        var action = Walk(card).FirstOrDefault(o => (string?)o["type"] == "Action.Execute" && (string?)o["title"] == title)
            ?? throw new Xunit.Sdk.XunitException($"no '{title}' button on the card: {card.ToJsonString()}");
        return ((string)action["verb"]!, (string)action["data"]!["value"]!);
    }

    private static IEnumerable<JsonObject> Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                yield return o;
                foreach (var (_, child) in o)
                {
                    foreach (var found in Walk(child))
                    {
                        yield return found;
                    }
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    foreach (var found in Walk(child))
                    {
                        yield return found;
                    }
                }

                break;
        }
    }
}
