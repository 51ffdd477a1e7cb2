using System.Net;
using System.Net.Http.Headers;
using ChatOpsIncident.Core.Cadence;
using ChatOpsIncident.IntegrationTests.Slack;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ChatOpsIncident.IntegrationTests.Telemetry;

/// <summary>
/// Meters are process-wide by name: this collection runs alone (xUnit runs such collections after the parallel ones),
/// so the only host counting is this test's.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Prometheus scrape, alone";
}

/// <summary>
/// A scripted flow through the whole host — two declarations, a dead stakeholder post, one 429 from Slack, two
/// reminders, two refused requests, one stuck inbox item — then <c>/metrics</c> shows each of our instruments with
/// the values the database and the Slack fake agree on.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsEndpointTests : SlackHostTestBase
{
    private const string MetricsToken = "metrics-token-for-the-scrape-test-0001";
    private const string Stakeholders = "CSTAKE001";

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Telemetry:MetricsToken"] = MetricsToken,
        // SEV2 and SEV3 (indexes 1 and 2) on the same cadence, so both reminders fall due together.
        ["Incident:Severities:1:UpdateCadence"] = "00:30:00",
        ["Incident:Severities:2:UpdateCadence"] = "00:30:00",
        ["Incident:Severities:1:Stakeholders:0"] = Stakeholders,
    };

    [Fact]
    public async Task ScriptedFlow_MetricsShowEachInstrument_WithTheRightValues()
    {
        // One 429 (then the fake's usual answer): the first pins.add is paced by Slack.
        Slack.Server.Given(Request.Create().WithPath("/api/pins.add").UsingPost()).AtPriority(-10)
            .InScenario("rate-limit").WillSetStateTo("limited once")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1").WithBody("rate limited"));

        (await CommandAsync("declare sev2 Checkout 5xx after deploy", "CORIGIN01", responseId: "d1")).EnsureSuccessStatusCode();
        (await CommandAsync("declare sev3 Search slow in eu-west", "CORIGIN02", responseId: "d2")).EnsureSuccessStatusCode();
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM chatops.incidents WHERE channel_id IS NOT NULL") == 2, "two incident channels", 90);
        await WaitUntilAsync(() => Slack.Calls("pins.add").Count >= 3, "both kickoffs pinned (one pin retried after the 429)", 90);

        // One dead letter: the SEV2 update cannot reach its stakeholder channel.
        Slack.Refusals["chat.postMessage"] = a => a["channel"] == Stakeholders ? "channel_not_found" : null;
        var sev2Channel = await Db.ScalarAsync<string>("SELECT channel_id FROM chatops.incidents WHERE severity = 'SEV2'");
        (await CommandAsync("update identified Bad deploy of checkout 4.2 found", sev2Channel!, responseId: "u1")).EnsureSuccessStatusCode();
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM chatops.outbox WHERE status = 'dead'") == 1, "stakeholder post dead", 90);

        // Two reminders, run as the scheduler would a few seconds after they fell due.
        var dues = new List<DateTimeOffset>();
        foreach (var number in new[] { 1, 2 })
        {
            var due = await Db.ScalarAsync<DateTime>("SELECT next_update_due FROM chatops.incidents WHERE number = @n", ("n", number));
            dues.Add(new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc)));
        }

        var asOf = dues.Max() + TimeSpan.FromSeconds(2);
        Assert.Equal(2, await Host.Services.GetRequiredService<CadenceService>().RunDueAsync(asOf, CancellationToken.None));
        var lateness = dues.Sum(d => CadencePolicy.Micros(asOf).Subtract(d).TotalSeconds);

        // Refused before anything is stored: a forged signature and a stale one.
        var body = CommandBody("status", "CORIGIN01");
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostSignedAsync("/slack/commands", body, "application/x-www-form-urlencoded", signature: "v0=forged")).StatusCode);
        var old = TimeProvider.System.GetUtcNow().AddHours(-1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostSignedAsync("/slack/commands", body, "application/x-www-form-urlencoded", timestamp: old)).StatusCode);

        await InboxDrainedAsync();
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM chatops.outbox WHERE status = 'pending'") == 0, "outbox drained", 90);
        // A delivery no handler takes, received 90 s ago: it stays pending (retried in 5 min) and ages.
        await CountAsync("WITH stuck AS (INSERT INTO chatops.inbox (platform, delivery_id, kind, payload, received_at) VALUES ('nowhere', 'd-stuck', 'event', '{}', now() - interval '90 seconds') RETURNING 1) SELECT count(*) FROM stuck");

        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Client.GetAsync("/metrics")).StatusCode);
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scrape.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MetricsToken);
        var response = await Host.Client.SendAsync(scrape);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var m = PrometheusText.Parse(text);

        Assert.Equal(1, m.Sum("chatops_inbox_pending"));
        Assert.InRange(m.Sum("chatops_inbox_oldest_pending_age_seconds")!.Value, 89, 600);
        Assert.Equal(0, m.Sum("chatops_inbox_dead"));
        Assert.Equal(0, m.Sum("chatops_outbox_pending"));
        Assert.Equal(1, m.Sum("chatops_outbox_dead"));
        Assert.Equal(await CountAsync("SELECT count(*) FROM chatops.outbox WHERE status = 'done'"), m.Sum("chatops_outbox_deliveries_total", ("chatops_platform", "slack"), ("chatops_outcome", "delivered")));
        Assert.Equal(1, m.Sum("chatops_outbox_deliveries_total", ("chatops_platform", "slack"), ("chatops_outcome", "dead")));
        Assert.Equal(1, m.Sum("chatops_platform_rate_limited_total", ("chatops_platform", "slack"), ("chatops_platform_method", "pins.add")));
        Assert.Equal(1, m.Sum("chatops_platform_rate_limited_total"));
        Assert.Equal(Slack.Calls("pins.add").Count, m.Sum("chatops_platform_call_duration_seconds_count", ("chatops_platform", "slack"), ("chatops_platform_method", "pins.add")));
        Assert.Equal(Slack.Calls("chat.postMessage").Count, m.Sum("chatops_platform_call_duration_seconds_count", ("chatops_platform", "slack"), ("chatops_platform_method", "chat.postMessage")));
        Assert.Equal(2, m.Sum("chatops_reminder_lateness_seconds_count", ("chatops_reminder_kind", "reminder")));
        Assert.Equal(lateness, m.Sum("chatops_reminder_lateness_seconds_sum")!.Value, 3);
        Assert.Equal(1, m.Sum("chatops_incidents_open", ("chatops_incident_severity", "SEV2")));
        Assert.Equal(1, m.Sum("chatops_incidents_open", ("chatops_incident_severity", "SEV3")));
        Assert.Equal(1, m.Sum("chatops_requests_refused_total", ("chatops_platform", "slack"), ("chatops_refusal_reason", "bad_signature")));
        Assert.Equal(1, m.Sum("chatops_requests_refused_total", ("chatops_platform", "slack"), ("chatops_refusal_reason", "stale")));

        // Counts only: no title, incident number or channel reaches a label.
        foreach (var secret in new[] { "Checkout", "Search slow", "INC-", sev2Channel! })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }
}
