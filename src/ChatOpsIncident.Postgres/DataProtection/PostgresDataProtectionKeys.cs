using Dapper;
using Npgsql;

namespace ChatOpsIncident.Postgres.DataProtection;

/// <summary>
/// The rows behind the host's Data Protection key ring (the host adapts them to ASP.NET Core's IXmlRepository, so this
/// project stays free of ASP.NET). Synchronous because the framework's repository contract is: it reads the ring
/// once at start and when a key is about to expire, and writes a new key every 90 days.
/// </summary>
public sealed class PostgresDataProtectionKeys(NpgsqlDataSource dataSource)
{
    /// <summary>Every stored key, oldest first, as the XML text the framework wrote.</summary>
    public IReadOnlyList<string> All()
    {
        const string Sql = "SELECT xml FROM chatops.data_protection_keys ORDER BY id";
        using var conn = dataSource.OpenConnection();
        return conn.Query<string>(Sql).ToList();
    }

    public void Store(string friendlyName, string xml)
    {
        const string Sql = "INSERT INTO chatops.data_protection_keys (friendly_name, xml) VALUES (@friendlyName, @xml)";
        using var conn = dataSource.OpenConnection();
        conn.Execute(Sql, new { friendlyName, xml });
    }
}
