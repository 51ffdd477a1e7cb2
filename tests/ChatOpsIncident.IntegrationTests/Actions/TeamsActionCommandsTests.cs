using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using ChatOpsIncident.IntegrationTests.Teams.Support;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.IntegrationTests.Actions;

/// <summary>Action edits clearing the close gate and <c>catchup</c>, through the whole host from Teams.</summary>
public sealed class TeamsActionCommandsTests : IAsyncLifetime
{
    // The text as people read it (backticks and dashes unescaped).
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private TeamsScenario _teams = null!;

    public async Task InitializeAsync() => _teams = await TeamsScenario.StartAsync();

    public async Task DisposeAsync() => await _teams.DisposeAsync();

    /// <summary>Sends a command and waits until the record shows it landed.</summary>
    private async Task RunAsync(string text, string channel, string activityId, string landed)
    {
        Assert.Equal(HttpStatusCode.OK, (await _teams.SendAsync(_teams.Command(text, channel, activityId))).StatusCode);
        await RecordingChatPlatform.WaitUntilAsync(() => _teams.CountAsync(landed).GetAwaiter().GetResult() > 0, TimeSpan.FromSeconds(30), $"'{text}' processed");
    }

    /// <summary>The bot's answer in the thread of the command <paramref name="activityId"/> (Teams has no ephemeral messages).</summary>
    private async Task<string> ReplyAsync(string channel, string activityId)
    {
        var thread = $"{channel};messageid={activityId}";
        string? reply = null;
        await RecordingChatPlatform.WaitUntilAsync(
            () => (reply = _teams.Stub.ConversationSends().Where(s => s.ConversationId == thread).Select(s => s.Body.ToJsonString(Relaxed)).LastOrDefault()) is not null,
            TimeSpan.FromSeconds(30),
            $"the answer to {activityId}");
        return reply!;
    }

    [Fact]
    public async Task Close_RefusedNamingTheFix_ActionEdit_ThenCloseSucceeds()
    {
        var channel = await _teams.DeclareAsync();
        await RunAsync("action Add a canary stage critical", channel, "1741946000000", "SELECT count(*) FROM chatops.actions");
        await RunAsync("resolve --force rolled back", channel, "1741946010000", "SELECT count(*) FROM chatops.incidents WHERE status = 'resolved'");

        Assert.Equal(HttpStatusCode.OK, (await _teams.SendAsync(_teams.Command("close", channel, "1741946020000"))).StatusCode);
        // The card escapes markdown, so the backticks arrive as \` (and show as typed).
        var refusal = (await ReplyAsync(channel, "1741946020000")).Replace(@"\\`", "`", StringComparison.Ordinal);
        Assert.True(refusal.Contains("Action 1 (critical) has no owner and no due date: `@Incident action 1 @someone due:YYYY-MM-DD`", StringComparison.Ordinal), refusal);
        Assert.Equal("resolved", await _teams.Db.ScalarAsync<string>("SELECT status FROM chatops.incidents"));

        var due = TimeProvider.System.GetUtcNow().AddDays(14).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await RunAsync($"action 1 me due:{due}", channel, "1741946030000", "SELECT count(*) FROM chatops.audit WHERE field = 'action:1:due'");
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.actions WHERE owner_id IS NOT NULL AND due_date IS NOT NULL"));
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.audit WHERE field = 'action:1:owner' AND surface = 'teams'"));

        await RunAsync("close", channel, "1741946040000", "SELECT count(*) FROM chatops.incidents WHERE status = 'closed'");
        Assert.Equal("closed", await _teams.Db.ScalarAsync<string>("SELECT status FROM chatops.incidents"));
    }

    [Fact]
    public async Task CatchUp_AnswersInTheCommandsThread_WithStateUpdateActionsAndTimeline()
    {
        var channel = await _teams.DeclareAsync();
        await RunAsync("update identified Bad deploy of the cart service", channel, "1741946100000", "SELECT count(*) FROM chatops.status_updates");
        await RunAsync("action Roll back the cart service high", channel, "1741946110000", "SELECT count(*) FROM chatops.actions");
        await _teams.OutboxDrainedAsync("the action's post is sent");
        var postsBefore = _teams.Stub.ChannelPosts().Count(p => p.ChannelId == channel);

        Assert.Equal(HttpStatusCode.OK, (await _teams.SendAsync(_teams.Command("catchup", channel, "1741946120000"))).StatusCode);

        var reply = await ReplyAsync(channel, "1741946120000");
        foreach (var expected in new[] { "Catch-up", "INC-1", "identified", "Open for", "Incident Commander", "Bad deploy of the cart service", "Roll back the cart service", "Recent timeline" })
        {
            Assert.Contains(expected, reply, StringComparison.Ordinal);
        }

        await _teams.OutboxDrainedAsync("the answer is sent");
        Assert.Equal(postsBefore, _teams.Stub.ChannelPosts().Count(p => p.ChannelId == channel));
    }
}
