using ChatOpsIncident.Core.Inbox;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.Postgres.Tests.Inbox;

public sealed class PostgresInboxTests : IAsyncLifetime
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

    private IInbox Inbox => _services.GetRequiredService<IInbox>();

    [Fact]
    public async Task Enqueue_SameDeliveryTwentyTimesInParallel_OneRow()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Inbox.EnqueueAsync("slack", "Ev123", "event", "{}", CancellationToken.None))));

        Assert.Single(results, r => r);
        Assert.Equal(1, await _db.ScalarAsync<int>("SELECT count(*) FROM chatops.inbox WHERE delivery_id = 'Ev123'"));
    }

    [Fact]
    public async Task Enqueue_SameIdOtherPlatform_IsDistinct()
    {
        Assert.True(await Inbox.EnqueueAsync("slack", "X1", "event", "{}", CancellationToken.None));
        Assert.True(await Inbox.EnqueueAsync("teams", "X1", "activity", "{}", CancellationToken.None));
    }

    [Fact]
    public async Task Claim_TwoWorkers_GetDisjointItems()
    {
        for (var i = 0; i < 10; i++)
        {
            await Inbox.EnqueueAsync("slack", $"E{i}", "event", "{}", CancellationToken.None);
        }

        var batches = await Task.WhenAll(Inbox.ClaimAsync(6, TimeSpan.FromMinutes(1), CancellationToken.None), Inbox.ClaimAsync(6, TimeSpan.FromMinutes(1), CancellationToken.None));

        var ids = batches.SelectMany(b => b).Select(i => i.Id).ToList();
        Assert.Equal(10, ids.Count);
        Assert.Equal(10, ids.Distinct().Count());
        Assert.Empty(await Inbox.ClaimAsync(6, TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task Claim_LeaseLapsed_ItemRunsAgain()
    {
        await Inbox.EnqueueAsync("slack", "E1", "event", "payload", CancellationToken.None);
        var first = await Inbox.ClaimAsync(5, TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.Single(first);
        Assert.Empty(await Inbox.ClaimAsync(5, TimeSpan.FromMinutes(1), CancellationToken.None));

        await Task.Delay(600);
        var again = await Inbox.ClaimAsync(5, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal("payload", Assert.Single(again).Payload);
    }

    [Fact]
    public async Task Complete_ItemIsNotClaimedAgain_FailedItemWaitsForRetry()
    {
        await Inbox.EnqueueAsync("slack", "E1", "event", "{}", CancellationToken.None);
        await Inbox.EnqueueAsync("slack", "E2", "event", "{}", CancellationToken.None);
        var items = await Inbox.ClaimAsync(5, TimeSpan.FromMilliseconds(200), CancellationToken.None);
        await Inbox.CompleteAsync(items[0].Id, CancellationToken.None);
        await Inbox.FailAsync(items[1].Id, "boom", TimeSpan.FromMilliseconds(200), dead: false, CancellationToken.None);

        await Task.Delay(500);
        var retried = Assert.Single(await Inbox.ClaimAsync(5, TimeSpan.FromMinutes(1), CancellationToken.None));

        Assert.Equal("E2", retried.DeliveryId);
        Assert.Equal(1, retried.Attempts);
    }

    [Fact]
    public async Task EnqueueMany_OneCommit_ReportsDuplicatesPerDelivery()
    {
        await Inbox.EnqueueAsync("slack", "A", "event", "{}", CancellationToken.None);

        var stored = await Inbox.EnqueueManyAsync(
            [new("slack", "A", "event", "{}"), new("slack", "B", "event", "{}"), new("slack", "B", "event", "{}"), new("teams", "A", "activity", "{}")],
            CancellationToken.None);

        Assert.Equal([false, true, false, true], stored);
        Assert.Equal(3, await _db.ScalarAsync<int>("SELECT count(*) FROM chatops.inbox"));
    }

    [Fact]
    public async Task CompleteMany_MarksOnlyTheGivenItemsDone()
    {
        for (var i = 0; i < 4; i++)
        {
            await Inbox.EnqueueAsync("slack", $"C{i}", "event", "{}", CancellationToken.None);
        }

        var items = await Inbox.ClaimAsync(10, TimeSpan.FromMilliseconds(200), CancellationToken.None);
        await Inbox.CompleteManyAsync([items[0].Id, items[2].Id], CancellationToken.None);
        await Task.Delay(400);
        var again = await Inbox.ClaimAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(2, await _db.ScalarAsync<int>("SELECT count(*) FROM chatops.inbox WHERE status = 'done'"));
        Assert.Equal([items[1].Id, items[3].Id], again.Select(i => i.Id));
    }
}
