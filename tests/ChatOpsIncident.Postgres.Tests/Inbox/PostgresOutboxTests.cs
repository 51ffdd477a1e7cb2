using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.Postgres.Tests.Inbox;

public sealed class PostgresOutboxTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _services = await _db.MigratedStoreAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    private IOutbox Outbox => _services.GetRequiredService<IOutbox>();

    private static OutboxMessage Topic(string key, string channel) =>
        new(key, Guid.Empty, "slack", OutboxOperations.Topic, channel) { Text = key };

    [Fact]
    public async Task Complete_StaleClaimAfterTakeover_ChangesNothing()
    {
        await Outbox.EnqueueAsync([Topic("k1", "C1")], CancellationToken.None);
        var stale = Assert.Single(await Outbox.ClaimAsync(5, TimeSpan.FromMilliseconds(200), CancellationToken.None));
        await Task.Delay(500);
        var current = Assert.Single(await Outbox.ClaimAsync(5, TimeSpan.FromMinutes(1), CancellationToken.None));

        Assert.Equal(2, current.Attempts);
        Assert.False(await Outbox.CompleteAsync(stale.Id, stale.Claim, "stale", CancellationToken.None));
        Assert.False(await Outbox.FailAsync(stale.Id, stale.Claim, "late", TimeSpan.Zero, dead: true, CancellationToken.None));
        Assert.Null(await Outbox.ResultAsync("k1", CancellationToken.None));
        Assert.Equal("pending", await _db.ScalarAsync<string>("SELECT status FROM chatops.outbox WHERE key = 'k1'"));

        Assert.True(await Outbox.CompleteAsync(current.Id, current.Claim, "fresh", CancellationToken.None));
        Assert.Equal("fresh", await Outbox.ResultAsync("k1", CancellationToken.None));
    }

    [Fact]
    public async Task Claim_PerChannel_NothingNewerWhileAnOlderOneIsPending()
    {
        await Outbox.EnqueueAsync([Topic("a1", "C1"), Topic("a2", "C1"), Topic("b1", "C2")], CancellationToken.None);
        var first = Assert.Single(await Outbox.ClaimAsync(1, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal("a1", first.Message.Key);

        Assert.Equal(["b1"], (await Outbox.ClaimAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None)).Select(c => c.Message.Key));

        Assert.True(await Outbox.FailAsync(first.Id, first.Claim, "boom", TimeSpan.FromMilliseconds(300), dead: false, CancellationToken.None));
        Assert.Empty(await Outbox.ClaimAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None));

        await Task.Delay(600);
        Assert.Equal(["a1", "a2"], (await Outbox.ClaimAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None)).Select(c => c.Message.Key));
    }

    [Fact]
    public async Task Claim_DeadOlderItem_NoLongerHoldsTheChannel()
    {
        await Outbox.EnqueueAsync([Topic("d1", "C1"), Topic("d2", "C1")], CancellationToken.None);
        var first = Assert.Single(await Outbox.ClaimAsync(1, TimeSpan.FromMinutes(1), CancellationToken.None));

        Assert.True(await Outbox.FailAsync(first.Id, first.Claim, "gone", TimeSpan.FromMinutes(5), dead: true, CancellationToken.None));

        Assert.Equal("d2", Assert.Single(await Outbox.ClaimAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None)).Message.Key);
    }

    [Fact]
    public async Task GiveBack_FreesTheChannelAtOnce_AttemptStaysCounted()
    {
        await Outbox.EnqueueAsync([Topic("g1", "C1"), Topic("g2", "C1")], CancellationToken.None);
        var held = await Outbox.ClaimAsync(10, TimeSpan.FromMinutes(10), CancellationToken.None);
        Assert.Equal(["g1", "g2"], held.Select(c => c.Message.Key));

        await Outbox.GiveBackAsync(held.Select(c => (c.Id, c.Claim)).ToList(), CancellationToken.None);

        var again = await Outbox.ClaimAsync(10, TimeSpan.FromMinutes(10), CancellationToken.None);
        Assert.Equal(["g1", "g2"], again.Select(c => c.Message.Key));
        Assert.All(again, c => Assert.Equal(2, c.Attempts));
    }
}
