using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.IntegrationTests.Teams.Support;
using ChatOpsIncident.Teams.Testing;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.IntegrationTests.Teams;

/// <summary>
/// The update cadence on a Teams incident: Hangfire (real, on PostgreSQL) fires the reminder and the escalation,
/// the outbox hands them to the Teams adapter, and the cards reach the Bot Connector for the incident channel.
/// </summary>
public sealed class TeamsCadenceTests
{
    /// <summary>SEV2 (index 1, what the recorded declaration uses) on a 3-second cadence; Hangfire polling as in the scheduling tests.</summary>
    private static void ShortCadence(Dictionary<string, string?> s)
    {
        s["Incident:Severities:1:UpdateCadence"] = "00:00:03";
        s["Incident:EscalationRepeat"] = "01:00:00";
        s["Scheduling:SchedulePollingInterval"] = "00:00:01";
        s["Scheduling:QueuePollInterval"] = "00:00:02";
        s["Scheduling:Window"] = "00:00:02";
        s["Logging:LogLevel:Hangfire"] = "Warning";
    }

    [Fact]
    public async Task CadencePasses_ReminderCardReachesTheTeamsChannelOnce_ThenOneEscalation_FeedAndPage()
    {
        await using var teams = await TeamsScenario.StartAsync(ShortCadence);
        var channel = await teams.DeclareAsync();
        var due = await teams.Db.ScalarAsync<DateTime>("SELECT next_update_due FROM chatops.incidents");
        var incidentId = await teams.Db.ScalarAsync<Guid>("SELECT id FROM chatops.incidents");

        await RecordingChatPlatform.WaitUntilAsync(() => teams.PostsTo(channel, "⏰ Status update due").Count > 0, TimeSpan.FromSeconds(75), "the reminder reaches the Teams channel");
        try
        {
            await RecordingChatPlatform.WaitUntilAsync(() => teams.PostsTo(channel, "🚨 Status update overdue").Count > 0, TimeSpan.FromSeconds(75), "the escalation reaches the Teams channel");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(ex.Message + "\n" + await DiagnosticsAsync(teams), ex);
        }
        await RecordingChatPlatform.WaitUntilAsync(() => teams.PostsTo(TeamsScenario.Feed, "status update overdue").Count > 0, TimeSpan.FromSeconds(10), "the feed hears of the escalation");
        await RecordingChatPlatform.WaitUntilAsync(() => teams.PostsTo(channel, "status update overdue since").Count > 0, TimeSpan.FromSeconds(10), "SEV2 pages");

        // The jobs and the sweep keep running: nothing more for the same due time.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var reminder = Assert.Single(teams.PostsTo(channel, "⏰ Status update due"));
        Assert.Single(teams.PostsTo(channel, "🚨 Status update overdue"));
        Assert.Single(teams.PostsTo(TeamsScenario.Feed, "status update overdue"));
        Assert.Single(teams.PostsTo(channel, "status update overdue since"));

        // The card mentions the declarer so Teams notifies them, and carries working buttons.
        var card = reminder["activity"]!["attachments"]![0]!["content"]!;
        Assert.Contains("<at>Megan Bowen</at>", BotFrameworkStub.CardText(reminder), StringComparison.Ordinal);
        Assert.Contains(card["msteams"]!["entities"]!.AsArray(), e => e!["mentioned"]!["id"]!.GetValue<string>() == TeamsScenario.MeganAad);
        var actions = card["actions"]!.AsArray().Select(a => (Verb: a!["verb"]!.GetValue<string>(), Value: a["data"]!["value"]!.GetValue<string>())).ToList();
        Assert.Contains((ChatActions.OpenUpdateForm, incidentId.ToString()), actions);
        Assert.Contains((ChatActions.Snooze, $"{incidentId}|10"), actions);
        Assert.Equal(BotFrameworkStub.TenantId, reminder["channelData"]!["tenant"]!["id"]!.GetValue<string>());

        Assert.Equal(1, await teams.CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'reminder'"));
        Assert.Equal(1, await teams.CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'escalation'"));
        Assert.Equal(due, await teams.Db.ScalarAsync<DateTime>("SELECT reminded_due FROM chatops.incidents"), TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, await teams.CountAsync("SELECT count(*) FROM chatops.outbox WHERE platform = 'teams' AND status <> 'done'"));
    }

    [Fact]
    public async Task UpdatePostedFromTeams_ResetsTheClock_NoReminderForTheOldDueTime()
    {
        await using var teams = await TeamsScenario.StartAsync(s =>
        {
            ShortCadence(s);
            s["Incident:Severities:1:UpdateCadence"] = "00:00:05";
        });
        var channel = await teams.DeclareAsync();
        var firstDue = await teams.Db.ScalarAsync<DateTime>("SELECT next_update_due FROM chatops.incidents");

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await teams.SendAsync(teams.Command("update identified Rolled back the deploy", channel, "1741945555000"));
        await RecordingChatPlatform.WaitUntilAsync(
            () => teams.Db.ScalarAsync<DateTime>("SELECT next_update_due FROM chatops.incidents").GetAwaiter().GetResult() > firstDue,
            TimeSpan.FromSeconds(10),
            "the update resets the due time");

        await RecordingChatPlatform.WaitUntilAsync(() => DateTimeOffset.UtcNow.UtcDateTime > firstDue.AddSeconds(1.5), TimeSpan.FromSeconds(10));
        Assert.Empty(teams.PostsTo(channel, "⏰ Status update due"));
        await RecordingChatPlatform.WaitUntilAsync(() => teams.PostsTo(channel, "⏰ Status update due").Count > 0, TimeSpan.FromSeconds(20), "a reminder for the new due time");
        Assert.Single(teams.PostsTo(channel, "⏰ Status update due"));
    }

    /// <summary>The 1:1 chats the bot opened with <paramref name="userId"/> (Connector create conversation, isGroup false).</summary>
    private static List<JsonNode> DirectChats(TeamsScenario teams, string userId) =>
        teams.Stub.ChannelPosts().Select(p => p.Body)
            .Where(b => b["isGroup"]?.GetValue<bool>() == false && b["members"]?[0]?["id"]?.GetValue<string>() == userId).ToList();

    [Fact]
    public async Task NoUpdate_EscalatesAgain_EachTimeAlsoInA1To1Chat_ThenAnUpdateStopsIt()
    {
        await using var teams = await TeamsScenario.StartAsync(s =>
        {
            ShortCadence(s);
            s["Incident:EscalationRepeat"] = "00:00:03";
        });
        var channel = await teams.DeclareAsync();
        await RecordingChatPlatform.WaitUntilAsync(() => teams.PostsTo(channel, "🚨 Status update overdue").Count >= 2, TimeSpan.FromSeconds(90), "a second escalation in the Teams channel");
        await RecordingChatPlatform.WaitUntilAsync(() => teams.Stub.ConversationSends().Count(s => BotFrameworkStub.CardText(s.Body).Contains("you are the Incident Commander", StringComparison.Ordinal)) >= 2, TimeSpan.FromSeconds(20), "each escalation also privately");
        var commander = await teams.Db.ScalarAsync<string>("SELECT holder_id FROM chatops.roles WHERE role = 'commander' AND relieved_at IS NULL");
        Assert.True(DirectChats(teams, commander!).Count >= 2, "the 1:1 chat is opened with the commander");

        await teams.SendAsync(teams.Command("update identified Rolled back the deploy", channel, "1741945555001"));
        await RecordingChatPlatform.WaitUntilAsync(() => teams.CountAsync("SELECT count(*) FROM chatops.status_updates").GetAwaiter().GetResult() > 0, TimeSpan.FromSeconds(15), "the update is saved");
        await RecordingChatPlatform.WaitUntilAsync(() => teams.CountAsync("SELECT count(*) FROM chatops.outbox WHERE status <> 'done'").GetAwaiter().GetResult() == 0, TimeSpan.FromSeconds(15), "outbox drained");
        var escalations = teams.PostsTo(channel, "🚨 Status update overdue").Count;
        var dueAfterUpdate = await teams.Db.ScalarAsync<DateTime>("SELECT next_update_due FROM chatops.incidents");
        await RecordingChatPlatform.WaitUntilAsync(() => DateTime.UtcNow > dueAfterUpdate.AddSeconds(-0.5), TimeSpan.FromSeconds(10));
        Assert.Equal(escalations, teams.PostsTo(channel, "🚨 Status update overdue").Count);
        Assert.Equal(escalations, await teams.CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'escalation'"));
    }

    private static async Task<string> DiagnosticsAsync(TeamsScenario teams) =>
        teams.Outbox() + "\n"
        + await teams.Db.ScalarAsync<string>("SELECT severity || ' due ' || next_update_due || ' rem ' || coalesce(reminded_due::text,'-') || ' esc ' || coalesce(escalated_due::text,'-') || ' now ' || now() FROM chatops.incidents") + "\n"
        + await teams.Db.ScalarAsync<string>("SELECT string_agg(window_end::text || ' ' || open || ' ' || jobs, E'\\n') FROM chatops.cadence_windows") + "\n"
        + await teams.Db.ScalarAsync<string>("SELECT string_agg(id || ' ' || coalesce(statename,'') || ' ' || createdat::text || ' ' || left(invocationdata::text, 200), E'\\n') FROM hangfire.job");
}
