using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.IntegrationTests.Slack;

/// <summary>
/// Escalation that keeps going, on the whole host with Hangfire and WireMock as Slack: a 3-second SEV2 cadence, a
/// 3-second repeat; each escalation posts in the channel and DMs the commander (conversations.open + chat.postMessage);
/// an update ends the run.
/// </summary>
public sealed class SlackEscalationTests : SlackHostTestBase
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Incident:Severities:1:UpdateCadence"] = "00:00:03",
        ["Incident:Severities:1:Page"] = "false",
        ["Incident:EscalationRepeat"] = "00:00:03",
        ["Incident:RoleNudgeAfter"] = "01:00:00",
        ["Scheduling:SchedulePollingInterval"] = "00:00:01",
        ["Scheduling:QueuePollInterval"] = "00:00:02",
        ["Scheduling:Window"] = "00:00:02",
        ["Logging:LogLevel:Hangfire"] = "Warning",
    };

    private IReadOnlyList<FakeMessage> Escalations(string channel) =>
        Slack.Messages.Where(m => m.Channel == channel
            && (m.Text.Contains("no status update on", StringComparison.Ordinal) || m.Text.Contains("you are the Incident Commander", StringComparison.Ordinal))).ToList();

    [Fact]
    public async Task NoUpdate_CommanderIsEscalatedAgain_EachTimeAlsoByDm_ThenAnUpdateStopsIt()
    {
        var (_, channel) = await DeclareAsync("sev2 Checkout 5xx after deploy");
        var dm = SlackFake.DirectChannel(Declarer);

        await WaitUntilAsync(() => Escalations(channel).Count >= 2, "a second escalation in the channel", 90);
        await WaitUntilAsync(() => Escalations(dm).Count >= 2, "each escalation also as a DM", 20);
        Assert.All(Slack.Calls("conversations.open"), c => Assert.Equal(Declarer, c["users"]));
        Assert.Contains("you are the Incident Commander", Escalations(dm)[0].Text, StringComparison.Ordinal);
        Assert.Contains("(escalation 2)", Escalations(dm)[1].Text, StringComparison.Ordinal);

        (await CommandAsync("update identified Rolled back the bad deploy", channel)).EnsureSuccessStatusCode();
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM chatops.status_updates") > 0 || await CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'update'") > 0, "the update is saved");
        // Let what was in flight land, then count: from here on nothing more for the old due time.
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM chatops.outbox WHERE status <> 'done'") == 0, "outbox drained");
        var inChannel = Escalations(channel).Count;
        var inDm = Escalations(dm).Count;
        var timeline = await CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'escalation'");
        Assert.Equal(inChannel, inDm);
        Assert.Equal(inChannel, timeline);
        Assert.Equal(inChannel, Escalations(channel).Select(m => m.Ts).Distinct().Count());

        // The new due time comes after the update's cadence; a repeat of the old run would have come within 3 s.
        var dueAfterUpdate = await Db.ScalarAsync<DateTime>("SELECT next_update_due FROM chatops.incidents");
        await WaitUntilAsync(() => DateTime.UtcNow > dueAfterUpdate.AddSeconds(-0.5), "almost the new due time", 10);
        Assert.Equal(inChannel, Escalations(channel).Count);
        Assert.Equal(inDm, Escalations(dm).Count);
    }
}
