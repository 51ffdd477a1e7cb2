using ChatOpsIncident.Postgres;
using ChatOpsIncident.Postgres.Schema;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ChatOpsIncident.Postgres.Tests.Schema;

public sealed class DatabaseMigratorTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new(fromTemplate: false);

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    private DatabaseMigrator NewMigrator() =>
        new(NpgsqlDataSource.Create(_db.ConnectionString), new PostgresConnection(_db.ConnectionString), NullLogger<DatabaseMigrator>.Instance);

    [Fact]
    public async Task Migrate_Twice_SecondRunAppliesNothing()
    {
        var first = await NewMigrator().MigrateAsync(CancellationToken.None);
        var second = await NewMigrator().MigrateAsync(CancellationToken.None);

        Assert.True(first > 0);
        Assert.Equal(0, second);
        Assert.True(NewMigrator().IsUpToDate());
        Assert.Equal(first, await _db.ScalarAsync<int>("SELECT count(*) FROM chatops.schema_versions"));
    }

    [Fact]
    public async Task Migrate_FreshDatabase_IsNotUpToDateBefore()
    {
        Assert.False(NewMigrator().IsUpToDate());
        await NewMigrator().MigrateAsync(CancellationToken.None);
        Assert.True(NewMigrator().IsUpToDate());
    }

    [Fact]
    public async Task Migrate_FourHostsAtOnce_EachScriptAppliedOnce()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => NewMigrator().MigrateAsync(CancellationToken.None))));

        var journaled = await _db.ScalarAsync<int>("SELECT count(*) FROM chatops.schema_versions");
        Assert.Equal(journaled, results.Sum());
        Assert.Single(results, r => r > 0);
    }

    [Fact]
    public async Task Migrate_LockHeldElsewhere_TimesOut_NamingTheHolder()
    {
        // Another "replica" holds the migration lock ("chatops" as a 64-bit key) and never lets go.
        var holderConnection = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { ApplicationName = "stuck-replica-7", Pooling = false }.ConnectionString;
        await using var holder = new NpgsqlConnection(holderConnection);
        await holder.OpenAsync();
        await using (var cmd = new NpgsqlCommand("SELECT pg_advisory_lock(27980790468931699)", holder))
        {
            await cmd.ExecuteNonQueryAsync();
        }

        var ex = await Assert.ThrowsAsync<MigrationLockTimeoutException>(() => NewMigrator().MigrateAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None));

        var named = Assert.Single(ex.Holders);
        Assert.Equal(holder.ProcessID, named.Pid);
        Assert.Equal("stuck-replica-7", named.ApplicationName);
        Assert.NotNull(named.BackendStart);
        Assert.Contains("stuck-replica-7", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"pid {holder.ProcessID}", ex.Message, StringComparison.Ordinal);

        await holder.CloseAsync();
        Assert.True(await NewMigrator().MigrateAsync(TimeSpan.FromSeconds(30), CancellationToken.None) > 0);
    }
}
