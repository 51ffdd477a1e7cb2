using ChatOpsIncident.Teams.Activities;
using ChatOpsIncident.Teams.Inbound;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.Teams.Tests.Activities;

public sealed class ActivityParsingTests
{
    public static TheoryData<string> ActivityFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Samples.Path("teams/activities"), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ActivityFiles))]
    public void Parse_EverySampleActivity_Succeeds(string file)
    {
        var body = Samples.Read($"teams/activities/{file}");

        var activity = TeamsJson.Parse(body);

        Assert.False(string.IsNullOrEmpty(activity.Type));
        Assert.StartsWith(activity.Type!, file, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(TeamsEndpoints.DeliveryId(activity, body)));
    }

    [Fact]
    public void Parse_ChannelMessageWithMention_ReadsChannelAndMention()
    {
        var activity = TeamsJson.Parse(Samples.Read("teams/activities/message.channel.with-mention.docs.json"));

        Assert.Equal("19:aebd0ad4d6ab42c8b9ed19c251c2fc37@thread.skype", activity.ChannelKey);
        var mention = Assert.Single(activity.Entities!, e => e.Type == "mention");
        Assert.Equal("29:08q2j2o3jc09au90eucae", mention.Mentioned!.Id);
    }

    [Fact]
    public void Mention_OfAnotherUser_BecomesNeutralToken_EvenWhenEntityTextDiffersFromMessage()
    {
        // The docs sample puts "<at>@Pranav Smith</at>" in the entity but "<at>Pranav Smith</at>" in the text.
        var activity = TeamsJson.Parse(Samples.Read("teams/activities/message.channel.with-mention.docs.json"));

        var text = MentionText.ToCommandText(activity);

        Assert.Equal("Hey <@29:08q2j2o3jc09au90eucae|Pranav Smith> check out this message", text);
    }

    [Fact]
    public void Mention_OfTheBot_IsStripped_AsRecipient()
    {
        var sample = TeamsJson.Parse(Samples.Read("teams/activities/message.channel.with-mention.docs.json"));
        var activity = sample with { Recipient = new ChannelAccount { Id = "29:08q2j2o3jc09au90eucae", Name = "Pranav Smith" } };

        Assert.Equal("Hey check out this message", MentionText.ToCommandText(activity));
    }

    [Fact]
    public void Mention_BotAndUser_DeclareCommand_ParsesLikeSlack()
    {
        var activity = new Activity
        {
            Type = "message",
            Text = "<at>Incident</at> role comms <at>Adele Vance</at>&nbsp;\n",
            Recipient = new ChannelAccount { Id = "28:bot", Name = "Incident" },
            Entities =
            [
                new Entity { Type = "mention", Text = "<at>Incident</at>", Mentioned = new ChannelAccount { Id = "28:bot", Name = "Incident" } },
                new Entity { Type = "mention", Text = "<at>Adele Vance</at>", Mentioned = new ChannelAccount { Id = "29:adele", Name = "Adele Vance", AadObjectId = "0c1d2e3f-0000-4000-8000-000000000001" } },
                new Entity { Type = "clientInfo" },
            ],
        };

        Assert.Equal("role comms <@0c1d2e3f-0000-4000-8000-000000000001|Adele Vance>", MentionText.ToCommandText(activity));
    }

    [Fact]
    public void Mention_WithoutEntity_IsNotTrustedAsAUser()
    {
        var activity = new Activity { Type = "message", Text = "<at>Incident</at> role ops <at>Mallory</at>", Recipient = new ChannelAccount { Id = "28:bot" } };

        Assert.Equal("Incident role ops Mallory", MentionText.ToCommandText(activity));
    }

    [Fact]
    public void DeliveryId_SameActivityRedelivered_IsStable_AndDiffersPerConversation()
    {
        var body = Samples.Read("teams/activities/messageReaction.reactionsAdded.json");
        var a = TeamsJson.Parse(body);
        var other = a with { Conversation = a.Conversation! with { Id = "19:other@thread.tacv2" } };

        Assert.Equal(TeamsEndpoints.DeliveryId(a, body), TeamsEndpoints.DeliveryId(TeamsJson.Parse(body), body));
        Assert.NotEqual(TeamsEndpoints.DeliveryId(a, body), TeamsEndpoints.DeliveryId(other, body));
    }

    [Fact]
    public void CardAction_FromInvokeAndFromSubmit_RouteTheSameWay()
    {
        var invoke = TeamsJson.Parse(Samples.Read("teams/activities/invoke.adaptiveCard-action.COMPOSITE-channel.json"));
        var submit = TeamsJson.Parse(Samples.Read("teams/activities/message.action-submit.COMPOSITE-personal.json"));

        var fromInvoke = CardAction.From(invoke)!;
        var fromSubmit = CardAction.From(submit)!;

        Assert.Equal("incident.ack", fromInvoke.Action);
        Assert.Equal("INC-42", fromInvoke.Input("incidentId"));
        Assert.False(fromInvoke.Automatic);
        Assert.Equal("ack", fromSubmit.Action);
        Assert.Equal("on it", fromSubmit.Input("comment"));
    }

    [Fact]
    public void Conversations_ReplyChainAndChannelIds()
    {
        Assert.Equal("19:abc@thread.tacv2", Conversations.RootOf("19:abc@thread.tacv2;messageid=1481567603816"));
        Assert.True(Conversations.IsChannel("19:abc@thread.tacv2"));
        Assert.False(Conversations.IsChannel("19:abc@thread.tacv2;messageid=1"));
        Assert.False(Conversations.IsChannel("19:meeting_x@thread.v2"));
        Assert.False(Conversations.IsChannel("a:17I0kl9EkpE1O9PH5TWrzrLNwnWWcfrU7QZjKR0WSfOpzbfcAg2Iayd"));
    }
}
