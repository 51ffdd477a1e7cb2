using Dapper;

namespace ChatOpsIncident.Postgres.Tests;

public sealed class RowMapsTests
{
    [Fact]
    public void EveryRowClass_HasItsOwnSnakeCaseMap_AndTheGlobalFlagStaysOff()
    {
        var rows = typeof(RowMaps).Assembly.GetTypes().Where(t => t.IsClass && t.Name.EndsWith("Row", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(rows);
        Assert.All(rows, t => Assert.Contains(t, RowMaps.Rows));
        Assert.All(rows, t => Assert.IsType<CustomPropertyTypeMap>(SqlMapper.GetTypeMap(t)));
        // Other projects' Dapper mapping must not depend on this store having been loaded.
        Assert.False(DefaultTypeMap.MatchNamesWithUnderscores);
    }
}
