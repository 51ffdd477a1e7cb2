using System.Globalization;
using System.Net;
using ChatOpsIncident.IntegrationTests.Teams.Support;
using ChatOpsIncident.Teams.Testing;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.IntegrationTests.Teams;

/// <summary>
/// Issue 12, "commands from anywhere", through the whole host from Teams: an incident named by reference from the
/// personal (1:1) chat with the bot and from another channel, answered privately, its public effects in its own
/// channel; a private incident is "not found" to a non-participant, like one that does not exist; <c>started 09:12</c>
/// read in the time zone the Teams client sends (clientInfo).
/// </summary>
public sealed class TeamsReferenceTests : IAsyncLifetime
{
    private TeamsScenario _teams = null!;

    public async Task InitializeAsync() => _teams = await TeamsScenario.StartAsync();

    public async Task DisposeAsync() => await _teams.DisposeAsync();

    private static readonly (string Id, string Name, string Aad) Nestor = TeamsScenario.Nestor;

    /// <summary>Sends an activity and waits until the inbox has processed <paramref name="done"/> Teams activities.</summary>
    private async Task SendAndDrainAsync(System.Text.Json.Nodes.JsonObject activity, int done)
    {
        Assert.Equal(HttpStatusCode.OK, (await _teams.SendAsync(activity)).StatusCode);
        await _teams.InboxDrainedAsync(done, "activity " + activity["id"]);
        await _teams.OutboxDrainedAsync("answers sent");
    }

    [Fact]
    public async Task PersonalChat_StatusAndUpdateByReference_AnsweredInTheChat_TheUpdateLandsInTheIncidentChannel()
    {
        var channel = await _teams.DeclareAsync();
        var personal = TeamsScenario.PersonalChat(Nestor);

        await SendAndDrainAsync(_teams.Personal("status INC-1", "1741950000001", Nestor), 2);
        await SendAndDrainAsync(_teams.Personal("update INC-1 monitoring Error rate back to baseline", "1741950000002", Nestor), 3);

        Assert.Contains(_teams.SentTo(personal), t => t.Contains("Checkout 5xx after deploy", StringComparison.Ordinal));
        Assert.DoesNotContain(_teams.SentTo(personal), t => t.Contains("was not found", StringComparison.Ordinal));
        Assert.Equal(("monitoring", "Error rate back to baseline"), (
            await _teams.Db.ScalarAsync<string>("SELECT status FROM chatops.incidents"),
            await _teams.Db.ScalarAsync<string>("SELECT text FROM chatops.status_updates")));
        await RecordingChatPlatform.WaitUntilAsync(() => _teams.PostsTo(channel, "Error rate back to baseline").Count == 1, because: "the update is posted in the incident channel");
        await RecordingChatPlatform.WaitUntilAsync(() => _teams.PostsTo(TeamsScenario.Stakeholders, "Error rate back to baseline").Count == 1, because: "and fanned out to the stakeholders");
    }

    [Fact]
    public async Task FromAnotherChannel_ByReference_TheAnswerGoesToThePersonsOneOnOneChat_NotTheChannel()
    {
        await _teams.DeclareAsync();

        await SendAndDrainAsync(_teams.Command("status INC-1", TeamsScenario.General, "1741950000011", Nestor), 2);

        // Teams has no ephemeral message: the bot opens a 1:1 chat with the asker (the stub names it a:…).
        Assert.Contains(_teams.SentTo("a:"), t => t.Contains("Checkout 5xx after deploy", StringComparison.Ordinal));
        Assert.DoesNotContain(_teams.SentTo(TeamsScenario.General), t => t.Contains("Checkout 5xx after deploy", StringComparison.Ordinal) && !t.Contains("declared", StringComparison.Ordinal));
        var oneOnOne = _teams.Stub.ChannelPosts().Single(p => p.Body["isGroup"]?.GetValue<bool>() == false).Body;
        Assert.Equal(Nestor.Id, oneOnOne["members"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateFormByReference_InAChannel_IsNotPostedThere_ThePersonIsToldPrivately()
    {
        await _teams.DeclareAsync();

        await SendAndDrainAsync(_teams.Command("update INC-1", TeamsScenario.General, "1741950000041", Nestor), 2);

        Assert.DoesNotContain(_teams.Stub.ConversationSends(), s => s.ConversationId == $"{TeamsScenario.General};messageid=1741950000041");
        // Cards break "]" with a word joiner (CardText.Escape): matched up to it.
        Assert.Contains(_teams.SentTo("a:"), t => t.Contains("update INC-1 [investigating|identified|monitoring", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PrivateIncident_ByReference_NonParticipantGetsNotFound_LikeAMissingOne_AndNothingChanges()
    {
        var channel = await _teams.DeclareAsync(_teams.Command("declare private sev2 Suspicious admin logins", TeamsScenario.General, "1741950000020").ToJsonString());
        var personal = TeamsScenario.PersonalChat(Nestor);
        // The declaration's own posts (checklist, runbook) go out after the kickoff: counted once they are all out.
        await _teams.OutboxDrainedAsync("the declaration's posts");
        var timeline = await _teams.CountAsync("SELECT count(*) FROM chatops.timeline");
        var audit = await _teams.CountAsync("SELECT count(*) FROM chatops.audit");
        var posts = _teams.Stub.ChannelPosts().Count(p => p.ChannelId == channel);

        await SendAndDrainAsync(_teams.Personal("status INC-1", "1741950000021", Nestor), 2);
        await SendAndDrainAsync(_teams.Personal("update INC-1 monitoring nothing to see", "1741950000022", Nestor), 3);
        await SendAndDrainAsync(_teams.Personal("INC-1 resolve --force nothing to see", "1741950000023", Nestor), 4);
        await SendAndDrainAsync(_teams.Personal("status INC-2", "1741950000024", Nestor), 5);

        var answers = _teams.SentTo(personal);
        Assert.Equal(4, answers.Count);
        Assert.All(answers.Take(3), a => Assert.Contains("INC-1 was not found.", a, StringComparison.Ordinal));
        Assert.Equal(answers[3].Replace("INC-2", "INC-1", StringComparison.Ordinal), answers[0]);
        Assert.DoesNotContain(answers, a => a.Contains("Suspicious admin logins", StringComparison.Ordinal));
        Assert.Equal(("investigating", 0L, timeline, audit), (
            await _teams.Db.ScalarAsync<string>("SELECT status FROM chatops.incidents"),
            await _teams.CountAsync("SELECT count(*) FROM chatops.status_updates"),
            await _teams.CountAsync("SELECT count(*) FROM chatops.timeline"),
            await _teams.CountAsync("SELECT count(*) FROM chatops.audit")));
        Assert.Equal(posts, _teams.Stub.ChannelPosts().Count(p => p.ChannelId == channel));

        // The declarer, one of its people, reaches it from her own personal chat.
        await SendAndDrainAsync(_teams.Personal("status INC-1", "1741950000025", TeamsScenario.Megan), 6);
        Assert.Contains(_teams.SentTo(TeamsScenario.PersonalChat(TeamsScenario.Megan)), t => t.Contains("Suspicious admin logins", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Started_WallClockTime_ReadInTheTeamsClientsTimeZone_TheAnswerSaysTheZone()
    {
        await _teams.DeclareAsync();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
        var startedUtc = TimeProvider.System.GetUtcNow().AddMinutes(-30);
        var wall = TimeZoneInfo.ConvertTime(startedUtc, zone).ToString("HH:mm", CultureInfo.InvariantCulture);

        await SendAndDrainAsync(_teams.Personal("started INC-1 " + wall, "1741950000031", TeamsScenario.Megan, "America/Los_Angeles"), 2);

        var stored = await _teams.Db.ScalarAsync<DateTime>("SELECT impact_started_at FROM chatops.incidents");
        Assert.Equal(startedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), stored.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        // The card escapes Markdown (Los\_Angeles), so the zone is matched around the underscore.
        Assert.Contains(_teams.SentTo(TeamsScenario.PersonalChat(TeamsScenario.Megan)), t => t.Contains("America/Los", StringComparison.Ordinal) && t.Contains("Angeles (UTC-0", StringComparison.Ordinal));
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.audit WHERE field = 'impact_started_at'"));
    }
}
