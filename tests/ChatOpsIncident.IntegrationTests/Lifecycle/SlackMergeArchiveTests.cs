using System.Net;
using ChatOpsIncident.IntegrationTests.Slack;

namespace ChatOpsIncident.IntegrationTests.Lifecycle;

/// <summary>
/// A merged incident's channel is archived after <c>Incident:MergeArchiveAfter</c> through the whole host: the merge
/// schedules a Hangfire delayed job, the job queues one keyed outbox row, the dispatcher calls conversations.archive.
/// </summary>
public sealed class SlackMergeArchiveTests : SlackHostTestBase
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Incident:MergeArchiveAfter"] = "00:00:03",
        ["Scheduling:SchedulePollingInterval"] = "00:00:01",
        ["Scheduling:QueuePollInterval"] = "00:00:01",
        ["Logging:LogLevel:Hangfire"] = "Warning",
    };

    private async Task RunAsync(string text, string channel)
    {
        var response = await CommandAsync(text, channel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await InboxDrainedAsync();
    }

    private async Task<(string Main, string Duplicate)> TwoIncidentsAsync()
    {
        var (_, main) = await DeclareAsync("sev2 Checkout down");
        Assert.Equal(HttpStatusCode.OK, (await CommandAsync("declare sev3 Checkout 500s", "CORIGIN01")).StatusCode);
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM chatops.incidents WHERE number = 2 AND channel_id IS NOT NULL") == 1, "second incident channel");
        var duplicate = (await Db.ScalarAsync<string>("SELECT channel_id FROM chatops.incidents WHERE number = 2"))!;
        await WaitUntilAsync(() => Slack.Calls("pins.add").Any(c => c["channel"] == duplicate), "second kickoff pinned");
        return (main, duplicate);
    }

    [Fact]
    public async Task Merge_ArchivesTheDuplicatesChannel_OnceAfterTheGrace_NeverTheTargets()
    {
        var (main, duplicate) = await TwoIncidentsAsync();

        await RunAsync("merge INC-1", duplicate);
        var merged = TimeProvider.System.GetUtcNow();
        // The same merge again (a retried command) must not archive twice.
        await RunAsync("merge INC-1", duplicate);
        Assert.Empty(Slack.Calls("conversations.archive"));

        await WaitUntilAsync(() => Slack.Calls("conversations.archive").Any(c => c["channel"] == duplicate), "duplicate's channel archived", seconds: 30);
        Assert.True(TimeProvider.System.GetUtcNow() - merged >= Grace - TimeSpan.FromMilliseconds(500), "archived before the grace period ended");
        await WaitUntilAsync(() => Slack.PostsIn(duplicate).Any(p => p.Text.Contains("merged INC-2 into INC-1", StringComparison.Ordinal)), "duplicate's channel told");

        // Give a second (duplicate) job time to show itself.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Single(Slack.Calls("conversations.archive"), c => c["channel"] == duplicate);
        Assert.DoesNotContain(Slack.Calls("conversations.archive"), c => c["channel"] == main);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.outbox WHERE operation = 'archive'"));
    }

    [Fact]
    public async Task Merge_NoLongerMergedWhenTheGraceEnds_ChannelKept()
    {
        var (_, duplicate) = await TwoIncidentsAsync();

        await RunAsync("merge INC-1", duplicate);
        // No chat verb unmerges yet: stand in for a reopen by changing the status before the job runs.
        Assert.Equal(2, await Db.ScalarAsync<int>("UPDATE chatops.incidents SET status = 'investigating', merged_into = NULL WHERE number = 2 RETURNING number"));

        // The job ran (and found nothing to archive); then the dispatcher gets a moment to show an archive anyway.
        var id = await Db.ScalarAsync<Guid>("SELECT id FROM chatops.incidents WHERE number = 2");
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%MergeArchiveJobs%' AND invocationdata::text LIKE @id AND statename = 'Succeeded'", ("id", $"%{id}%")) >= 1, "archive job ran", seconds: 30);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(Slack.Calls("conversations.archive"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.outbox WHERE operation = 'archive'"));
    }
}
