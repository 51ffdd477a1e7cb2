using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.IntegrationTests.Slack;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.IntegrationTests.Reliability;

/// <summary>
/// Two whole hosts on one database (two replicas) with WireMock as Slack, a 5 s lease, and one channel whose posts
/// are answered only after 8 s: longer than the lease, so without fencing, heartbeats and the post guard the other
/// replica would claim and post them again.
/// </summary>
public sealed class TwoReplicaDeliveryTests : IAsyncLifetime
{
    private const string Slow = "CSLOW0001";
    private const string Fast = "CFAST0001";
    private readonly TestDatabase _db = new();
    private readonly SlackFake _slack = new();
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
            ["Processing:Lease"] = "00:00:05",
            ["Processing:PollInterval"] = "00:00:00.200",
        };
        _a = TestHost.Start(_db, settings);
        _b = TestHost.Start(_db, settings);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _slack.Dispose();
        await _db.DisposeAsync();
    }

    private static OutboxMessage Post(string key, string channel, bool pin = false) =>
        new(key, Guid.Empty, "slack", OutboxOperations.Post, channel) { Message = new ChatMessage(key), Pin = pin };

    private async Task EnqueueAsync(params OutboxMessage[] messages)
    {
        await _a.Services.GetRequiredService<IOutbox>().EnqueueAsync(messages, CancellationToken.None);
        _a.Services.GetRequiredService<OutboxSignal>().Notify();
        _b.Services.GetRequiredService<OutboxSignal>().Notify();
    }

    private async Task WaitDoneAsync(int count)
    {
        // Generous: the slow channel takes several lease lapses and retries on a loaded box.
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromMinutes(3);
        while (await _db.ScalarAsync<int>("SELECT count(*) FROM chatops.outbox WHERE status = 'done'") < count)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"fewer than {count} outbox rows delivered in time");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task SlowChannelBeyondTheLease_TwoReplicas_EachMessageOnceInOrder()
    {
        _slack.SlowChannels[Slow] = TimeSpan.FromSeconds(8);
        var slow = Enumerable.Range(1, 3).Select(i => Post($"slow-{i}", Slow)).ToArray();
        var fast = Enumerable.Range(1, 6).Select(i => Post($"fast-{i}", Fast)).ToArray();
        await EnqueueAsync([.. slow.Zip(fast.Take(3)).SelectMany(p => new[] { p.First, p.Second }), .. fast.Skip(3)]);

        await WaitDoneAsync(9);

        Assert.Equal(slow.Select(m => m.Key), _slack.PostsIn(Slow).Select(m => m.Text));
        Assert.Equal(fast.Select(m => m.Key), _slack.PostsIn(Fast).Select(m => m.Text));
        Assert.Equal(0, await _db.ScalarAsync<int>("SELECT count(*) FROM chatops.outbox WHERE status <> 'done'"));
    }

    [Fact]
    public async Task PinFailsTwice_OneKickoffPost_PinnedOnce()
    {
        _slack.FailPins(2);

        await EnqueueAsync(Post("kickoff", Fast, pin: true));
        await WaitDoneAsync(2);

        var kickoff = Assert.Single(_slack.PostsIn(Fast));
        Assert.Equal("kickoff", kickoff.Text);
        var pins = _slack.Calls("pins.add");
        Assert.True(pins.Count >= 3, $"pins.add was called {pins.Count} times");
        Assert.All(pins, p => Assert.Equal(kickoff.Ts, p["timestamp"]));
        Assert.Equal("done", await _db.ScalarAsync<string>("SELECT status FROM chatops.outbox WHERE key = 'kickoff:pin'"));
    }
}
