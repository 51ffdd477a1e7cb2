using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Slack.Rendering;

namespace ChatOpsIncident.Slack.Tests.Rendering;

public sealed class BlockKitTests
{
    [Theory]
    [InlineData("<@U1|alice> is IC", "<@U1> is IC")]
    [InlineData("<@U1> & <@W2|bob>", "<@U1> &amp; <@W2>")]
    [InlineData("a < b > c & d", "a &lt; b &gt; c &amp; d")]
    [InlineData("<!channel> hi", "&lt;!channel&gt; hi")]
    public void Mrkdwn_RendersNeutralMentions_AndEscapesEverythingElse(string text, string expected)
    {
        Assert.Equal(expected, BlockKit.Mrkdwn(text));
    }

    [Fact]
    public void Render_KickoffWithRecentChanges_OneSectionBlock_HeadingCountAndBullets_Escaped()
    {
        var options = new ChatOpsIncident.Core.Configuration.IncidentOptions
        {
            Severities = ChatOpsIncident.Core.Configuration.IncidentDefaults.Severities(),
            Types = ChatOpsIncident.Core.Configuration.IncidentDefaults.Types(),
            Roles = ChatOpsIncident.Core.Configuration.IncidentDefaults.Roles(),
            TriageChecklist = ChatOpsIncident.Core.Configuration.IncidentDefaults.TriageChecklist(),
        };
        var incident = new ChatOpsIncident.Core.Incidents.Incident { Id = Guid.NewGuid(), Number = 7, Title = "Checkout", Severity = "SEV2", Type = "availability", Platform = "slack", DeclaredBy = new("U1", "alice") };
        var prior = new[] { "deploy checkout: v2 <!channel> at 2025-03-14 08:50 UTC", "config payments: limits at 2025-03-14 08:40 UTC" }
            .Select(t => ChatOpsIncident.Core.Incidents.TimelineEntry.Now(incident.Id, ChatOpsIncident.Core.Incidents.TimelineKinds.Change, t, incident.DeclaredAt)).ToList();
        var record = new ChatOpsIncident.Core.Incidents.IncidentRecord(incident, [], [], [], [], [], []) { PriorChanges = prior, PriorChangeCount = 15 };

        var blocks = BlockKit.Render(new ChatOpsIncident.Core.Incidents.IncidentMessages(options).Kickoff(record));

        var section = Assert.Single(blocks, b => b!["text"]?["text"]?.GetValue<string>().StartsWith("*Recent changes*", StringComparison.Ordinal) == true)!;
        Assert.Equal(
            "*Recent changes*\nThe newest 2, and 13 more on the timeline.\n• deploy checkout: v2 &lt;!channel&gt; at 2025-03-14 08:50 UTC\n• config payments: limits at 2025-03-14 08:40 UTC",
            section["text"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Render_RichMessage_HeaderFieldsSectionsChecklistButtonsContext()
    {
        var message = new ChatMessage("fallback <@U1|alice>")
        {
            Title = "🚨 INC-7: Checkout 5xx — <@U1|alice>",
            Fields = [new("Severity", "SEV2"), new("Commander", "<@U1|alice>")],
            Sections =
            [
                new("Roles", Bullets: ["Incident Commander: <@U1|alice>", "Scribe: unassigned"]),
                new("Triage checklist", Checklist: [new("Confirm impact", true, "<@U1|alice>", "id|triage|0"), new("Set severity", false, null, "id|triage|1")]),
            ],
            Actions =
            [
                new(ChatActions.ClaimRole, "I'm Scribe", "id|scribe"),
                new(ChatActions.ClaimRole, "I'm Operations", "id|ops"),
                new(ChatActions.OpenUpdateForm, "Post update", "id", ActionStyle.Primary),
            ],
            Context = "Next status update due 2026-01-01 10:00 UTC",
        };

        var blocks = BlockKit.Render(message);
        var types = blocks.Select(b => b!["type"]!.GetValue<string>()).ToList();

        Assert.Equal(["header", "section", "section", "section", "section", "section", "actions", "context"], types);
        Assert.Equal("🚨 INC-7: Checkout 5xx — @alice", blocks[0]!["text"]!["text"]!.GetValue<string>());
        Assert.Equal("*Commander*\n<@U1>", blocks[1]!["fields"]![1]!["text"]!.GetValue<string>());
        Assert.Equal("*Triage checklist*", blocks[3]!["text"]!["text"]!.GetValue<string>());
        Assert.Contains("✅ ~Confirm impact~", blocks[4]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(ChatActions.ToggleChecklist, blocks[5]!["accessory"]!["action_id"]!.GetValue<string>());
        Assert.Equal("id|triage|1", blocks[5]!["accessory"]!["value"]!.GetValue<string>());
        var buttons = blocks[6]!["elements"]!.AsArray();
        var ids = buttons.Select(b => b!["action_id"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids.Take(2), id => Assert.Equal(ChatActions.ClaimRole, BlockKit.NeutralActionId(id)));
        Assert.Equal("primary", buttons[2]!["style"]!.GetValue<string>());
        Assert.Equal("id|ops", buttons[1]!["value"]!.GetValue<string>());
        Assert.Equal("<@U1> is… ", BlockKit.Mrkdwn("<@U1|alice> is… "));
        Assert.Equal("fallback <@U1>", BlockKit.FallbackText(message));
    }

    [Fact]
    public void Render_TooManyBlocks_IsCutToFifty_WithANote()
    {
        var message = new ChatMessage("long")
        {
            Title = "Long",
            Sections = [new("Checklist", Checklist: Enumerable.Range(0, 80).Select(i => new ChecklistItemView($"item {i}", false, null, $"id|c|{i}")).ToList())],
        };

        var blocks = BlockKit.Render(message);

        Assert.Equal(BlockKit.MaxBlocks, blocks.Count);
        Assert.Equal("context", blocks[^1]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Render_ManyButtons_SplitIntoActionBlocksOfFive()
    {
        var message = new ChatMessage("x") { Title = "x", Actions = Enumerable.Range(0, 7).Select(i => new ChatAction(ChatActions.Snooze, $"{i}", $"id|{i}")).ToList() };

        var actions = BlockKit.Render(message).Where(b => b!["type"]!.GetValue<string>() == "actions").ToList();

        Assert.Equal([5, 2], actions.Select(a => a!["elements"]!.AsArray().Count));
    }

    [Fact]
    public void Render_PlainMessage_IsOneMrkdwnSection()
    {
        var blocks = BlockKit.Render(ChatMessage.Plain("Noted on the timeline."));

        var block = Assert.Single(blocks)!.AsObject();
        Assert.Equal("mrkdwn", block["text"]!["type"]!.GetValue<string>());
    }
}
