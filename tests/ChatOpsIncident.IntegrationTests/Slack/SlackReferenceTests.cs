using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.IntegrationTests.Slack;

/// <summary>
/// Issue 12, "commands from anywhere", through the real host with WireMock as Slack: an incident named by reference
/// (<c>status INC-1</c>) from a DM with the bot — the slash command and a <c>message.im</c> event — answered privately,
/// its public effects in the incident's own channel; a private incident is "not found" to a non-participant, exactly
/// like one that does not exist; <c>started 09:12</c> read in the user's Slack time zone (users.info → tz).
/// </summary>
public sealed class SlackReferenceTests : SlackHostTestBase
{
    private const string DirectMessage = "D0DM00001";
    private const string Responder = "U0RESPOND";
    private const string Outsider = "U0OUTSIDE";
    private const string Stakeholders = "CSTAKE002";
    private const string PrivateTitle = "Leaked signing keys";

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Incident:Severities:1:Stakeholders:0"] = Stakeholders,
    };

    private async Task<string> ReplyTextAsync(string text, string channel, string user, string responseId)
    {
        Assert.Equal(HttpStatusCode.OK, (await CommandAsync(text, channel, user, responseId)).StatusCode);
        await InboxDrainedAsync();
        await WaitUntilAsync(() => Slack.Responses(responseId).Count > 0, "the reply to " + text);
        return string.Join("\n", Slack.Responses(responseId).Select(r => r.ToJsonString()));
    }

    /// <summary>The text of the private answers to <paramref name="responseId"/> (the JSON escapes characters such as +).</summary>
    private string AnswerText(string responseId) => string.Join("\n", Slack.Responses(responseId).Select(r => r["text"]!.GetValue<string>()));

    [Fact]
    public async Task DirectMessage_StatusAndUpdateByReference_AnsweredPrivately_TheUpdateLandsInTheIncidentChannel()
    {
        var (_, channel) = await DeclareAsync("sev2 Checkout 5xx after deploy");
        var postsBefore = Slack.PostsIn(channel).Count();

        var status = await ReplyTextAsync("status INC-1", DirectMessage, Responder, "status");
        var update = await ReplyTextAsync("update INC-1 monitoring Error rate back to baseline", DirectMessage, Responder, "update");

        Assert.Contains("INC-1", status, StringComparison.Ordinal);
        Assert.Contains("Checkout 5xx after deploy", status, StringComparison.Ordinal);
        Assert.Contains("\"response_type\":\"ephemeral\"", status, StringComparison.Ordinal);
        Assert.DoesNotContain("was not found", update, StringComparison.Ordinal);
        Assert.Equal(("monitoring", "Error rate back to baseline"), (
            await Db.ScalarAsync<string>("SELECT status FROM chatops.incidents WHERE number = 1"),
            await Db.ScalarAsync<string>("SELECT text FROM chatops.status_updates")));
        await WaitUntilAsync(() => Slack.PostsIn(channel).Any(p => p.Text.Contains("Error rate back to baseline", StringComparison.Ordinal)), "the update is posted in the incident channel");
        await WaitUntilAsync(() => Slack.PostsIn(Stakeholders).Any(p => p.Text.Contains("Error rate back to baseline", StringComparison.Ordinal)), "and fanned out to the stakeholders");
        // Nothing is posted publicly in the DM: the answers went by response_url, the update to the incident's channel.
        Assert.Empty(Slack.PostsIn(DirectMessage));
        Assert.True(Slack.PostsIn(channel).Count() > postsBefore);
    }

    [Fact]
    public async Task DirectMessageEvent_MessageIm_IsReadAsACommand_AnsweredInTheDm()
    {
        await DeclareAsync("sev2 Checkout 5xx after deploy");
        var envelope = JsonNode.Parse(Samples.Read("slack/events/recorded/message.im.json"))!.AsObject();
        envelope["event_id"] = "Ev0DM0000001";
        envelope["team_id"] = "T0001";
        var ev = envelope["event"]!.AsObject();
        ev["user"] = Responder;
        ev["channel"] = DirectMessage;
        ev["text"] = "status INC-1";
        ev.Remove("blocks");

        Assert.Equal(HttpStatusCode.OK, (await EventAsync(envelope)).StatusCode);
        // Slack re-sends an event it thinks was not acknowledged: the command runs once.
        Assert.Equal(HttpStatusCode.OK, (await EventAsync(envelope, retryNum: 1)).StatusCode);
        await InboxDrainedAsync();

        await WaitUntilAsync(() => Slack.Calls("chat.postEphemeral").Any(c => c["channel"] == DirectMessage && c["user"] == Responder), "the answer in the DM");
        var answer = Slack.Calls("chat.postEphemeral").Single(c => c["channel"] == DirectMessage);
        Assert.Contains("INC-1", answer["text"], StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.inbox WHERE platform = 'slack' AND delivery_id = 'Ev0DM0000001'"));

        // The bot's own messages in the DM are never commands.
        envelope["event_id"] = "Ev0DM0000002";
        ev["user"] = SlackFake.BotUserId;
        ev["bot_id"] = "B0001";
        Assert.Equal(HttpStatusCode.OK, (await EventAsync(envelope)).StatusCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.inbox WHERE delivery_id = 'Ev0DM0000002'"));
    }

    [Fact]
    public async Task PrivateIncident_ByReference_NonParticipantGetsNotFound_LikeAMissingOne_AndNothingChanges()
    {
        var (_, channel) = await DeclareAsync($"sev1 type:security {PrivateTitle}");
        var timeline = await CountAsync("SELECT count(*) FROM chatops.timeline");
        var audit = await CountAsync("SELECT count(*) FROM chatops.audit");
        var posts = Slack.PostsIn(channel).Count();

        var status = await ReplyTextAsync("status INC-1", DirectMessage, Outsider, "status");
        var update = await ReplyTextAsync("update INC-1 monitoring all fine here", "CRANDOM01", Outsider, "update");
        var before = await ReplyTextAsync("INC-1 resolve --force nothing to see", DirectMessage, Outsider, "resolve");
        var missing = await ReplyTextAsync("status INC-2", DirectMessage, Outsider, "missing");
        var declarers = await ReplyTextAsync("status INC-1", DirectMessage, Declarer, "declarer");

        foreach (var reply in new[] { status, update, before })
        {
            Assert.Contains("INC-1 was not found.", reply, StringComparison.Ordinal);
            Assert.DoesNotContain(PrivateTitle, reply, StringComparison.Ordinal);
        }

        Assert.Equal(missing.Replace("INC-2", "INC-1", StringComparison.Ordinal), status);
        Assert.Contains(PrivateTitle, declarers, StringComparison.Ordinal);
        Assert.Equal(("investigating", 0L, timeline, audit), (
            await Db.ScalarAsync<string>("SELECT status FROM chatops.incidents WHERE number = 1"),
            await CountAsync("SELECT count(*) FROM chatops.status_updates"),
            await CountAsync("SELECT count(*) FROM chatops.timeline"),
            await CountAsync("SELECT count(*) FROM chatops.audit")));
        await InboxDrainedAsync();
        Assert.Equal(posts, Slack.PostsIn(channel).Count());
    }

    [Fact]
    public async Task InsideAnIncidentChannel_AReferenceToAnotherIncident_ActsOnThatOne()
    {
        var (_, first) = await DeclareAsync("sev2 Checkout down");
        Assert.Equal(HttpStatusCode.OK, (await CommandAsync("declare sev3 Search slow", "CORIGIN01")).StatusCode);
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM chatops.incidents WHERE number = 2 AND channel_id IS NOT NULL") == 1, "second incident channel");
        var second = (await Db.ScalarAsync<string>("SELECT channel_id FROM chatops.incidents WHERE number = 2"))!;

        await ReplyTextAsync("note INC-2 Search index rebuilt", first, Declarer, "note");

        Assert.Equal((0L, 1L), (
            await CountAsync("SELECT count(*) FROM chatops.timeline t JOIN chatops.incidents i ON i.id = t.incident_id WHERE i.number = 1 AND t.text = 'Search index rebuilt'"),
            await CountAsync("SELECT count(*) FROM chatops.timeline t JOIN chatops.incidents i ON i.id = t.incident_id WHERE i.number = 2 AND t.text = 'Search index rebuilt'")));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Started_WallClockTime_ReadInTheUsersSlackTimeZone_TheAnswerSaysTheZone()
    {
        await DeclareAsync("sev2 Checkout 5xx after deploy");
        Slack.TimeZones[Declarer] = "Asia/Tokyo";
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var startedUtc = TimeProvider.System.GetUtcNow().AddMinutes(-30);
        var wall = TimeZoneInfo.ConvertTime(startedUtc, tokyo).ToString("HH:mm", CultureInfo.InvariantCulture);

        var reply = await ReplyTextAsync("started INC-1 " + wall, DirectMessage, Declarer, "started");
        var again = await ReplyTextAsync("started INC-1 " + wall, DirectMessage, Declarer, "again");

        var stored = await Db.ScalarAsync<DateTime>("SELECT impact_started_at FROM chatops.incidents");
        Assert.Equal(startedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), stored.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        Assert.Contains("Asia/Tokyo", reply, StringComparison.Ordinal);
        Assert.Contains("Asia/Tokyo (UTC+09:00)", AnswerText("started"), StringComparison.Ordinal);
        Assert.Contains("Asia/Tokyo (UTC+09:00)", AnswerText("again"), StringComparison.Ordinal);
        // Cached: one users.info for the zone, however many times it is needed.
        Assert.Single(Slack.Calls("users.info"), c => c["user"] == Declarer);
    }

    [Fact]
    public async Task Started_NoTimeZoneInTheProfile_ReadInUtc_AndSaidSo()
    {
        await DeclareAsync("sev2 Checkout 5xx after deploy");
        var startedUtc = TimeProvider.System.GetUtcNow().AddMinutes(-30);

        var reply = await ReplyTextAsync("started INC-1 " + startedUtc.ToString("HH:mm", CultureInfo.InvariantCulture), DirectMessage, Declarer, "started");

        var stored = await Db.ScalarAsync<DateTime>("SELECT impact_started_at FROM chatops.incidents");
        Assert.Equal(startedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), stored.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        Assert.Contains("read in UTC", reply, StringComparison.Ordinal);
    }
}
