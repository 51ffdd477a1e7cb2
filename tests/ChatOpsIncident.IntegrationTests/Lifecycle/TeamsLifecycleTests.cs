using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ChatOpsIncident.IntegrationTests.Teams.Support;
using ChatOpsIncident.Teams.Testing;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.IntegrationTests.Lifecycle;

/// <summary>The exits and key times through the whole host from Teams: decline, merge, started, reopen.</summary>
public sealed class TeamsLifecycleTests : IAsyncLifetime
{
    private TeamsScenario _teams = null!;

    public async Task InitializeAsync() => _teams = await TeamsScenario.StartAsync();

    public async Task DisposeAsync() => await _teams.DisposeAsync();

    /// <summary>Sends a command and waits (not a fixed time) until the record shows it landed.</summary>
    private async Task RunAsync(string text, string channel, string activityId, string landed)
    {
        Assert.Equal(HttpStatusCode.OK, (await _teams.SendAsync(_teams.Command(text, channel, activityId))).StatusCode);
        await RecordingChatPlatform.WaitUntilAsync(() => _teams.CountAsync(landed).GetAwaiter().GetResult() > 0, TimeSpan.FromSeconds(30), $"'{text}' processed");
    }

    [Fact]
    public async Task DeclareTriage_Decline_EndsIt_AndTheChannelIsTold()
    {
        var origin = JsonNode.Parse(_teams.Fill(TeamsScenario.Payload("message.channel.declare.json")))!["channelData"]!["channel"]!["id"]!.GetValue<string>();
        var channel = await _teams.DeclareAsync(_teams.Command("declare triage sev3 Maybe checkout errors", origin, "1741945500000").ToJsonString());
        Assert.Equal("triage", await _teams.Db.ScalarAsync<string>("SELECT status FROM chatops.incidents"));

        await RunAsync("decline the alert flapped", channel, "1741945510000", "SELECT count(*) FROM chatops.incidents WHERE status <> 'triage'");

        Assert.Equal("declined", await _teams.Db.ScalarAsync<string>("SELECT status FROM chatops.incidents"));
        await RecordingChatPlatform.WaitUntilAsync(() => _teams.PostsTo(channel, "declined INC-1: the alert flapped").Count == 1, because: "the decline is posted in the channel");
    }

    [Fact]
    public async Task Started_ThenResolveAndReopen()
    {
        var channel = await _teams.DeclareAsync();
        var started = TimeProvider.System.GetUtcNow().AddHours(-1);

        await RunAsync("started " + started.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture), channel, "1741945520000", "SELECT count(*) FROM chatops.audit WHERE field = 'impact_started_at'");
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.incidents WHERE impact_started_at IS NOT NULL"));
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.audit WHERE field = 'impact_started_at'"));

        await RunAsync("resolve --force rolled back", channel, "1741945530000", "SELECT count(*) FROM chatops.incidents WHERE resolved_at IS NOT NULL");
        Assert.Equal("resolved", await _teams.Db.ScalarAsync<string>("SELECT status FROM chatops.incidents"));
        await RunAsync("reopen errors are back", channel, "1741945540000", "SELECT count(*) FROM chatops.audit WHERE field = 'resolved_at'");

        Assert.Equal("investigating", await _teams.Db.ScalarAsync<string>("SELECT status FROM chatops.incidents"));
        await RecordingChatPlatform.WaitUntilAsync(() => _teams.PostsTo(channel, "reopened INC-1: errors are back").Count == 1, because: "the reopen is posted in the channel");
    }

    [Fact]
    public async Task Merge_DuplicateEnds_ItsChannelToldWhereToGo_TheOtherGetsTheLink()
    {
        var main = await _teams.DeclareAsync();
        Assert.Equal(HttpStatusCode.OK, (await _teams.SendAsync(_teams.Command("declare sev3 Checkout 500s", TeamsScenario.General, "1741945550000"))).StatusCode);
        string? duplicate = null;
        await RecordingChatPlatform.WaitUntilAsync(
            () => (duplicate = _teams.Db.ScalarAsync<string>("SELECT channel_id FROM chatops.incidents WHERE number = 2").GetAwaiter().GetResult()) is not null
                && _teams.Stub.ChannelPosts().Any(p => p.ChannelId == duplicate),
            TimeSpan.FromSeconds(30), "the second incident's kickoff card");

        await RunAsync("merge INC-1", duplicate!, "1741945560000", "SELECT count(*) FROM chatops.incidents WHERE status = 'merged'");

        Assert.Equal(("merged", 1), (
            await _teams.Db.ScalarAsync<string>("SELECT status FROM chatops.incidents WHERE number = 2"),
            await _teams.Db.ScalarAsync<int>("SELECT merged_into FROM chatops.incidents WHERE number = 2")));
        Assert.Equal("investigating", await _teams.Db.ScalarAsync<string>("SELECT status FROM chatops.incidents WHERE number = 1"));
        await RecordingChatPlatform.WaitUntilAsync(
            () => _teams.CountAsync("SELECT count(*) FROM chatops.timeline t JOIN chatops.incidents i ON i.id = t.incident_id WHERE i.number = 1 AND t.kind = 'merge' AND t.text LIKE 'INC-2 (Checkout 500s) was merged into this incident%'").GetAwaiter().GetResult() == 1,
            TimeSpan.FromSeconds(30), "the link on the other incident's timeline");
        await RecordingChatPlatform.WaitUntilAsync(() => _teams.PostsTo(duplicate!, "merged INC-2 into INC-1").Count == 1, because: "the duplicate's channel is told where to go");
        await RecordingChatPlatform.WaitUntilAsync(() => _teams.PostsTo(main, "merged INC-2 (Checkout 500s) into this incident").Count == 1, because: "the other channel is told");
    }
}
