using System.Net;
using System.Text.Json.Nodes;

namespace ChatOpsIncident.IntegrationTests.Slack;

public sealed class SlackCommandTests : SlackHostTestBase
{
    private async Task<int> PostCountAsync(string channel) => await Task.FromResult(Slack.PostsIn(channel).Count());

    private async Task RunAsync(string text, string channel, string responseId)
    {
        var response = await CommandAsync(text, channel, responseId: responseId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await InboxDrainedAsync();
    }

    [Fact]
    public async Task Role_Severity_Update_Note_Resolve_ChangeTheRecord_AndPostInTheChannel()
    {
        var (id, channel) = await DeclareAsync();
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM chatops.outbox WHERE status = 'pending'") == 0, "declare effects delivered");
        var before = await PostCountAsync(channel);

        await RunAsync("role comms <@U0BOB0001|bob>", channel, "role");
        await WaitUntilAsync(() => Slack.PostsIn(channel).Any(p => p.Text.Contains("Communications Lead", StringComparison.Ordinal) && p.Text.Contains("<@U0BOB0001>", StringComparison.Ordinal)), "role posted");
        Assert.Equal("U0BOB0001", await Db.ScalarAsync<string>("SELECT holder_id FROM chatops.roles WHERE role = 'comms' AND relieved_at IS NULL"));
        // The invite is queued after the post, so it may still be on its way when the post is seen.
        await WaitUntilAsync(() => Slack.Calls("conversations.invite").Any(c => c["users"].Contains("U0BOB0001", StringComparison.Ordinal)), "new role holder invited");

        await RunAsync("sev sev1", channel, "sev");
        Assert.Equal("SEV1", await Db.ScalarAsync<string>("SELECT severity FROM chatops.incidents"));
        await WaitUntilAsync(() => Slack.PostsIn(channel).Any(p => p.Text.Contains("SEV1", StringComparison.Ordinal)), "severity posted");
        await WaitUntilAsync(() => Slack.Calls("chat.update").Count > 0, "kickoff card refreshed");

        await RunAsync("update identified Bad deploy of checkout 4.2 found", channel, "update");
        Assert.Equal("identified", await Db.ScalarAsync<string>("SELECT status FROM chatops.incidents"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.status_updates WHERE text = 'Bad deploy of checkout 4.2 found'"));
        await WaitUntilAsync(() => Slack.PostsIn(channel).Any(p => p.Text.Contains("Bad deploy of checkout 4.2 found", StringComparison.Ordinal)), "update posted");

        await RunAsync("note rolled back to 4.1", channel, "note");
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'note' AND text = 'rolled back to 4.1'"));
        await WaitUntilAsync(() => Slack.Responses("note").Any(r => r["text"]!.GetValue<string>().Contains("Noted", StringComparison.Ordinal)), "ephemeral confirmation");

        await RunAsync("resolve --force checklist verified by hand", channel, "resolve");
        Assert.Equal("resolved", await Db.ScalarAsync<string>("SELECT status FROM chatops.incidents"));
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM chatops.outbox WHERE status = 'pending'") == 0, "effects delivered");
        Assert.True(await PostCountAsync(channel) >= before + 4, "each state change was posted in the channel");
        Assert.Equal(id, Guid.Parse((await Db.ScalarAsync<string>("SELECT incident_id::text FROM chatops.timeline WHERE kind = 'resolved'"))!));
    }

    [Fact]
    public async Task IncidentCommand_OutsideAnIncidentChannel_GetsAnEphemeralHint()
    {
        await RunAsync("note hello", "CRANDOM01", "hint");

        await WaitUntilAsync(() => Slack.Responses("hint").Count == 1, "hint");
        var reply = Slack.Responses("hint").Single();
        Assert.Equal("ephemeral", reply["response_type"]!.GetValue<string>());
        Assert.Contains("inside an incident channel", reply["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.timeline"));
    }

    [Fact]
    public async Task UnknownCommand_AnswersUsageImmediately_AndStoresNothing()
    {
        var response = await CommandAsync("frobnicate now", "CRANDOM01");

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ephemeral", body["response_type"]!.GetValue<string>());
        Assert.Contains("Unknown command", body["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.inbox"));
    }

    [Fact]
    public async Task ClaimRoleButton_GivesTheClickerTheRole()
    {
        var (id, channel) = await DeclareAsync();
        var payload = JsonNode.Parse(TestSupport.Samples.Read("slack/interactivity/block_actions.button.json"))!.AsObject();
        payload["user"]!["id"] = "U0CAROL01";
        payload["user"]!["username"] = "carol";
        payload["channel"]!["id"] = channel;
        payload["container"]!["channel_id"] = channel;
        payload["response_url"] = Slack.ResponseUrl("claim");
        payload["actions"]![0]!["action_id"] = "claim_role#1";
        payload["actions"]![0]!["value"] = $"{id}|scribe";

        var response = await InteractionAsync(payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await InboxDrainedAsync();
        Assert.Equal("U0CAROL01", await Db.ScalarAsync<string>("SELECT holder_id FROM chatops.roles WHERE role = 'scribe' AND relieved_at IS NULL"));
        await WaitUntilAsync(() => Slack.PostsIn(channel).Any(p => p.Text.Contains("Scribe", StringComparison.Ordinal)), "claim posted");
    }

    private JsonObject ButtonClick(string channel, string user, string actionId, string value)
    {
        var payload = JsonNode.Parse(TestSupport.Samples.Read("slack/interactivity/block_actions.button.json"))!.AsObject();
        payload["user"]!["id"] = user;
        payload["channel"]!["id"] = channel;
        payload["container"]!["channel_id"] = channel;
        payload["trigger_id"] = Guid.NewGuid().ToString("N");
        payload["response_url"] = Slack.ResponseUrl("button");
        payload["actions"]![0]!["action_id"] = actionId;
        payload["actions"]![0]!["value"] = value;
        return payload;
    }

    [Fact]
    public async Task ChecklistButton_TicksTheItem_AndPostUpdateButton_OpensTheFormWhoseSubmissionPostsTheUpdate()
    {
        var (id, channel) = await DeclareAsync();

        var tick = await InteractionAsync(ButtonClick(channel, "U0DAVE001", "toggle_checklist", $"{id}|triage|0"));
        Assert.Equal(HttpStatusCode.OK, tick.StatusCode);
        await InboxDrainedAsync();
        Assert.Equal("U0DAVE001", await Db.ScalarAsync<string>("SELECT done_by_id FROM chatops.checklist WHERE checklist = 'triage' AND idx = 0"));

        var open = await InteractionAsync(ButtonClick(channel, "U0DAVE001", "open_update_form#4", id.ToString()));
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        var view = JsonNode.Parse(Assert.Single(Slack.Calls("views.open"))["view"])!.AsObject();
        Assert.Equal("chatops_update", view["callback_id"]!.GetValue<string>());

        var submission = JsonNode.Parse(TestSupport.Samples.Read("slack/interactivity/view_submission.json"))!.AsObject();
        submission["user"]!["id"] = "U0DAVE001";
        submission["view"]!["id"] = "VUPDATE01";
        submission["view"]!["callback_id"] = "chatops_update";
        submission["view"]!["private_metadata"] = view["private_metadata"]!.GetValue<string>();
        submission["view"]!["state"] = new JsonObject
        {
            ["values"] = new JsonObject
            {
                ["status"] = new JsonObject { ["value"] = new JsonObject { ["type"] = "static_select", ["selected_option"] = new JsonObject { ["value"] = "monitoring" } } },
                ["text"] = new JsonObject { ["value"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "Error rate back to baseline" } },
            },
        };
        var submitted = await InteractionAsync(submission);

        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        await InboxDrainedAsync();
        Assert.Equal("monitoring", await Db.ScalarAsync<string>("SELECT status FROM chatops.incidents"));
        await WaitUntilAsync(() => Slack.PostsIn(channel).Any(p => p.Text.Contains("Error rate back to baseline", StringComparison.Ordinal)), "update posted");
    }
}
