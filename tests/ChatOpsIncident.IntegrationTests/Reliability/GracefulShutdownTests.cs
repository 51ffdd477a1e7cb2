using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.IntegrationTests.Slack;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.IntegrationTests.Reliability;

/// <summary>
/// A host that stops (not killed) on the default 60 s lease, while one post is mid-send and another claimed behind it:
/// both are given back at once, still counted as attempts, and the next host sends each exactly once.
/// </summary>
public sealed class GracefulShutdownTests : IAsyncLifetime
{
    private const string Slow = "CSLOW0002";
    private readonly TestDatabase _db = new();
    private readonly SlackFake _slack = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public async Task DisposeAsync()
    {
        _slack.Dispose();
        await _db.DisposeAsync();
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Slack:BotToken"] = SlackHostTestBase.Token,
        ["Slack:SigningSecret"] = SlackHostTestBase.Secret,
        ["Slack:ApiBaseUrl"] = _slack.ApiBaseUrl,
        ["Slack:FeedChannel"] = SlackHostTestBase.Feed,
        ["Slack:Http:PostInterval"] = "00:00:00.020",
        ["Slack:Http:RetryDelay"] = "00:00:00.020",
    };

    [Fact]
    public async Task HostStopsMidSend_ClaimsGivenBackAtOnce_NextHostSendsEachOnce()
    {
        // Answered after 20 s: the first post is still mid-send when the host stops.
        _slack.SlowChannels[Slow] = TimeSpan.FromSeconds(20);
        var keys = new[] { "stop-1", "stop-2" };
        var first = TestHost.Start(_db, Settings());
        try
        {
            await first.Services.GetRequiredService<IOutbox>().EnqueueAsync(
                keys.Select(k => new OutboxMessage(k, Guid.Empty, "slack", OutboxOperations.Post, Slow) { Message = new ChatMessage(k) }).ToList(),
                CancellationToken.None);
            first.Services.GetRequiredService<OutboxSignal>().Notify();
            await RecordingChatPlatform.WaitUntilAsync(() => _slack.PostsIn(Slow).Any(), TimeSpan.FromSeconds(60), "the first post landed, its answer pending");
            Assert.Equal(2, await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.outbox WHERE claim_token IS NOT NULL"));
        }
        finally
        {
            await first.DisposeAsync();
        }

        // Given back by the stop, not left to a 60 s lease: unclaimed, due now, the attempt still counted.
        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.outbox WHERE claim_token IS NOT NULL OR available_at > now()"));
        Assert.Equal(2, await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.outbox WHERE status = 'pending' AND attempts = 1"));

        _slack.SlowChannels.Clear();
        await using var second = TestHost.Start(_db, Settings());
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromMinutes(2);
        while (await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.outbox WHERE status = 'done'") < keys.Length)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "the next host did not deliver the given-back posts");
            await Task.Delay(200);
        }

        // The cut-off post had landed: the next holder found it instead of posting it again.
        Assert.Equal(keys, _slack.PostsIn(Slow).Select(m => m.Text));
    }
}
