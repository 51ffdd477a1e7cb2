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

        Assert.Equal([MessageView.ButtonId(ChatActions.ClaimRole, "inc|comms"), MessageView.ButtonId(ChatActions.OpenUpdateForm, "inc")], view.Buttons.Select(b => b.ActionId));
        Assert.All(view.Buttons, b => Assert.True(MessageView.IsButtonId(b.ActionId)));
        Assert.Equal(["I'm Communications Lead", "Post update"], view.Buttons.Select(b => b.Label));
        Assert.Equal("primary", view.Buttons[1].Style);
        Assert.Equal("ChatOps", view.UserName);
        Assert.Equal("danger", view.Card!.Tone);
        Assert.Equal([MessageView.ChecklistId("inc|triage|0"), null], view.Card.Sections[1].Checklist!.Select(i => i.ActionId));
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
        var plain = MessageView.From(Stored(Card), Users());
        Assert.Equal(plain.Card!.Sections[1].Checklist!.Select(i => i.ActionId), view.Card.Sections[2].Checklist!.Select(i => i.ActionId));
    }

    [Fact]
    public void From_AButtonKeepsItsId_WhenTheButtonsBeforeItGo()
    {
        // The claim removes "I'm Communications Lead"; "Post update" moves up a place and keeps its name.
        var before = MessageView.From(Stored(Card), Users());
        var after = MessageView.From(Stored(Card with { Actions = [Card.Actions[1]] }), Users());

        Assert.Equal(before.Buttons[1].ActionId, Assert.Single(after.Buttons).ActionId);
    }

    [Fact]
    public void FindAction_AButtonThatIsGone_IsNull_NotTheButtonNowInItsPlace()
    {
        var claim = MessageView.From(Stored(Card), Users()).Buttons[0].ActionId;
        var claimed = Stored(Card with { Actions = [Card.Actions[1]] });

        Assert.Null(MessageView.FindAction(claimed, claim));
    }

    [Theory]
    [InlineData(ChatActions.ClaimRole, "inc|comms")]
    [InlineData(ChatActions.OpenUpdateForm, "inc")]
    public void FindAction_ReturnsTheStoredActionAndValue(string neutral, string value)
    {
        Assert.Equal((neutral, value), MessageView.FindAction(Stored(Card), MessageView.ButtonId(neutral, value)));
    }

    [Fact]
    public void FindAction_AChecklistItem_IsItsToggle()
    {
        Assert.Equal((ChatActions.ToggleChecklist, "inc|triage|0"), MessageView.FindAction(Stored(Card), MessageView.ChecklistId("inc|triage|0")));
    }

    [Theory]
    [InlineData("b0")]
    [InlineData("s1.0")]
    [InlineData("b-")]
    [InlineData("b-0123456789ab")]
    [InlineData("c-0123456789ab")]
    [InlineData("b-0123456789AB")]
    [InlineData("claim_role")]
    public void FindAction_AButtonTheMessageDoesNotHave_IsNull(string actionId)
    {
        Assert.Null(MessageView.FindAction(Stored(Card), actionId));
    }

    [Theory]
    [InlineData("b0", false)]
    [InlineData("b-0123456789ab", true)]
    [InlineData("c-0123456789ab", true)]
    [InlineData("x-0123456789ab", false)]
    [InlineData("b-0123456789abc", false)]
    [InlineData("b-0123456789aZ", false)]
    [InlineData(null, false)]
    public void IsButtonId_KnowsTheShape(string? actionId, bool expected)
    {
        Assert.Equal(expected, MessageView.IsButtonId(actionId));
    }

    [Fact]
    public void FindAction_OnAPersonsMessage_IsNull()
    {
        Assert.Null(MessageView.FindAction(Stored(null), MessageView.ButtonId(ChatActions.ClaimRole, "inc|comms")));
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
