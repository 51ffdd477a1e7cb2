using System.Net;
using System.Text.Json.Nodes;
using ChatOpsIncident.IntegrationTests.Slack;

namespace ChatOpsIncident.IntegrationTests.Bounded;

public sealed class SlackBoundedEventsTests : SlackHostTestBase
{
    private Task<long> LivePinnedAsync() => CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'pinned' AND removed_at IS NULL");

    private static JsonObject Changed(string eventId, string channel, string ts, string text)
    {
        var changed = JsonNode.Parse(TestSupport.Samples.Read("slack/events/recorded/message.message_changed.json"))!.AsObject();
        changed["event_id"] = eventId;
        changed["event"]!["channel"] = channel;
        changed["event"]!["message"]!["ts"] = ts;
        changed["event"]!["message"]!["text"] = text;
        return changed;
    }

    [Fact]
    public async Task MessageChanged_InAChannelThatIsNoIncident_IsNotStored_InTheIncidentChannel_ItIs()
    {
        var (_, channel) = await DeclareAsync();

        var elsewhere = await EventAsync(Changed("Ev0EDITOTHER", "CGENERAL01", "1700000000.000100", "lunch?"));
        var deleted = JsonNode.Parse(TestSupport.Samples.Read("slack/events/recorded/message.message_deleted.json"))!.AsObject();
        deleted["event_id"] = "Ev0DELOTHER";
        deleted["event"]!["channel"] = "CGENERAL01";
        var deletedElsewhere = await EventAsync(deleted);
        // The incident channel was created seconds ago: its edit is stored (a miss asks the database).
        var here = await EventAsync(Changed("Ev0EDITHERE", channel, "1700000000.000200", "rollback started"));

        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.OK, deletedElsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.OK, here.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.inbox WHERE delivery_id IN ('Ev0EDITOTHER', 'Ev0DELOTHER')"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.inbox WHERE delivery_id = 'Ev0EDITHERE'"));
    }

    [Fact]
    public async Task RemovingOneOfTwoPushpins_KeepsTheEntry_RemovingTheLast_RemovesIt()
    {
        var (_, channel) = await DeclareAsync();
        var message = Slack.AddUserMessage(channel, "U0OPS0001", "Primary is failing over");

        await EventAsync(ReactionEvent("reaction_added", "Ev0PINA0001", channel, message.Ts, user: "U0ALICE01"));
        await WaitForAsync(async () => await LivePinnedAsync() == 1, "first pushpin captured");
        await EventAsync(ReactionEvent("reaction_added", "Ev0PINB0001", channel, message.Ts, user: "U0BOB0001"));
        await InboxDrainedAsync();
        Assert.Equal(1, await LivePinnedAsync());

        await EventAsync(ReactionEvent("reaction_removed", "Ev0UNPINA01", channel, message.Ts, user: "U0ALICE01"));
        await InboxDrainedAsync();
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.inbox WHERE delivery_id = 'Ev0UNPINA01' AND status = 'done'"));
        Assert.Equal(1, await LivePinnedAsync());

        await EventAsync(ReactionEvent("reaction_removed", "Ev0UNPINB01", channel, message.Ts, user: "U0BOB0001"));
        await WaitForAsync(async () => await LivePinnedAsync() == 0, "last pushpin removed");
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'pinned' AND removed_at IS NOT NULL"));
    }
}
