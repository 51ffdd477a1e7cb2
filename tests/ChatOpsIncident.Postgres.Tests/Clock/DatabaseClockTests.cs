using ChatOpsIncident.Postgres.Clock;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace ChatOpsIncident.Postgres.Tests.Clock;

/// <summary>A replica whose own clock is years off still reads the database's "now" once synced.</summary>
public sealed class DatabaseClockTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task Sync_SkewedBaseClock_FollowsTheDatabase_AndStillAdvancesWithTheBase()
    {
        var skewed = new FakeTimeProvider(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var clock = new DatabaseClock(_db.DataSource, skewed);
        Assert.Equal(skewed.GetUtcNow(), clock.GetUtcNow());

        var offset = await clock.SyncAsync(CancellationToken.None);
        var database = await _db.ScalarAsync<DateTime>("SELECT now()");

        Assert.True(offset > TimeSpan.FromDays(365), $"offset {offset}");
        // Generous: the box is loaded; the skew being corrected is six years.
        Assert.InRange((clock.GetUtcNow().UtcDateTime - DateTime.SpecifyKind(database, DateTimeKind.Utc)).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(30));
        var before = clock.GetUtcNow();
        skewed.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(before + TimeSpan.FromMinutes(5), clock.GetUtcNow());
        Assert.Equal(offset, clock.Offset);
    }
}
