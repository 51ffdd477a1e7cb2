using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Sandbox.Rendering;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Sandbox.Tests.Rendering;

public sealed class MessageViewTests
{
    private static readonly ChatMessage Card = new("kickoff")
    {
        Title = "🚨 INC-1: Checkout",
        Tone = MessageTone.Danger,
        Fields = [new ChatField("Severity", "SEV2")],
        Sections =
        [
            new ChatSection("Roles", Bullets: ["Incident Commander: <@alice|alice>"]),
            new ChatSection("Triage checklist", Checklist: [new ChecklistItemView("Confirm impact", false, null, "inc|triage|0"), new ChecklistItemView("Read only", true, "<@bob|bob>", null)]),
        ],
        Actions = [new ChatAction(ChatActions.ClaimRole, "I'm Communications Lead", "inc|comms"), new ChatAction(ChatActions.OpenUpdateForm, "Post update", "inc", ActionStyle.Primary)],
    };

    private static WorkspaceMessage Stored(ChatMessage? body, string? ephemeralFor = null) =>
        new("m7", 7, "c1", null, SandboxUsers.BotId, body?.Text ?? "hi", body is null ? null : SandboxJson.Write(body), null, ephemeralFor, false, DateTimeOffset.UnixEpoch, null, 42)
        {
            Reactions = [new WorkspaceReaction("pushpin", "alice"), new WorkspaceReaction("pushpin", "bob"), new WorkspaceReaction("white_check_mark", SandboxUsers.BotId)],
        };

    private static SandboxUsers Users() => new(Options.Create(new SandboxOptions()));

    [Fact]
    public void From_NamesEveryButtonAndChecklistItem_AndGroupsReactions()
    {
        var view = MessageView.From(Stored(Card), Users());

        Assert.Equal(["b0", "b1"], view.Buttons.Select(b => b.ActionId));
        Assert.Equal(["I'm Communications Lead", "Post update"], view.Buttons.Select(b => b.Label));
        Assert.Equal("primary", view.Buttons[1].Style);
        Assert.Equal("ChatOps", view.UserName);
        Assert.Equal("danger", view.Card!.Tone);
        Assert.Equal(["s1.0", null], view.Card.Sections[1].Checklist!.Select(i => i.ActionId));
        Assert.Equal([("pushpin", 2), ("white_check_mark", 1)], view.Reactions.Select(r => (r.Name, r.Count)));
        Assert.Equal("📌", view.Reactions[0].Emoji);
    }

    [Fact]
    public void From_KickoffWithRecentChanges_KeepsTheSectionHeadingCountAndEachChange_ChecklistIdsUnmoved()
    {
        var changes = new ChatSection("Recent changes", "The newest 2, and 5 more on the timeline.", ["deploy checkout: v2 at 2026-01-01 10:00 UTC", "flag search: ranker at 2026-01-01 09:00 UTC"]);
        var card = Card with { Sections = [Card.Sections[0], changes, Card.Sections[1]] };

        var view = MessageView.From(Stored(card), Users());

        var section = view.Card!.Sections[1];
        Assert.Equal(("Recent changes", "The newest 2, and 5 more on the timeline."), (section.Heading, section.Text));
        Assert.Equal(changes.Bullets, section.Bullets);
        Assert.Equal(["s2.0", null], view.Card.Sections[2].Checklist!.Select(i => i.ActionId));
    }

    [Theory]
    [InlineData("b0", ChatActions.ClaimRole, "inc|comms")]
    [InlineData("b1", ChatActions.OpenUpdateForm, "inc")]
    [InlineData("s1.0", ChatActions.ToggleChecklist, "inc|triage|0")]
    public void FindAction_ReturnsTheStoredActionAndValue(string actionId, string neutral, string value)
    {
        Assert.Equal((neutral, value), MessageView.FindAction(Stored(Card), actionId));
    }

    [Theory]
    [InlineData("b2")]
    [InlineData("b-1")]
    [InlineData("b")]
    [InlineData("s1.1")]
    [InlineData("s0.0")]
    [InlineData("s9.0")]
    [InlineData("s1")]
    [InlineData("claim_role")]
    public void FindAction_AButtonTheMessageDoesNotHave_IsNull(string actionId)
    {
        Assert.Null(MessageView.FindAction(Stored(Card), actionId));
    }

    [Fact]
    public void FindAction_OnAPersonsMessage_IsNull()
    {
        Assert.Null(MessageView.FindAction(Stored(null), "b0"));
    }

    [Theory]
    [InlineData("pushpin", "pushpin")]
    [InlineData(":pushpin:", "pushpin")]
    [InlineData("📌", "pushpin")]
    [InlineData("+1", "+1")]
    [InlineData("skull", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Emoji_Normalize_KnowsNamesAndCharacters(string? given, string? expected)
    {
        Assert.Equal(expected, Emoji.Normalize(given));
    }
}
