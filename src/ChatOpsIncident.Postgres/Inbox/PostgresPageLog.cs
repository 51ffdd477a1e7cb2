using ChatOpsIncident.Core.Chat;
using Dapper;
using Npgsql;

namespace ChatOpsIncident.Postgres.Inbox;

/// <summary>The pager routes each incident was triggered on; one row per (incident, route), so a re-page adds nothing.</summary>
internal sealed class PostgresPageLog(NpgsqlDataSource dataSource) : IPageLog
{
    public async Task RecordAsync(Guid incidentId, string route, CancellationToken ct)
    {
        const string Sql = "INSERT INTO chatops.page_routes (incident_id, route) VALUES (@incidentId, @route) ON CONFLICT DO NOTHING";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, new { incidentId, route }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<string>> RoutesAsync(Guid incidentId, CancellationToken ct)
    {
        const string Sql = "SELECT route FROM chatops.page_routes WHERE incident_id = @incidentId ORDER BY triggered_at, route";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<string>(new CommandDefinition(Sql, new { incidentId }, cancellationToken: ct))).ToList();
    }
}
