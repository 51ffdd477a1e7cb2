using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Inbox;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.IntegrationTests.Slack;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.IntegrationTests.Reliability;

/// <summary>
/// Inbox items about one channel are applied in arrival order, with two hosts (replicas) on one database each
/// running several items at once: a 📌 removed right after it was added must never be applied before the add.
/// </summary>
public sealed class InboxOrderTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private readonly SlackFake _slack = new();
    private readonly OrderRecorder _recorder = new();
    private TestHost _a = null!;
    private TestHost _b = null!;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = SlackHostTestBase.Token,
            ["Slack:SigningSecret"] = SlackHostTestBase.Secret,
            ["Slack:ApiBaseUrl"] = _slack.ApiBaseUrl,
            ["Slack:FeedChannel"] = SlackHostTestBase.Feed,
            ["Slack:Http:PostInterval"] = "00:00:00.020",
            ["Slack:Http:RetryDelay"] = "00:00:00.020",
            ["Processing:PollInterval"] = "00:00:00.100",
            ["Processing:Parallelism"] = "8",
        };
        _a = TestHost.Start(_db, settings, s => s.AddSingleton<IInboxHandler>(_recorder));
        _b = TestHost.Start(_db, settings, s => s.AddSingleton<IInboxHandler>(_recorder));
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _slack.Dispose();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task SameOrderKey_TwoHostsManyWorkers_AppliedInArrivalOrder()
    {
        // The first item of each key is slow: without the key the other host (or another worker) would run the second
        // one meanwhile. Two keys, so the keys still run beside each other.
        _recorder.Slow["added-1"] = TimeSpan.FromSeconds(2);
        _recorder.Slow["added-2"] = TimeSpan.FromSeconds(2);
        var inbox = _a.Services.GetRequiredService<IInbox>();
        await inbox.EnqueueManyAsync(
        [
            Delivery("added-1", "slack:CONE"), Delivery("added-2", "slack:CTWO"),
            Delivery("removed-1", "slack:CONE"), Delivery("removed-2", "slack:CTWO"),
        ], CancellationToken.None);
        Notify();

        await RecordingChatPlatform.WaitUntilAsync(() => _recorder.Finished.Count == 4, TimeSpan.FromSeconds(60), "all four applied");

        foreach (var key in new[] { "1", "2" })
        {
            var ends = _recorder.Finished.ToDictionary(f => f.Id, f => f.At);
            var starts = _recorder.Started.ToDictionary(f => f.Id, f => f.At);
            Assert.True(ends["added-" + key] <= starts["removed-" + key], $"removed-{key} started before added-{key} finished");
        }
    }

    [Fact]
    public async Task SlackReactionAddedThenRemoved_StoredWithTheChannelAsOrderKey_AppliedInThatOrder()
    {
        var service = _a.Services.GetRequiredService<IncidentService>();
        var ctx = new CommandContext("slack", Surfaces.Slack, new UserRef(SlackHostTestBase.Declarer), "CORIGIN01", "order-declare");
        var declared = await service.DeclareAsync(ctx, new DeclareIncident("Checkout 5xx", "SEV2", null, false), CancellationToken.None);
        var channel = declared.Incident!.ChannelId!;
        var message = _slack.AddUserMessage(channel, "U0OPS0001", "Failing over the primary DB now");
        // Fetching the reacted message takes a while: a remove run meanwhile would find nothing to remove, and the
        // add landing after it would leave the entry on the timeline.
        _slack.Refusals["conversations.history"] = _ => Slow();
        _slack.Refusals["conversations.replies"] = _ => Slow();

        Assert.True((await EventAsync(Reaction("reaction_added", "Ev0ORDER01", channel, message.Ts))).IsSuccessStatusCode);
        Assert.True((await EventAsync(Reaction("reaction_removed", "Ev0ORDER02", channel, message.Ts))).IsSuccessStatusCode);

        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(60);
        while (await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.inbox WHERE status <> 'done'") > 0)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "inbox not drained in time");
            await Task.Delay(100);
        }

        Assert.Equal(2, await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.inbox WHERE order_key = @k", ("k", "slack:" + channel)));
        Assert.Equal(1, await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.timeline WHERE kind = 'pinned'"));
        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.timeline WHERE kind = 'pinned' AND removed_at IS NULL"));
    }

    private static string? Slow()
    {
        Thread.Sleep(TimeSpan.FromSeconds(2));
        return null;
    }

    private static InboxDelivery Delivery(string id, string key) => new(OrderRecorder.Name, id, "event", id) { OrderKey = key };

    private void Notify()
    {
        _a.Services.GetRequiredService<InboxSignal>().Notify();
        _b.Services.GetRequiredService<InboxSignal>().Notify();
    }

    private static JsonObject Reaction(string type, string eventId, string channel, string ts)
    {
        var envelope = JsonNode.Parse(Samples.Read($"slack/events/{type}.json"))!.AsObject();
        envelope["event_id"] = eventId;
        var ev = envelope["event"]!.AsObject();
        ev["reaction"] = "pushpin";
        ev["user"] = "U0PINNER";
        ev["item"]!["channel"] = channel;
        ev["item"]!["ts"] = ts;
        return envelope;
    }

    private async Task<HttpResponseMessage> EventAsync(JsonObject envelope)
    {
        var body = envelope.ToJsonString();
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/slack/events") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", SlackHostTestBase.Sign(timestamp, body));
        return await _a.Client.SendAsync(request);
    }

    /// <summary>Records when each item of the "order" platform started and finished; named items are slow.</summary>
    private sealed class OrderRecorder : IInboxHandler
    {
        public const string Name = "order";

        public string Platform => Name;

        public ConcurrentDictionary<string, TimeSpan> Slow { get; } = new();

        public ConcurrentQueue<(string Id, long At)> Started { get; } = new();

        public ConcurrentQueue<(string Id, long At)> Finished { get; } = new();

        public async Task HandleAsync(InboxItem item, CancellationToken ct)
        {
            Started.Enqueue((item.DeliveryId, Environment.TickCount64));
            if (Slow.TryGetValue(item.DeliveryId, out var delay))
            {
                await Task.Delay(delay, ct);
            }

            Finished.Enqueue((item.DeliveryId, Environment.TickCount64));
        }
    }
}
