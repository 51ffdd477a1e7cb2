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
        var ends = windowEnds.Select(Utc.To).Distinct().Order().ToArray();
        var opened = await conn.QueryAsync<DateTime>(new CommandDefinition(Sql, new { ends }, cancellationToken: ct));
        return opened.Select(Utc.From).Order().ToList();
    }

    /// <summary>Marks the window's job finished.</summary>
    public async Task CloseAsync(DateTimeOffset windowEnd, CancellationToken ct)
    {
        const string Sql = "UPDATE chatops.cadence_windows SET open = false WHERE window_end = @at";
        await ExecuteAsync(Sql, windowEnd, ct);
    }

    /// <summary>Takes a closed window back; false when a planner reopened it first (and scheduled its own job).</summary>
    public async Task<bool> ReopenAsync(DateTimeOffset windowEnd, CancellationToken ct)
    {
        const string Sql = "UPDATE chatops.cadence_windows SET open = true WHERE window_end = @at AND NOT open";
        return await ExecuteAsync(Sql, windowEnd, ct) == 1;
    }

    /// <summary>Forgets a window whose job could not be scheduled, so the next planner tries again.</summary>
    public async Task ForgetAsync(DateTimeOffset windowEnd, CancellationToken ct)
    {
        const string Sql = "DELETE FROM chatops.cadence_windows WHERE window_end = @at";
        await ExecuteAsync(Sql, windowEnd, ct);
    }

    /// <summary>Deletes the bookkeeping of windows that ended before <paramref name="before"/>.</summary>
    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken ct)
    {
        const string Sql = "DELETE FROM chatops.cadence_windows WHERE window_end < @at";
        return ExecuteAsync(Sql, before, ct);
    }

    /// <summary>Runs one statement about one instant, <c>@at</c>; returns the rows it touched.</summary>
    private async Task<int> ExecuteAsync(string sql, DateTimeOffset at, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(sql, new { at = Utc.To(at) }, cancellationToken: ct));
    }
}
