using System.Net;
using System.Text.Json.Nodes;

namespace ChatOpsIncident.IntegrationTests.Slack;

public sealed class SlackDeclareTests : SlackHostTestBase
{
    [Fact]
    public async Task SignedDeclare_CreatesOneChannel_Invites_PostsPinnedKickoff_AndAnnouncesInFeed()
    {
        var response = await CommandAsync("declare sev2 Checkout 5xx after deploy", "CORIGIN01", responseId: "declare");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ack = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ephemeral", ack["response_type"]!.GetValue<string>());
        Assert.Contains("Checkout 5xx after deploy", ack["text"]!.GetValue<string>(), StringComparison.Ordinal);

        await WaitUntilAsync(() => Slack.PostsIn(Feed).Any(), "feed announcement");
        await WaitUntilAsync(() => Slack.Responses("declare").Count > 0, "reply via response_url");
        var create = Assert.Single(Slack.Calls("conversations.create"));
        Assert.StartsWith("inc-", create["name"], StringComparison.Ordinal);
        Assert.EndsWith("-checkout-5xx-after-deploy", create["name"], StringComparison.Ordinal);
        Assert.Equal("false", create["is_private"]);
        var channel = Slack.Channels[create["name"]];

        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.incidents"));
        Assert.Equal(channel.Name, await Db.ScalarAsync<string>("SELECT channel_name FROM chatops.incidents"));
        Assert.Equal(channel.Id, await Db.ScalarAsync<string>("SELECT channel_id FROM chatops.incidents"));
        Assert.Equal("SEV2", await Db.ScalarAsync<string>("SELECT severity FROM chatops.incidents"));
        Assert.Equal(Declarer, await Db.ScalarAsync<string>("SELECT holder_id FROM chatops.roles WHERE role = 'commander'"));

        await WaitUntilAsync(() => Slack.Calls("pins.add").Count == 1 && Slack.Calls("conversations.setTopic").Count == 1 && Slack.Calls("conversations.invite").Count == 1, "pin, topic, invite");
        Assert.Contains(Declarer, Slack.Calls("conversations.invite").Single()["users"], StringComparison.Ordinal);
        Assert.DoesNotContain(SlackFake.BotUserId, Slack.Calls("conversations.invite").Single()["users"], StringComparison.Ordinal);
        var topic = Slack.Calls("conversations.setTopic").Single()["topic"];
        Assert.Contains("SEV2", topic, StringComparison.Ordinal);
        Assert.Contains("investigating", topic, StringComparison.Ordinal);
        Assert.Contains("name-" + Declarer.ToLowerInvariant(), topic, StringComparison.Ordinal);
        Assert.Contains("chatops:", channel.Purpose, StringComparison.Ordinal);

        var kickoff = Slack.PostsIn(channel.Id).Single(p => p.Ts == Slack.Calls("pins.add").Single()["timestamp"]);
        var blocks = kickoff.Blocks!;
        Assert.Contains("\"type\":\"header\"", blocks, StringComparison.Ordinal);
        Assert.Contains("claim_role", blocks, StringComparison.Ordinal);
        Assert.Contains("toggle_checklist", blocks, StringComparison.Ordinal);
        Assert.Contains("Next status update due", blocks, StringComparison.Ordinal);
        Assert.Contains($"<@{Declarer}>", blocks, StringComparison.Ordinal);
        Assert.DoesNotContain($"<@{Declarer}|", blocks, StringComparison.Ordinal);

        var announcement = Assert.Single(Slack.PostsIn(Feed));
        Assert.Contains(SlackFake.TeamUrl + "archives/" + channel.Id, announcement.Blocks, StringComparison.Ordinal);
        var reply = Slack.Responses("declare").Last();
        Assert.Equal("ephemeral", reply["response_type"]!.GetValue<string>());
        Assert.Contains("#" + channel.Name, reply["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DoubleSubmittedDeclare_ProducesOneIncidentAndOneChannel()
    {
        var first = await CommandAsync("declare sev1 Payments down", "CORIGIN01", responseId: "one");
        var second = await CommandAsync("declare sev1 Payments down", "CORIGIN01", responseId: "two");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await WaitUntilAsync(() => Slack.Calls("pins.add").Count > 0, "kickoff pinned");
        await InboxDrainedAsync();
        await Task.Delay(500);

        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.incidents"));
        Assert.Single(Slack.Calls("conversations.create"));
        Assert.Single(Slack.Calls("pins.add"));
        Assert.Single(Slack.PostsIn(Feed));
    }

    [Fact]
    public async Task PrivateDeclare_CreatesPrivateChannel_AndNeverAnnounces()
    {
        await CommandAsync("declare sev2 private Leaked credentials", "CORIGIN01");

        await WaitUntilAsync(() => Slack.Calls("pins.add").Count == 1, "kickoff pinned");
        await InboxDrainedAsync();
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM chatops.outbox WHERE status = 'pending'") == 0, "outbox drained");

        Assert.Equal("true", Slack.Calls("conversations.create").Single()["is_private"]);
        Assert.Empty(Slack.PostsIn(Feed));
        Assert.True(await Db.ScalarAsync<bool>("SELECT is_private FROM chatops.incidents"));
    }

    [Fact]
    public async Task ChannelNameTakenBySomeoneElse_GetsASuffix_AndTheReturnedNameIsStored()
    {
        Slack.Channels["inc-1-db-failover"] = new FakeChannel("CTAKEN001", "inc-1-db-failover", false) { Purpose = "someone else's" };

        await CommandAsync("declare sev3 DB failover", "CORIGIN01");

        await WaitUntilAsync(() => Slack.Calls("pins.add").Count == 1, "kickoff pinned");
        Assert.Equal("inc-1-db-failover-2", await Db.ScalarAsync<string>("SELECT channel_name FROM chatops.incidents"));
        Assert.NotEqual("CTAKEN001", await Db.ScalarAsync<string>("SELECT channel_id FROM chatops.incidents"));
    }

    [Fact]
    public async Task DeclareWithoutText_OpensTheModal_AndADoubleSubmitDeclaresOnce()
    {
        var response = await CommandAsync("declare", "CORIGIN01", responseId: "modal");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var open = Assert.Single(Slack.Calls("views.open"));
        var view = JsonNode.Parse(open["view"])!.AsObject();
        Assert.Equal("chatops_declare", view["callback_id"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(open["trigger_id"]));

        var submission = ViewSubmission(view, title: "Search latency", severity: "SEV3", type: "performance");
        var first = await InteractionAsync(submission);
        var second = await InteractionAsync(submission);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("", await first.Content.ReadAsStringAsync());
        await WaitUntilAsync(() => Slack.Calls("pins.add").Count == 1, "kickoff pinned");
        await InboxDrainedAsync();
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.incidents"));
        Assert.Equal("performance", await Db.ScalarAsync<string>("SELECT type FROM chatops.incidents"));
        Assert.Single(Slack.Calls("conversations.create"));
        await WaitUntilAsync(() => Slack.Responses("modal").Count > 0, "reply to the modal's origin");
    }

    [Fact]
    public async Task ModalWithBlankTitle_AnswersFieldErrorsInline_AndStoresNothing()
    {
        await CommandAsync("declare", "CORIGIN01");
        var view = JsonNode.Parse(Slack.Calls("views.open").Single()["view"])!.AsObject();

        var response = await InteractionAsync(ViewSubmission(view, title: "   ", severity: "SEV3", type: "performance"));

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("errors", body["response_action"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["errors"]!["title"]!.GetValue<string>()));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.inbox"));
    }

    /// <summary>The recorded view_submission sample, carrying the modal the bot opened and the user's answers.</summary>
    private static JsonObject ViewSubmission(JsonObject openedView, string title, string severity, string type)
    {
        var payload = JsonNode.Parse(TestSupport.Samples.Read("slack/interactivity/view_submission.json"))!.AsObject();
        payload["user"]!["id"] = Declarer;
        var view = payload["view"]!.AsObject();
        view["id"] = "VDECLARE01";
        view["callback_id"] = openedView["callback_id"]!.GetValue<string>();
        view["private_metadata"] = openedView["private_metadata"]!.GetValue<string>();
        view["state"] = new JsonObject
        {
            ["values"] = new JsonObject
            {
                ["title"] = new JsonObject { ["value"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = title } },
                ["severity"] = new JsonObject { ["value"] = new JsonObject { ["type"] = "static_select", ["selected_option"] = new JsonObject { ["value"] = severity } } },
                ["type"] = new JsonObject { ["value"] = new JsonObject { ["type"] = "static_select", ["selected_option"] = new JsonObject { ["value"] = type } } },
                ["private"] = new JsonObject { ["value"] = new JsonObject { ["type"] = "checkboxes", ["selected_options"] = new JsonArray() } },
            },
        };
        return payload;
    }
}
