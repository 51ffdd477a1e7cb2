using System.Net;
using System.Text.Json.Nodes;

namespace ChatOpsIncident.IntegrationTests.Slack;

public sealed class SlackTimelineTests : SlackHostTestBase
{
    private Task<long> PinnedAsync(string state = "removed_at IS NULL") =>
        CountAsync($"SELECT count(*) FROM chatops.timeline WHERE kind = 'pinned' AND {state}");

    [Fact]
    public async Task PushpinReaction_PutsTheMessageOnTheTimelineOnce_DespiteThreeRetries()
    {
        var (_, channel) = await DeclareAsync();
        var message = Slack.AddUserMessage(channel, "U0OPS0001", "Failing over the primary DB now");

        var responses = new List<HttpResponseMessage> { await EventAsync(ReactionEvent("reaction_added", "Ev0PIN0001", channel, message.Ts)) };
        for (var retry = 1; retry <= 3; retry++)
        {
            responses.Add(await EventAsync(ReactionEvent("reaction_added", "Ev0PIN0001", channel, message.Ts), retry));
        }

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await WaitForAsync(async () => await PinnedAsync() == 1, "pinned entry");
        await InboxDrainedAsync();
        await WaitUntilAsync(() => Slack.Calls("reactions.add").Count > 0, "capture acknowledged with a reaction");

        Assert.Equal(1, await PinnedAsync());
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.inbox WHERE delivery_id = 'Ev0PIN0001'"));
        Assert.Equal("Failing over the primary DB now", await Db.ScalarAsync<string>("SELECT text FROM chatops.timeline WHERE kind = 'pinned'"));
        Assert.Equal("U0OPS0001", await Db.ScalarAsync<string>("SELECT author_id FROM chatops.timeline WHERE kind = 'pinned'"));
        Assert.Equal("user-u0ops0001", await Db.ScalarAsync<string>("SELECT author_name FROM chatops.timeline WHERE kind = 'pinned'"));
        Assert.Equal(SlackFake.Permalink(channel, message.Ts), await Db.ScalarAsync<string>("SELECT permalink FROM chatops.timeline WHERE kind = 'pinned'"));
        Assert.Equal(message.Ts, await Db.ScalarAsync<string>("SELECT source_message FROM chatops.timeline WHERE kind = 'pinned'"));
        var occurred = await Db.ScalarAsync<DateTime>("SELECT occurred_at FROM chatops.timeline WHERE kind = 'pinned'");
        Assert.Equal(long.Parse(message.Ts.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture), new DateTimeOffset(occurred, TimeSpan.Zero).ToUnixTimeSeconds());
        var history = Slack.Calls("conversations.history").Last(c => c.GetValueOrDefault("latest") == message.Ts);
        Assert.Equal(("true", "1"), (history["inclusive"], history["limit"]));
        Assert.All(Slack.Calls("reactions.add"), r => Assert.Equal((message.Ts, "white_check_mark"), (r["timestamp"], r["name"])));
    }

    [Fact]
    public async Task OtherEmoji_AndOtherChannels_AreIgnored_WithoutStoring()
    {
        var (_, channel) = await DeclareAsync();
        var message = Slack.AddUserMessage(channel, "U0OPS0001", "just a thumbs up");

        var response = await EventAsync(ReactionEvent("reaction_added", "Ev0THUMB01", channel, message.Ts, reaction: "thumbsup"));
        await EventAsync(ReactionEvent("reaction_added", "Ev0ELSE001", "CNOTANINC", "1.000001"));
        await InboxDrainedAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.inbox WHERE delivery_id = 'Ev0THUMB01'"));
        Assert.Equal(0, await PinnedAsync());
    }

    [Fact]
    public async Task ThreadReply_IsFoundThroughReplies_NativePinCaptures_EditAndRemoveUpdateTheEntry()
    {
        var (_, channel) = await DeclareAsync();
        var parent = Slack.AddUserMessage(channel, "U0OPS0001", "Investigating the queue");
        var reply = Slack.AddUserMessage(channel, "U0OPS0002", "Queue depth is 2M", threadTs: parent.Ts);

        await EventAsync(ReactionEvent("reaction_added", "Ev0THREAD1", channel, reply.Ts));
        await WaitForAsync(async () => await PinnedAsync() == 1, "thread reply captured");
        Assert.Equal("Queue depth is 2M", await Db.ScalarAsync<string>("SELECT text FROM chatops.timeline WHERE kind = 'pinned'"));
        Assert.Equal(parent.Ts, await Db.ScalarAsync<string>("SELECT source_thread FROM chatops.timeline WHERE kind = 'pinned'"));
        Assert.Contains(Slack.Calls("conversations.replies"), c => c["ts"] == reply.Ts);

        var pin = JsonNode.Parse(TestSupport.Samples.Read("slack/events/pin_added.json"))!.AsObject();
        pin["event_id"] = "Ev0NATIVE1";
        pin["event"]!["user"] = "U0OPS0001";
        pin["event"]!["channel_id"] = channel;
        pin["event"]!["item"]!["channel"] = channel;
        pin["event"]!["item"]!["message"]!["ts"] = parent.Ts;
        await EventAsync(pin);
        await WaitForAsync(async () => await PinnedAsync() == 2, "native pin captured");

        var changed = JsonNode.Parse(TestSupport.Samples.Read("slack/events/recorded/message.message_changed.json"))!.AsObject();
        changed["event_id"] = "Ev0EDIT001";
        changed["event"]!["channel"] = channel;
        changed["event"]!["message"]!["ts"] = parent.Ts;
        changed["event"]!["message"]!["text"] = "Investigating the queue (consumer stuck)";
        await EventAsync(changed);
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM chatops.timeline WHERE text = 'Investigating the queue (consumer stuck)' AND edited_at IS NOT NULL") == 1, "edit applied");

        await EventAsync(ReactionEvent("reaction_removed", "Ev0UNPIN01", channel, reply.Ts));
        var deleted = JsonNode.Parse(TestSupport.Samples.Read("slack/events/recorded/message.message_deleted.json"))!.AsObject();
        deleted["event_id"] = "Ev0DEL0001";
        deleted["event"]!["channel"] = channel;
        deleted["event"]!["deleted_ts"] = parent.Ts;
        await EventAsync(deleted);
        await WaitForAsync(async () => await PinnedAsync("removed_at IS NOT NULL") == 2, "both entries marked removed");
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'pinned'"));
    }

    [Fact]
    public async Task BotsOwnKickoffPin_IsNotCaptured()
    {
        var (_, channel) = await DeclareAsync();
        var kickoffTs = Slack.Calls("pins.add").Single()["timestamp"];
        var pin = JsonNode.Parse(TestSupport.Samples.Read("slack/events/pin_added.json"))!.AsObject();
        pin["event_id"] = "Ev0BOTPIN1";
        pin["event"]!["user"] = SlackFake.BotUserId;
        pin["event"]!["item"]!["channel"] = channel;
        pin["event"]!["item"]!["message"]!["ts"] = kickoffTs;

        await EventAsync(pin);
        await InboxDrainedAsync();

        Assert.Equal(0, await PinnedAsync());
    }
}
