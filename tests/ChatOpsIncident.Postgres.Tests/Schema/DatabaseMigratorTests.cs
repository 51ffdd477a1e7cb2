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
}
