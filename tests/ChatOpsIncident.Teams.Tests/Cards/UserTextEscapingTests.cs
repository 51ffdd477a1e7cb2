using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Teams.Cards;
using ChatOpsIncident.Teams.Testing;

namespace ChatOpsIncident.Teams.Tests.Cards;

/// <summary>Issue 13, "Teams mentions and Markdown typed by users become real at-mentions and links in cards".</summary>
public sealed class UserTextEscapingTests
{
    [Theory]
    [InlineData("[login](http://evil.example)", "[login]\u2060(http://evil.example)")]
    [InlineData("[x][ref]\n[ref]: http://evil.example", "[x]\u2060[ref]\u2060\n[ref]\u2060: http://evil.example")]
    [InlineData("**URGENT** _now_", @"\*\*URGENT\*\* \_now\_")]
    [InlineData("<at>CEO</at> approved", "<\u2060at>CEO<\u2060/at> approved")]
    [InlineData("<AT>CEO</AT>", "<\u2060AT>CEO<\u2060/AT>")]
    [InlineData(@"back\slash `code` ~strike~", @"back\\slash \`code\` \~strike\~")]
    [InlineData("role <commander|comms> <attic>", "role <commander|comms> <attic>")]
    [InlineData("Checkout 5xx after deploy 2025.03.14-2", "Checkout 5xx after deploy 2025.03.14-2")]
    public void Escape_NeutralisesLinksMarkdownAndAtTags_WithoutRelyingOnBackslashesForLinksOrMentions(string typed, string expected)
    {
        Assert.Equal(expected, CardText.Escape(typed));
    }

    [Fact]
    public void TypedLinkAndAtTag_InATitle_AreText_NotALinkOrAMention()
    {
        var card = AdaptiveCards.Render(new ChatMessage("x") { Title = "INC-1: [reset your password](http://evil.example) <at>CEO</at>", Sections = [new(Text: "**now**")] });

        var text = BotFrameworkStub.CardText(card);

        Assert.Contains("[reset your password]\u2060(http://evil.example)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("](", text, StringComparison.Ordinal);
        Assert.Contains("<\u2060at>CEO<\u2060/at>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<at>", text, StringComparison.Ordinal);
        Assert.Contains(@"\*\*now\*\*", text, StringComparison.Ordinal);
        Assert.Null(card["msteams"]!["entities"]);
    }

    [Fact]
    public void NeutralMentionToken_StillBecomesAMention_WithItsNameEscaped()
    {
        var card = AdaptiveCards.Render(ChatMessage.Plain("Commander: <@7faf8ab2-3d56-4244-b585-20c8a42ed2b8|Megan_Bowen> in [x]"));

        var text = BotFrameworkStub.CardText(card);

        Assert.Contains("<at>Megan\\_Bowen</at> in [x]\u2060", text, StringComparison.Ordinal);
        var mention = Assert.Single(card["msteams"]!["entities"]!.AsArray())!;
        Assert.Equal(@"<at>Megan\_Bowen</at>", mention["text"]!.GetValue<string>());
    }
}
