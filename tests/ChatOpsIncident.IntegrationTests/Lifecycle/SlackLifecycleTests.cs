using System.Globalization;
using System.Net;
using ChatOpsIncident.IntegrationTests.Slack;

namespace ChatOpsIncident.IntegrationTests.Lifecycle;

/// <summary>The exits and key times through the whole host from Slack: decline, merge, started, reopen.</summary>
public sealed class SlackLifecycleTests : SlackHostTestBase
{
    private async Task RunAsync(string text, string channel)
    {
        var response = await CommandAsync(text, channel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await InboxDrainedAsync();
    }

    private Task<string?> StatusAsync(int number) =>
        Db.ScalarAsync<string>("SELECT status FROM chatops.incidents WHERE number = @n", ("n", number));

    [Fact]
    public async Task DeclareTriage_Decline_EndsIt_AndTheChannelIsTold()
    {
        var (_, channel) = await DeclareAsync("triage sev3 Maybe checkout errors");
        Assert.Equal("triage", await StatusAsync(1));

        await RunAsync("decline the alert flapped, no customer impact", channel);

        Assert.Equal("declined", await StatusAsync(1));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.audit WHERE field = 'exit_reason' AND new_value = 'the alert flapped, no customer impact'"));
        await WaitUntilAsync(() => Slack.PostsIn(channel).Any(p => p.Text.Contains("declined INC-1: the alert flapped", StringComparison.Ordinal)), "decline posted");
    }

    [Fact]
    public async Task Merge_DuplicateEnds_ItsChannelToldWhereToGo_TheOtherGetsTheLink()
    {
        var (_, main) = await DeclareAsync("sev2 Checkout down");
        // The base's DeclareAsync waits for any channel; the second declaration waits for its own.
        Assert.Equal(HttpStatusCode.OK, (await CommandAsync("declare sev3 Checkout 500s", "CORIGIN01")).StatusCode);
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM chatops.incidents WHERE number = 2 AND channel_id IS NOT NULL") == 1, "second incident channel");
        var duplicate = (await Db.ScalarAsync<string>("SELECT channel_id FROM chatops.incidents WHERE number = 2"))!;
        await WaitUntilAsync(() => Slack.Calls("pins.add").Any(c => c["channel"] == duplicate), "second kickoff pinned");

        await RunAsync("merge INC-1", duplicate);

        Assert.Equal(("merged", 1), (await StatusAsync(2), await Db.ScalarAsync<int>("SELECT merged_into FROM chatops.incidents WHERE number = 2")));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.timeline t JOIN chatops.incidents i ON i.id = t.incident_id WHERE i.number = 1 AND t.kind = 'merge' AND t.text LIKE 'INC-2 (Checkout 500s) was merged into this incident%'"));
        await WaitUntilAsync(() => Slack.PostsIn(duplicate).Any(p => p.Text.Contains("merged INC-2 into INC-1", StringComparison.Ordinal)), "duplicate's channel told");
        await WaitUntilAsync(() => Slack.PostsIn(main).Any(p => p.Text.Contains("merged INC-2 (Checkout 500s) into this incident", StringComparison.Ordinal)), "main channel told");
    }

    [Fact]
    public async Task Started_SetsTheImpactStart_Audited_ThenResolveAndReopen()
    {
        var (_, channel) = await DeclareAsync("sev3 Checkout latency");
        var started = TimeProvider.System.GetUtcNow().AddHours(-1);
        var text = started.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);

        await RunAsync("started " + text, channel);
        var stored = await Db.ScalarAsync<DateTime>("SELECT impact_started_at FROM chatops.incidents");
        Assert.Equal(started.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), stored.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.audit WHERE field = 'impact_started_at'"));

        await RunAsync("resolve --force rolled back", channel);
        Assert.Equal("resolved", await StatusAsync(1));
        await RunAsync("reopen errors are back", channel);

        Assert.Equal("investigating", await StatusAsync(1));
        Assert.Null(await Db.ScalarAsync<DateTime?>("SELECT resolved_at FROM chatops.incidents"));
        await WaitUntilAsync(() => Slack.PostsIn(channel).Any(p => p.Text.Contains("reopened INC-1: errors are back", StringComparison.Ordinal)), "reopen posted");
    }
}
