using Dapper;
using Npgsql;

namespace ChatOpsIncident.Postgres.Cadence;

/// <summary>
/// Bookkeeping for the scheduler's window jobs: which windows of due times have a job, so replicas planning the same
/// window schedule one job, and a window that gets new work after its job finished is reopened.
/// </summary>
public sealed class PostgresCadenceWindows(NpgsqlDataSource dataSource)
{
    /// <summary>Opens the windows that have no job (new, or closed); returns those the caller must schedule a job for.</summary>
    public async Task<IReadOnlyList<DateTimeOffset>> OpenAsync(IReadOnlyCollection<DateTimeOffset> windowEnds, CancellationToken ct)
    {
        const string Sql = """
            INSERT INTO chatops.cadence_windows (window_end)
            SELECT unnest(@ends::timestamptz[])
            ON CONFLICT (window_end) DO UPDATE SET open = true, jobs = cadence_windows.jobs + 1
            WHERE NOT cadence_windows.open
            RETURNING window_end
            """;
        if (windowEnds.Count == 0)
        {
            return [];
        }

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var ends = windowEnds.Select(e => e.UtcDateTime).Distinct().Order().ToArray();
        var opened = await conn.QueryAsync<DateTime>(new CommandDefinition(Sql, new { ends }, cancellationToken: ct));
        return opened.Select(d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc))).Order().ToList();
    }

    /// <summary>Marks the window's job finished.</summary>
    public async Task CloseAsync(DateTimeOffset windowEnd, CancellationToken ct)
    {
        const string Sql = "UPDATE chatops.cadence_windows SET open = false WHERE window_end = @end";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, new { end = windowEnd.UtcDateTime }, cancellationToken: ct));
    }

    /// <summary>Takes a closed window back; false when a planner reopened it first (and scheduled its own job).</summary>
    public async Task<bool> ReopenAsync(DateTimeOffset windowEnd, CancellationToken ct)
    {
        const string Sql = "UPDATE chatops.cadence_windows SET open = true WHERE window_end = @end AND NOT open";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(Sql, new { end = windowEnd.UtcDateTime }, cancellationToken: ct)) == 1;
    }

    /// <summary>Forgets a window whose job could not be scheduled, so the next planner tries again.</summary>
    public async Task ForgetAsync(DateTimeOffset windowEnd, CancellationToken ct)
    {
        const string Sql = "DELETE FROM chatops.cadence_windows WHERE window_end = @end";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, new { end = windowEnd.UtcDateTime }, cancellationToken: ct));
    }

    /// <summary>Deletes the bookkeeping of windows that ended before <paramref name="before"/>.</summary>
    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken ct)
    {
        const string Sql = "DELETE FROM chatops.cadence_windows WHERE window_end < @before";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(Sql, new { before = before.UtcDateTime }, cancellationToken: ct));
    }
}
