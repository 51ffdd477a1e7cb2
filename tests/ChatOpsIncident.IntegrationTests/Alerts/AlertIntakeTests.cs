using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsIncident.IntegrationTests.Slack;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.IntegrationTests.Alerts;

/// <summary>
/// The whole host on Kestrel with WireMock as Slack, fed the recorded Alertmanager and Grafana webhook bodies: routing,
/// one incident per alert group, the prompt card and its Declare button, the resolved nudge, and the refusals.
/// </summary>
public sealed class AlertIntakeTests : SlackHostTestBase
{
    private const string PromToken = "prom-token-0123456789abcdef0123456789";
    private const string GrafanaToken = "grafana-token-0123456789abcdef01234567";
    private const string OnCall = "U0ONCALL1";

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Alerts:Sources:0:Name"] = "prom",
        ["Alerts:Sources:0:Kind"] = "alertmanager",
        ["Alerts:Sources:0:Token"] = PromToken,
        ["Alerts:Sources:1:Name"] = "grafana",
        ["Alerts:Sources:1:Kind"] = "grafana",
        ["Alerts:Sources:1:Token"] = GrafanaToken,
        ["Alerts:Rules:0:Match:severity"] = "critical",
        ["Alerts:Rules:0:Action"] = "declare",
        ["Alerts:Rules:0:Severity"] = "SEV1",
        ["Alerts:Rules:0:Type"] = "availability",
        ["Alerts:Rules:0:Commander"] = OnCall,
        // Short, so the storm test sees the second card soon; every other test posts at most one card.
        ["Alerts:CardInterval"] = "00:00:03",
    };

    [Fact]
    public async Task CriticalAlert_RoutedToDeclare_OpensOneIncidentAndOneChannel_DeliveredThreeTimesAndReFired()
    {
        var body = Samples.Read("alerts/alertmanager.v4.firing.json");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await PostAlertAsync("prom", PromToken, body)).StatusCode);
        }

        // Re-fired: the same group, a second alert joins it (a different body, so a new delivery).
        var refired = JsonNode.Parse(body)!.AsObject();
        var second = refired["alerts"]![0]!.DeepClone().AsObject();
        second["labels"]!["instance"] = "https://other.example.org";
        second["fingerprint"] = "2b41cb82ddb3a32a";
        refired["alerts"]!.AsArray().Add(second);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAlertAsync("prom", PromToken, refired.ToJsonString())).StatusCode);

        await WaitUntilAsync(() => Slack.Calls("pins.add").Count == 1, "kickoff pinned");
        await InboxDrainedAsync();
        await WaitUntilAsync(() => Slack.PostsIn(Feed).Any(), "announcement");

        Assert.Equal(2, await CountAsync("SELECT count(*) FROM chatops.inbox WHERE platform = 'alerts'"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.incidents"));
        Assert.Single(Slack.Calls("conversations.create"));
        Assert.Equal("SEV1", await Db.ScalarAsync<string>("SELECT severity FROM chatops.incidents"));
        Assert.Equal("availability", await Db.ScalarAsync<string>("SELECT type FROM chatops.incidents"));
        Assert.Equal("BlackBox Probe Failure: https://server.example.org", await Db.ScalarAsync<string>("SELECT title FROM chatops.incidents"));
        Assert.Equal(OnCall, await Db.ScalarAsync<string>("SELECT holder_id FROM chatops.roles WHERE role = 'commander' AND relieved_at IS NULL"));
        // The record has no impact-start field: the alert's start is the time of its timeline entry.
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'alert'"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'alert' AND occurred_at = '2023-02-06T13:08:45.828Z'"));
        Assert.Equal("incident", await Db.ScalarAsync<string>("SELECT state FROM chatops.alert_groups"));
        Assert.DoesNotContain(Slack.PostsIn(Feed), p => p.Blocks?.Contains("alert_declare", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task PromptAlert_PostsOneCard_AndItsDeclareButtonDeclares()
    {
        var body = Samples.Read("alerts/grafana.webhook.firing.json");
        Assert.Equal(HttpStatusCode.Accepted, (await PostAlertAsync("grafana", GrafanaToken, body)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAlertAsync("grafana", GrafanaToken, body)).StatusCode);
        var refired = JsonNode.Parse(body)!.AsObject();
        refired["alerts"]![0]!["valueString"] = "[ metric='' labels={} value=15000 ]";
        Assert.Equal(HttpStatusCode.Accepted, (await PostAlertAsync("grafana", GrafanaToken, refired.ToJsonString())).StatusCode);

        await WaitUntilAsync(() => Cards().Count == 1, "alert card in the feed");
        await InboxDrainedAsync();
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.incidents"));
        var card = Assert.Single(Cards());
        Assert.Contains("alert_dismiss", card.Blocks, StringComparison.Ordinal);
        Assert.Contains("High memory usage", card.Blocks, StringComparison.Ordinal);
        var group = (await Db.ScalarAsync<string>("SELECT id::text FROM chatops.alert_groups"))!;
        Assert.Equal("carded", await Db.ScalarAsync<string>("SELECT state FROM chatops.alert_groups"));

        var click = JsonNode.Parse(Samples.Read("slack/interactivity/block_actions.button.json"))!.AsObject();
        click["user"]!["id"] = "U0CAROL01";
        click["user"]!["username"] = "carol";
        click["channel"]!["id"] = Feed;
        click["container"]!["channel_id"] = Feed;
        click["container"]!["message_ts"] = card.Ts;
        click["response_url"] = Slack.ResponseUrl("declare-click");
        click["actions"]![0]!["action_id"] = "alert_declare#0";
        click["actions"]![0]!["value"] = group;
        Assert.Equal(HttpStatusCode.OK, (await InteractionAsync(click)).StatusCode);

        await WaitUntilAsync(() => Slack.Calls("pins.add").Count == 1, "kickoff pinned");
        await InboxDrainedAsync();
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.incidents"));
        Assert.Single(Slack.Calls("conversations.create"));
        Assert.Equal("U0CAROL01", await Db.ScalarAsync<string>("SELECT holder_id FROM chatops.roles WHERE role = 'commander' AND relieved_at IS NULL"));
        Assert.Equal("incident", await Db.ScalarAsync<string>("SELECT state FROM chatops.alert_groups"));
        await WaitUntilAsync(() => Slack.Responses("declare-click").Count > 0, "the clicker's answer");
        Assert.Single(Cards());
    }

    [Fact]
    public async Task ResolvedGroup_AddsTheTimelineEntry_AndNudgesTheCommander_WithoutResolving()
    {
        var body = Samples.Read("alerts/alertmanager.v4.firing.json");
        Assert.Equal(HttpStatusCode.Accepted, (await PostAlertAsync("prom", PromToken, body)).StatusCode);
        await WaitUntilAsync(() => Slack.Calls("pins.add").Count == 1, "kickoff pinned");
        var channel = (await Db.ScalarAsync<string>("SELECT channel_id FROM chatops.incidents"))!;

        var resolved = JsonNode.Parse(body)!.AsObject();
        resolved["status"] = "resolved";
        resolved["alerts"]![0]!["status"] = "resolved";
        resolved["alerts"]![0]!["endsAt"] = "2023-02-06T13:38:45.828Z";
        Assert.Equal(HttpStatusCode.Accepted, (await PostAlertAsync("prom", PromToken, resolved.ToJsonString())).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAlertAsync("prom", PromToken, resolved.ToJsonString())).StatusCode);

        await WaitUntilAsync(() => Slack.PostsIn(channel).Any(p => p.Text.Contains("all alerts resolved — run the recovery checklist?", StringComparison.Ordinal)), "nudge");
        await InboxDrainedAsync();
        var nudge = Assert.Single(Slack.PostsIn(channel), p => p.Text.Contains("all alerts resolved", StringComparison.Ordinal));
        Assert.Contains($"<@{OnCall}>", nudge.Text, StringComparison.Ordinal);
        Assert.Contains("\"resolve", nudge.Blocks, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'alert' AND text LIKE '%All alerts resolved%'"));
        Assert.Equal("investigating", await Db.ScalarAsync<string>("SELECT status FROM chatops.incidents"));
    }

    [Fact]
    public async Task AlertEntries_GoThroughTheVersionedChangePath_AuditedAsTheSource_NudgeAfterTheKickoff()
    {
        var body = Samples.Read("alerts/alertmanager.v4.firing.json");
        Assert.Equal(HttpStatusCode.Accepted, (await PostAlertAsync("prom", PromToken, body)).StatusCode);
        await WaitUntilAsync(() => Slack.Calls("pins.add").Count == 1, "kickoff pinned");
        await InboxDrainedAsync();
        var channel = (await Db.ScalarAsync<string>("SELECT channel_id FROM chatops.incidents"))!;
        var declared = await Db.ScalarAsync<int>("SELECT version FROM chatops.incidents");
        Assert.Equal(1, await AlertAuditAsync("declared"));
        // The alert detected it: its start is the detection time and the impact start.
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.incidents WHERE detected_at = '2023-02-06T13:08:45.828Z' AND impact_started_at = detected_at"));

        // Past the once-a-minute throttle, a re-firing adds its entry as a change of the incident.
        await Db.ScalarAsync<int>("UPDATE chatops.alert_groups SET last_timeline_at = last_timeline_at - interval '2 minutes' RETURNING 1");
        var refired = JsonNode.Parse(body)!.AsObject();
        refired["alerts"]![0]!["annotations"]!["description"] = "still failing";
        Assert.Equal(HttpStatusCode.Accepted, (await PostAlertAsync("prom", PromToken, refired.ToJsonString())).StatusCode);
        await InboxDrainedAsync();
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'alert' AND text LIKE '%still firing%' AND author_id IS NULL"));
        Assert.Equal(1, await AlertAuditAsync("firing"));
        var fired = await Db.ScalarAsync<int>("SELECT version FROM chatops.incidents");
        Assert.True(fired > declared, $"version {fired} after the re-firing, {declared} before");

        var resolved = JsonNode.Parse(body)!.AsObject();
        resolved["status"] = "resolved";
        resolved["alerts"]![0]!["status"] = "resolved";
        Assert.Equal(HttpStatusCode.Accepted, (await PostAlertAsync("prom", PromToken, resolved.ToJsonString())).StatusCode);
        await WaitUntilAsync(() => Slack.PostsIn(channel).Any(p => p.Text.Contains("all alerts resolved", StringComparison.Ordinal)), "nudge");
        await InboxDrainedAsync();
        Assert.Equal(1, await AlertAuditAsync("resolved"));
        Assert.True(await Db.ScalarAsync<int>("SELECT version FROM chatops.incidents") > fired, "the resolved entry moved the version");
        // The nudge went out with its entry, in the channel's order: after the kickoff card, never before it.
        var posts = Slack.PostsIn(channel).ToList();
        var kickoff = posts.FindIndex(p => p.Ts == Slack.Calls("pins.add")[0]["timestamp"]);
        var nudge = posts.FindIndex(p => p.Text.Contains("all alerts resolved", StringComparison.Ordinal));
        Assert.InRange(kickoff, 0, nudge - 1);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.audit WHERE field = 'alert' AND (surface <> 'alert' OR actor <> 'prom')"));
    }

    private Task<long> AlertAuditAsync(string what) =>
        CountAsync("SELECT count(*) FROM chatops.audit WHERE field = 'alert' AND surface = 'alert' AND actor = 'prom' AND new_value = @what", ("what", what));

    [Fact]
    public async Task AStormOfGroups_CollapsesIntoOneCardPerInterval()
    {
        var sample = JsonNode.Parse(Samples.Read("alerts/grafana.webhook.firing.json"))!.AsObject();
        for (var i = 0; i < 6; i++)
        {
            var body = sample.DeepClone().AsObject();
            body["groupKey"] = $"{{}}:{{alertname=\"Storm{i}\"}}";
            body["commonLabels"]!["alertname"] = $"Storm{i}";
            Assert.Equal(HttpStatusCode.Accepted, (await PostAlertAsync("grafana", GrafanaToken, body.ToJsonString())).StatusCode);
        }

        await InboxDrainedAsync();
        await WaitUntilAsync(() => Cards().Sum(c => CountGroups(c)) == 6, "every group on a card", seconds: 60);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.alert_groups WHERE state <> 'carded'"));
        // However the six arrive against the interval, they share at most a few cards, never one each.
        Assert.InRange(Cards().Count, 1, 3);
        Assert.Contains(Cards(), c => c.Text.Contains("alert groups fired", StringComparison.Ordinal));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.incidents"));
    }

    private static int CountGroups(FakeMessage card) =>
        card.Text.Contains("alert groups fired", StringComparison.Ordinal) ? int.Parse(card.Text.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) : 1;

    [Fact]
    public async Task WrongToken_401_Malformed_400_OverOneMebibyte_413_NothingStored()
    {
        var body = Samples.Read("alerts/alertmanager.v4.firing.json");
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAlertAsync("prom", GrafanaToken, body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAlertAsync("prom", null, body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAlertAsync("nosuch", PromToken, body)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAlertAsync("prom", PromToken, "{\"status\": \"firing\"")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAlertAsync("prom", PromToken, body.Replace("\"version\": \"4\"", "\"version\": \"3\"", StringComparison.Ordinal))).StatusCode);
        // A Grafana body sent to the Alertmanager source lacks version 4: not its format.
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAlertAsync("prom", PromToken, Samples.Read("alerts/grafana.webhook.firing.json"))).StatusCode);
        var huge = JsonNode.Parse(body)!.AsObject();
        huge["commonAnnotations"]!["description"] = new string('x', 1024 * 1024);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostAlertAsync("prom", PromToken, huge.ToJsonString())).StatusCode);

        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.inbox"));
        Assert.Equal(HttpStatusCode.Accepted, (await PostAlertAsync("prom", PromToken, body)).StatusCode);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.inbox WHERE platform = 'alerts'"));
    }

    private List<FakeMessage> Cards() =>
        Slack.PostsIn(Feed).Where(p => p.Blocks?.Contains("alert_declare", StringComparison.Ordinal) == true).ToList();

    private async Task<HttpResponseMessage> PostAlertAsync(string source, string? token, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/alerts/{source}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Host.Client.SendAsync(request);
    }
}
