using Xunit;

namespace ChatOpsIncident.TestSupport;

/// <summary>
/// A test class whose every test runs on a migrated database of its own (xUnit makes one instance per test), so
/// harnesses built on <see cref="Db"/> need no truncating, and incident numbers start at 1 in every test.
/// </summary>
public abstract class DatabaseTest : IAsyncLifetime
{
    protected TestDatabase Db { get; } = new();

    public async Task InitializeAsync()
    {
        await Db.InitializeAsync();
        await Db.MigrateAsync();
    }

    public Task DisposeAsync() => Db.DisposeAsync();
}
