using Xunit;

namespace ChatOpsIncident.TestSupport;

/// <summary>
/// A test class whose every test runs on a migrated database of its own (xUnit makes one instance per test, and the
/// database is a copy of the migrated template), so harnesses built on <see cref="Db"/> need no truncating, and
/// incident numbers start at 1 in every test.
/// </summary>
public abstract class DatabaseTest : IAsyncLifetime
{
    protected TestDatabase Db { get; } = new();

    public Task InitializeAsync() => Db.InitializeAsync();

    public Task DisposeAsync() => Db.DisposeAsync();
}
