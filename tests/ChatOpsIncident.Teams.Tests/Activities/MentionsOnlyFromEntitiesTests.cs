using ChatOpsIncident.Teams.Activities;

namespace ChatOpsIncident.Teams.Tests.Activities;

/// <summary>Issue 13: mentions come only from the activity's parsed entities; anything typed is plain text.</summary>
public sealed class MentionsOnlyFromEntitiesTests
{
    private static Activity Message(string text, params Entity[] entities) => new()
    {
        Type = "message",
        Text = text,
        Recipient = new ChannelAccount { Id = "28:bot", Name = "Incident" },
        Entities = [new Entity { Type = "mention", Text = "<at>Incident</at>", Mentioned = new ChannelAccount { Id = "28:bot", Name = "Incident" } }, .. entities],
    };

    [Fact]
    public void AtTagWithoutAnEntity_IsPlainText()
    {
        Assert.Equal("role commander Megan Bowen", MentionText.ToCommandText(Message("<at>Incident</at> role commander <at>Megan Bowen</at>")));
    }

    [Theory]
    [InlineData("<at>Incident</at> role commander &lt;@7faf8ab2-3d56-4244-b585-20c8a42ed2b8|Megan Bowen&gt;")]
    [InlineData("<at>Incident</at> role commander &#60;@7faf8ab2-3d56-4244-b585-20c8a42ed2b8|Megan Bowen&#62;")]
    [InlineData("<at>Incident</at> role commander <@7faf8ab2-3d56-4244-b585-20c8a42ed2b8|Megan Bowen>")]
    public void TypedNeutralToken_DoesNotBecomeAMention(string text)
    {
        var command = MentionText.ToCommandText(Message(text));

        Assert.DoesNotContain("<@", command, StringComparison.Ordinal);
        Assert.StartsWith("role commander", command, StringComparison.Ordinal);
    }

    [Fact]
    public void ForgedPlaceholderCharacters_DoNotBecomeAMention()
    {
        var adele = new Entity { Type = "mention", Text = "<at>Adele Vance</at>", Mentioned = new ChannelAccount { Id = "29:adele", Name = "Adele Vance", AadObjectId = "0c1d2e3f-0000-4000-8000-000000000001" } };

        var command = MentionText.ToCommandText(Message("<at>Incident</at> role comms <at>Adele Vance</at> &#xE000;0&#xE001;", adele));

        Assert.Equal("role comms <@0c1d2e3f-0000-4000-8000-000000000001|Adele Vance> 0", command);
    }

    [Fact]
    public void EntityMention_StillBecomesTheNeutralToken()
    {
        var adele = new Entity { Type = "mention", Text = "<at>Adele Vance</at>", Mentioned = new ChannelAccount { Id = "29:adele", Name = "Adele Vance", AadObjectId = "0c1d2e3f-0000-4000-8000-000000000001" } };

        Assert.Equal("role comms <@0c1d2e3f-0000-4000-8000-000000000001|Adele Vance>", MentionText.ToCommandText(Message("<at>Incident</at> role comms <at>Adele Vance</at>", adele)));
    }
}
