using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.IntegrationTests.Reliability;

/// <summary>
/// A kickoff update rendered from an older incident version that reaches the dispatcher after a newer one (a dead
/// update retried, racing saves) is completed without being sent: the card keeps the newer content.
/// </summary>
public sealed class StaleUpdateTests : IAsyncLifetime
{
    private const string Channel = "CSTALE001";
    private readonly RecordingChatPlatform _chat = new("slack", null);
    private TestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Processing:PollInterval"] = "00:00:00.100" }, chat: _chat);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static OutboxMessage Update(int version) =>
        new($"upd-{version}", Guid.Empty, "slack", OutboxOperations.Update, Channel) { Message = new ChatMessage($"v{version}"), TargetKey = "kickoff", Version = version };

    private async Task DeliverAsync(params OutboxMessage[] messages)
    {
        await _host.Services.GetRequiredService<IOutbox>().EnqueueAsync(messages, CancellationToken.None);
        _host.Services.GetRequiredService<OutboxSignal>().Notify();
        var keys = messages.Select(m => m.Key).ToArray();
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(60);
        while (await _host.Database.ScalarAsync<long>("SELECT count(*) FROM chatops.outbox WHERE status = 'done' AND key = ANY(@keys)", ("keys", keys)) < keys.Length)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "outbox rows not delivered in time");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task OlderUpdateAfterANewerOne_IsCompletedWithoutBeingSent()
    {
        await DeliverAsync(new OutboxMessage("kickoff", Guid.Empty, "slack", OutboxOperations.Post, Channel) { Message = new ChatMessage("v1") });
        await DeliverAsync(Update(5));

        // Version 4 arrives late, then a repeat of 5; only a newer one (6) goes out after that.
        await DeliverAsync(Update(4), new OutboxMessage("upd-5-again", Guid.Empty, "slack", OutboxOperations.Update, Channel) { Message = new ChatMessage("v5"), TargetKey = "kickoff", Version = 5 });
        await DeliverAsync(Update(6));

        Assert.Equal(["v5", "v6"], _chat.Updates.Select(u => u.Message.Text));
        Assert.Equal(6, await _host.Database.ScalarAsync<int>("SELECT sent_version FROM chatops.outbox WHERE key = 'kickoff'"));
        Assert.Equal(0, await _host.Database.ScalarAsync<long>("SELECT count(*) FROM chatops.outbox WHERE status <> 'done'"));
    }

    [Fact]
    public async Task UnversionedUpdate_AlwaysSent()
    {
        await DeliverAsync(new OutboxMessage("kickoff", Guid.Empty, "slack", OutboxOperations.Post, Channel) { Message = new ChatMessage("v1") });
        await DeliverAsync(Update(5));

        await DeliverAsync(new OutboxMessage("upd-old-row", Guid.Empty, "slack", OutboxOperations.Update, Channel) { Message = new ChatMessage("unversioned"), TargetKey = "kickoff" });

        Assert.Equal(["v5", "unversioned"], _chat.Updates.Select(u => u.Message.Text));
    }
}
