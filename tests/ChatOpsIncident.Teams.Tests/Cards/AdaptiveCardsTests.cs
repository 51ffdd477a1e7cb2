using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Teams.Cards;
using ChatOpsIncident.Teams.Testing;

namespace ChatOpsIncident.Teams.Tests.Cards;

public sealed class AdaptiveCardsTests
{
    private static IncidentRecord Record()
    {
        var id = Guid.Parse("0196a1b2-0000-7000-8000-000000000042");
        var ic = new UserRef("7faf8ab2-3d56-4244-b585-20c8a42ed2b8", "Megan Bowen");
        var incident = new Incident
        {
            Id = id, Number = 42, Title = "Checkout 5xx", Severity = "SEV2", Type = "availability", Platform = "teams",
            DeclaredBy = ic, DeclaredAt = new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero), NextUpdateDue = new DateTimeOffset(2025, 3, 14, 9, 30, 0, TimeSpan.Zero),
        };
        return new IncidentRecord(incident, [new RoleAssignment(id, RoleKeys.Commander, ic, incident.DeclaredAt, ic)], [], [], [], [], []);
    }

    private static IncidentOptions Options()
    {
        var o = new IncidentOptions
        {
            Severities = IncidentDefaults.Severities(),
            Types = IncidentDefaults.Types(),
            Roles = IncidentDefaults.Roles(),
            TriageChecklist = IncidentDefaults.TriageChecklist(),
            RecoveryChecklist = IncidentDefaults.RecoveryChecklist(),
        };
        return o;
    }

    [Fact]
    public void Kickoff_WithRecentChanges_RendersTheSection_HeadingThenEachChange_LinksNotFormed()
    {
        var record = Record();
        var prior = new[] { "deploy checkout: v2.14 [notes](http://evil.example) at 2025-03-14 08:50 UTC", "flag search: new-ranker 50% at 2025-03-14 08:40 UTC" }
            .Select(t => TimelineEntry.Now(record.Incident.Id, TimelineKinds.Change, t, record.Incident.DeclaredAt)).ToList();

        var card = AdaptiveCards.Render(new IncidentMessages(Options()).Kickoff(record with { PriorChanges = prior, PriorChangeCount = 12 }));
        var text = BotFrameworkStub.CardText(card);

        var heading = text.IndexOf(IncidentMessages.RecentChangesTitle, StringComparison.Ordinal);
        Assert.True(heading > text.IndexOf("Roles", StringComparison.Ordinal));
        Assert.True(text.IndexOf("flag search: new-ranker 50%", StringComparison.Ordinal) > heading);
        Assert.Contains("The newest 2, and 10 more on the timeline.", text, StringComparison.Ordinal);
        // A change's summary is someone else's text: it must not become a link in the card.
        Assert.DoesNotContain("](http://evil.example)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Kickoff_RendersTitleRolesChecklistAndClaimActions_WithMentionEntities()
    {
        var message = new IncidentMessages(Options()).Kickoff(Record());

        var card = AdaptiveCards.Render(message);
        var text = BotFrameworkStub.CardText(card);

        Assert.Equal("AdaptiveCard", card["type"]!.GetValue<string>());
        Assert.Equal("1.5", card["version"]!.GetValue<string>());
        Assert.Contains("INC-42: Checkout 5xx", text, StringComparison.Ordinal);
        Assert.Contains("SEV2", text, StringComparison.Ordinal);
        Assert.Contains("<at>Megan Bowen</at>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<@", text, StringComparison.Ordinal);
        var mention = Assert.Single(card["msteams"]!["entities"]!.AsArray());
        Assert.Equal("<at>Megan Bowen</at>", mention!["text"]!.GetValue<string>());
        Assert.Equal("7faf8ab2-3d56-4244-b585-20c8a42ed2b8", mention["mentioned"]!["id"]!.GetValue<string>());
        var actions = card["actions"]!.AsArray().Select(a => a!).ToList();
        Assert.All(actions, a => Assert.Equal("Action.Execute", a["type"]!.GetValue<string>()));
        Assert.Contains(actions, a => a["verb"]!.GetValue<string>() == ChatActions.ClaimRole && a["data"]!["value"]!.GetValue<string>().EndsWith("|comms", StringComparison.Ordinal));
        Assert.Contains(actions, a => a["verb"]!.GetValue<string>() == ChatActions.OpenUpdateForm);
        Assert.DoesNotContain(actions, a => a["data"]!["value"]!.GetValue<string>().EndsWith("|commander", StringComparison.Ordinal));
        var checklistButtons = Descendants(card).Where(n => n["verb"]?.GetValue<string>() == ChatActions.ToggleChecklist).ToList();
        Assert.Equal(Options().TriageChecklist.Count + Options().FindType("availability")!.Runbook.Count, checklistButtons.Count);
    }

    [Fact]
    public void Plain_RendersEveryLine_AndKeepsAngleBracketsAsText()
    {
        var card = AdaptiveCards.Render(ChatMessage.Plain("Usage: role <commander|comms> <@user>\nsecond line"));

        var text = BotFrameworkStub.CardText(card);

        Assert.Contains("second line", text, StringComparison.Ordinal);
        Assert.Contains("role <commander|comms> <@user>", text, StringComparison.Ordinal);
        Assert.Null(card["msteams"]!["entities"]);
    }

    [Fact]
    public void Reminder_WithFieldsButNoSections_ShowsItsTextAndMentionsTheRecipient()
    {
        var incident = Record().Incident;
        var message = new ChatOpsIncident.Core.Cadence.CadenceMessages(Options())
            .Reminder(incident, incident.DeclaredBy, incident.NextUpdateDue!.Value, incident.NextUpdateDue.Value.AddMinutes(15));

        var card = AdaptiveCards.Render(message);
        var text = BotFrameworkStub.CardText(card);

        Assert.NotEmpty(message.Fields);
        Assert.Contains("<at>Megan Bowen</at> a status update on INC-42 was due", text, StringComparison.Ordinal);
        Assert.Equal("7faf8ab2-3d56-4244-b585-20c8a42ed2b8", Assert.Single(card["msteams"]!["entities"]!.AsArray())!["mentioned"]!["id"]!.GetValue<string>());
    }

    private static IEnumerable<JsonObject> Descendants(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(kv => Descendants(kv.Value)).Prepend(o),
        JsonArray a => a.SelectMany(Descendants),
        _ => [],
    };
}
