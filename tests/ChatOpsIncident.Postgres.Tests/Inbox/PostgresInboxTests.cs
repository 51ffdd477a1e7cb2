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
        Assert.True(await Inbox.CompleteAsync(items[0].Id, items[0].Claim, CancellationToken.None));
        Assert.True(await Inbox.FailAsync(items[1].Id, items[1].Claim, "boom", TimeSpan.FromMilliseconds(200), dead: false, CancellationToken.None));

        await Task.Delay(500);
        var retried = Assert.Single(await Inbox.ClaimAsync(5, TimeSpan.FromMinutes(1), CancellationToken.None));

        Assert.Equal("E2", retried.DeliveryId);
        // A claim counts as an attempt: this is the second.
        Assert.Equal(2, retried.Attempts);
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
        await Inbox.CompleteManyAsync([(items[0].Id, items[0].Claim), (items[2].Id, items[2].Claim)], CancellationToken.None);
        await Task.Delay(400);
        var again = await Inbox.ClaimAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(2, await _db.ScalarAsync<int>("SELECT count(*) FROM chatops.inbox WHERE status = 'done'"));
        Assert.Equal([items[1].Id, items[3].Id], again.Select(i => i.Id));
    }

    [Fact]
    public async Task Complete_StaleClaimAfterTakeover_ChangesNothing()
    {
        await Inbox.EnqueueAsync("slack", "F1", "event", "{}", CancellationToken.None);
        var stale = Assert.Single(await Inbox.ClaimAsync(5, TimeSpan.FromMilliseconds(200), CancellationToken.None));
        await Task.Delay(500);
        var current = Assert.Single(await Inbox.ClaimAsync(5, TimeSpan.FromMinutes(1), CancellationToken.None));

        Assert.NotEqual(stale.Claim, current.Claim);
        Assert.False(await Inbox.CompleteAsync(stale.Id, stale.Claim, CancellationToken.None));
        Assert.False(await Inbox.FailAsync(stale.Id, stale.Claim, "late", TimeSpan.Zero, dead: true, CancellationToken.None));
        await Inbox.CompleteManyAsync([(stale.Id, stale.Claim)], CancellationToken.None);
        Assert.Empty(await Inbox.RenewAsync([(stale.Id, stale.Claim)], TimeSpan.FromMinutes(5), CancellationToken.None));

        Assert.Equal("pending", await _db.ScalarAsync<string>("SELECT status FROM chatops.inbox WHERE delivery_id = 'F1'"));
        Assert.Null(await _db.ScalarAsync<string?>("SELECT last_error FROM chatops.inbox WHERE delivery_id = 'F1'"));
        Assert.True(await Inbox.CompleteAsync(current.Id, current.Claim, CancellationToken.None));
        Assert.Equal("done", await _db.ScalarAsync<string>("SELECT status FROM chatops.inbox WHERE delivery_id = 'F1'"));
    }

    [Fact]
    public async Task Claim_CountsAsAnAttempt_EvenWhenTheHolderNeverReports()
    {
        await Inbox.EnqueueAsync("slack", "P1", "event", "{}", CancellationToken.None);

        // Three claims whose holders "crash": nothing completes or fails them, the lease lapses each time.
        for (var i = 1; i <= 3; i++)
        {
            var item = Assert.Single(await Inbox.ClaimAsync(5, TimeSpan.FromMilliseconds(200), CancellationToken.None));
            Assert.Equal(i, item.Attempts);
            await Task.Delay(400);
        }

        Assert.Equal(3, await _db.ScalarAsync<int>("SELECT attempts FROM chatops.inbox WHERE delivery_id = 'P1'"));
    }

    [Fact]
    public async Task Renew_HeldItem_IsNotClaimedByAnother()
    {
        await Inbox.EnqueueAsync("slack", "R1", "event", "{}", CancellationToken.None);
        var item = Assert.Single(await Inbox.ClaimAsync(5, TimeSpan.FromMilliseconds(300), CancellationToken.None));

        Assert.Contains(item.Id, await Inbox.RenewAsync([(item.Id, item.Claim)], TimeSpan.FromMinutes(1), CancellationToken.None));
        await Task.Delay(600);

        Assert.Empty(await Inbox.ClaimAsync(5, TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task Claim_SameOrderKey_NothingNewerWhileAnOlderOneIsPending()
    {
        await Inbox.EnqueueManyAsync(
            [new("slack", "O1", "event", "{}") { OrderKey = "slack:C1" }, new("slack", "O2", "event", "{}") { OrderKey = "slack:C1" }, new("slack", "O3", "event", "{}") { OrderKey = "slack:C2" }],
            CancellationToken.None);
        var first = await Inbox.ClaimAsync(1, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal("O1", Assert.Single(first).DeliveryId);

        // O1 is leased: O2 (same key) waits, O3 (other key) goes.
        Assert.Equal(["O3"], (await Inbox.ClaimAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None)).Select(i => i.DeliveryId));

        // O1 fails and backs off: O2 still waits behind it.
        Assert.True(await Inbox.FailAsync(first[0].Id, first[0].Claim, "boom", TimeSpan.FromMilliseconds(300), dead: false, CancellationToken.None));
        Assert.Empty(await Inbox.ClaimAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None));

        await Task.Delay(600);
        Assert.Equal(["O1", "O2"], (await Inbox.ClaimAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None)).Select(i => i.DeliveryId));
    }

    [Fact]
    public async Task Release_GivesTheItemBackUncounted()
    {
        await Inbox.EnqueueAsync("slack", "L1", "event", "{}", CancellationToken.None);
        var item = Assert.Single(await Inbox.ClaimAsync(5, TimeSpan.FromMinutes(1), CancellationToken.None));

        await Inbox.ReleaseAsync([(item.Id, item.Claim)], CancellationToken.None);

        Assert.Equal(1, Assert.Single(await Inbox.ClaimAsync(5, TimeSpan.FromMinutes(1), CancellationToken.None)).Attempts);
    }

    [Fact]
    public async Task GiveBack_DueAtOnce_AttemptStaysCounted_OnlyByTheHolder()
    {
        await Inbox.EnqueueAsync("slack", "G1", "event", "{}", CancellationToken.None);
        var item = Assert.Single(await Inbox.ClaimAsync(5, TimeSpan.FromMinutes(10), CancellationToken.None));

        // A stale claim gives nothing back.
        await Inbox.GiveBackAsync([(item.Id, Guid.NewGuid())], CancellationToken.None);
        Assert.Empty(await Inbox.ClaimAsync(5, TimeSpan.FromMinutes(10), CancellationToken.None));

        await Inbox.GiveBackAsync([(item.Id, item.Claim)], CancellationToken.None);

        Assert.Null(await _db.ScalarAsync<Guid?>("SELECT claim_token FROM chatops.inbox WHERE delivery_id = 'G1'"));
        var again = Assert.Single(await Inbox.ClaimAsync(5, TimeSpan.FromMinutes(10), CancellationToken.None));
        Assert.Equal(2, again.Attempts);
        Assert.NotEqual(item.Claim, again.Claim);
    }
}
