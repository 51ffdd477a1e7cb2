using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using ChatOpsIncident.IntegrationTests.Slack;

namespace ChatOpsIncident.IntegrationTests.Actions;

/// <summary>Action edits clearing the close gate, <c>undone</c> and <c>catchup</c>, through the whole host from Slack.</summary>
public sealed class SlackActionCommandsTests : SlackHostTestBase
{
    private async Task RunAsync(string text, string channel, string responseId)
    {
        var response = await CommandAsync(text, channel, responseId: responseId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await InboxDrainedAsync();
    }

    private async Task<string> ReplyAsync(string responseId)
    {
        await WaitUntilAsync(() => Slack.Responses(responseId).Count > 0, $"reply {responseId}");
        var reply = Slack.Responses(responseId).Last();
        Assert.Equal("ephemeral", reply["response_type"]!.GetValue<string>());
        // Relaxed: the text as people read it (backticks and dashes unescaped).
        return reply.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private Task OutboxDrainedAsync() =>
        WaitForAsync(async () => await CountAsync("SELECT count(*) FROM chatops.outbox WHERE status = 'pending'") == 0, "outbox drained");

    private Task<string?> StatusAsync() => Db.ScalarAsync<string>("SELECT status FROM chatops.incidents WHERE number = 1");

    [Fact]
    public async Task Close_RefusedNamingTheFix_ActionEdit_ThenCloseSucceeds()
    {
        var (_, channel) = await DeclareAsync("sev3 Checkout latency");
        await RunAsync("action Add a canary stage critical", channel, "add");
        await RunAsync("resolve --force rolled back", channel, "resolve");

        await RunAsync("close", channel, "close1");
        var refusal = await ReplyAsync("close1");
        Assert.Contains("Action 1 (critical) has no owner and no due date: `/incident action 1 @someone due:YYYY-MM-DD`", refusal, StringComparison.Ordinal);
        Assert.Equal("resolved", await StatusAsync());

        var due = TimeProvider.System.GetUtcNow().AddDays(14).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // A usage error is answered at once, in the command's own response, before anything is stored.
        var bad = await CommandAsync("action 1 due:2026-13-40", channel);
        Assert.Contains("'2026-13-40' is not a date", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await InboxDrainedAsync();
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.audit WHERE field LIKE 'action:1:%'"));

        await RunAsync($"action 1 <@U0BOB|bob> due:{due}", channel, "edit");
        Assert.Contains("Action #1 edited", await ReplyAsync("edit"), StringComparison.Ordinal);
        Assert.Equal(("U0BOB", due), (await Db.ScalarAsync<string>("SELECT owner_id FROM chatops.actions WHERE seq = 1"), await Db.ScalarAsync<string>("SELECT due_date::text FROM chatops.actions WHERE seq = 1")));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM chatops.audit WHERE field IN ('action:1:owner', 'action:1:due') AND surface = 'slack'"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'action' AND text LIKE 'Action edited: #1%'"));

        await RunAsync("close", channel, "close2");
        Assert.Equal("closed", await StatusAsync());
    }

    [Fact]
    public async Task Undone_ReopensADoneAction_Audited()
    {
        var (_, channel) = await DeclareAsync("sev3 Checkout latency");
        await RunAsync("action Write the runbook", channel, "add");
        await RunAsync("done 1", channel, "done");
        Assert.NotNull(await Db.ScalarAsync<DateTime?>("SELECT done_at FROM chatops.actions WHERE seq = 1"));

        await RunAsync("undone 1", channel, "undone");

        Assert.Contains("Action #1 is open again", await ReplyAsync("undone"), StringComparison.Ordinal);
        Assert.Null(await Db.ScalarAsync<DateTime?>("SELECT done_at FROM chatops.actions WHERE seq = 1"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.audit WHERE field = 'action:1' AND old_value = 'done' AND new_value = 'open'"));
    }

    [Fact]
    public async Task CatchUp_AnswersPrivately_WithStateRolesUpdateActionsAndTimeline()
    {
        var (_, channel) = await DeclareAsync("sev2 Checkout 5xx after deploy");
        await RunAsync("update identified Bad deploy of the cart service", channel, "update");
        await RunAsync("action Roll back the cart service <@U0BOB|bob> high", channel, "add");
        await RunAsync("note Rollback started", channel, "note");
        await OutboxDrainedAsync();
        var postsBefore = Slack.PostsIn(channel).Count();

        await RunAsync("catch up", channel, "catchup");

        var reply = await ReplyAsync("catchup");
        Assert.Contains("Catch-up on INC-1", reply, StringComparison.Ordinal);
        foreach (var expected in new[] { "identified", "SEV2", "Open for", "Incident Commander", "Bad deploy of the cart service", "Next update due", "Roll back the cart service", "Rollback started", "Recent changes" })
        {
            Assert.Contains(expected, reply, StringComparison.Ordinal);
        }

        // Private: nothing new in the channel, nothing on the record.
        await OutboxDrainedAsync();
        Assert.Equal(postsBefore, Slack.PostsIn(channel).Count());
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.timeline WHERE text LIKE '%Catch-up%'"));
    }
}
