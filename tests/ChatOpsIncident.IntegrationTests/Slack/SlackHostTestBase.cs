using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.TestSupport;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.IntegrationTests.Slack;

/// <summary>
/// The whole host on Kestrel with real PostgreSQL and WireMock as Slack. Requests are built from the recorded
/// samples and signed with the configured secret, exactly as Slack signs them.
/// </summary>
public abstract class SlackHostTestBase : IAsyncLifetime
{
    public const string Secret = "it-signing-secret-8f742231";
    public const string Token = "xoxb-it-0000-not-a-real-token";
    public const string Feed = "CFEED0001";
    public const string Declarer = "U0DECLARE";

    protected SlackFake Slack { get; } = new();

    protected TestHost Host { get; private set; } = null!;

    protected TestDatabase Db => Host.Database;

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Settings a test class adds to the host's Slack configuration.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    /// <summary>Edits the settings (an allow-list, a prefix…) before the host starts.</summary>
    protected virtual void ConfigureSettings(Dictionary<string, string?> settings)
    {
    }

    /// <summary>Settings a test class adds to the host's (stakeholder channels, timeouts).</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>();

    public virtual async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = Token,
            ["Slack:SigningSecret"] = Secret,
            ["Slack:ApiBaseUrl"] = Slack.ApiBaseUrl,
            ["Slack:FeedChannel"] = Feed,
            ["Slack:Http:PostInterval"] = "00:00:00.020",
            ["Slack:Http:RetryDelay"] = "00:00:00.020",
            // The fake's response_url sink; production allows only https://hooks.slack.com/.
            ["Slack:ResponseUrlPrefixes:0"] = Slack.ResponseUrl(""),
        };
        foreach (var (key, value) in Settings.Concat(ExtraSettings))
        {
            settings[key] = value;
        }

        ConfigureSettings(settings);
        Host = await TestHost.StartAsync(settings, ConfigureServices);
    }

    public virtual async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Slack.Dispose();
    }

    public static string Sign(string timestamp, string body)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Secret));
        return "v0=" + Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));
    }

    protected static string Now() => TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    protected async Task<HttpResponseMessage> PostSignedAsync(string path, string body, string contentType, string? timestamp = null, string? signature = null, int? retryNum = null)
    {
        timestamp ??= Now();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", signature ?? Sign(timestamp, body));
        if (retryNum is { } n)
        {
            request.Headers.Add("X-Slack-Retry-Num", n.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }

        return await Host.Client.SendAsync(request);
    }

    /// <summary>A slash command body: the recorded bolt-python sample with this test's fields.</summary>
    protected string CommandBody(string text, string channel, string user = Declarer, string? trigger = null, string? responseId = null)
    {
        var form = QueryHelpers.ParseQuery(Samples.Read("slack/commands/slash_command.bolt-python-test.form.txt"))
            .ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
        form["command"] = "/incident";
        form["text"] = text;
        form["channel_id"] = channel;
        form["user_id"] = user;
        form["user_name"] = "name-" + user.ToLowerInvariant();
        form["trigger_id"] = trigger ?? Guid.NewGuid().ToString("N");
        form["response_url"] = Slack.ResponseUrl(responseId ?? "cmd");
        return string.Join('&', form.Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value)}"));
    }

    protected Task<HttpResponseMessage> CommandAsync(string text, string channel, string user = Declarer, string? responseId = null) =>
        PostSignedAsync("/slack/commands", CommandBody(text, channel, user, responseId: responseId), "application/x-www-form-urlencoded");

    protected Task<HttpResponseMessage> EventAsync(JsonObject envelope, int? retryNum = null) =>
        PostSignedAsync("/slack/events", envelope.ToJsonString(), "application/json", retryNum: retryNum);

    protected Task<HttpResponseMessage> InteractionAsync(JsonObject payload) =>
        PostSignedAsync("/slack/interactions", "payload=" + Uri.EscapeDataString(payload.ToJsonString()), "application/x-www-form-urlencoded");

    /// <summary>The recorded reaction_added envelope, pointed at a message of this test.</summary>
    protected static JsonObject ReactionEvent(string type, string eventId, string channel, string ts, string reaction = "pushpin", string user = "U0PINNER")
    {
        var envelope = JsonNode.Parse(Samples.Read($"slack/events/{type}.json"))!.AsObject();
        envelope["event_id"] = eventId;
        var ev = envelope["event"]!.AsObject();
        ev["reaction"] = reaction;
        ev["user"] = user;
        ev["item"]!["channel"] = channel;
        ev["item"]!["ts"] = ts;
        return envelope;
    }

    protected async Task<long> CountAsync(string sql, params (string, object)[] args) => await Db.ScalarAsync<long>(sql, args);

    protected static Task WaitUntilAsync(Func<bool> condition, string because, double seconds = 20) =>
        RecordingChatPlatform.WaitUntilAsync(condition, TimeSpan.FromSeconds(seconds), because);

    protected async Task WaitForAsync(Func<Task<bool>> condition, string because, double seconds = 20)
    {
        var deadline = Environment.TickCount64 + (long)(seconds * 1000);
        while (!await condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException("Condition not met in time: " + because);
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits until every stored delivery has been processed.</summary>
    protected Task InboxDrainedAsync() =>
        WaitForAsync(async () => await CountAsync("SELECT count(*) FROM chatops.inbox WHERE status <> 'done'") == 0, "inbox drained");

    /// <summary>Declares through a signed slash command and waits for the channel, kickoff and pin.</summary>
    protected async Task<(Guid Id, string Channel)> DeclareAsync(string text = "sev2 Checkout 5xx after deploy")
    {
        var response = await CommandAsync("declare " + text, "CORIGIN01", responseId: "declare");
        response.EnsureSuccessStatusCode();
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM chatops.incidents WHERE channel_id IS NOT NULL") > 0, "incident channel");
        var channel = await Db.ScalarAsync<string>("SELECT channel_id FROM chatops.incidents ORDER BY number DESC LIMIT 1");
        var id = Guid.Parse((await Db.ScalarAsync<string>("SELECT id::text FROM chatops.incidents ORDER BY number DESC LIMIT 1"))!);
        await WaitUntilAsync(() => Slack.Calls("pins.add").Any(c => c["channel"] == channel), "kickoff pinned");
        return (id, channel!);
    }
}
