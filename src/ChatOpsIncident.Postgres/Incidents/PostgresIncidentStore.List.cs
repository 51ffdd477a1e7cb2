using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Privacy;
using ChatOpsIncident.Core.Storage;
using Dapper;

namespace ChatOpsIncident.Postgres.Incidents;

/// <summary>Listing incidents, with the visibility rule applied in the query rather than per incident afterwards.</summary>
internal sealed partial class PostgresIncidentStore
{
    public async Task<IReadOnlyList<Incident>> ListAsync(IncidentQuery query, CancellationToken ct)
    {
        // The visibility clause is IncidentVisibility.CanSee in SQL (Core's rule stays the definition; a test checks
        // the two agree case by case): everyone sees public incidents and admins all; a private one is seen from its
        // own channel, or by its people — the declarer, any holder of a role past or present, any action owner, any invitee. Ids
        // compare case-insensitively, as the Core rule's set does.
        const string Sql = $"""
            SELECT {IncidentColumns} FROM chatops.incidents i
            WHERE (@status::text IS NULL OR status = @status)
              AND (@open::boolean IS NULL OR (status = ANY(@openStatuses)) = @open)
              AND (@severity::text IS NULL OR lower(severity) = lower(@severity))
              AND (@type::text IS NULL OR lower(type) = lower(@type))
              AND (@search::text IS NULL OR title ILIKE '%' || @search || '%' OR ('INC-' || number) ILIKE @search)
              AND (@from::timestamptz IS NULL OR declared_at >= @from)
              AND (@to::timestamptz IS NULL OR declared_at < @to)
              AND (@afterAt::timestamptz IS NULL OR (declared_at, number) < (@afterAt, @afterNumber))
              AND (@everyone OR NOT i.is_private
                OR (@channelId::text IS NOT NULL AND i.channel_id = @channelId AND lower(i.platform) = lower(@platform::text))
                OR {VisibilitySql.PersonOf})
            ORDER BY declared_at DESC, number DESC
            LIMIT @limit
            """;
        var search = string.IsNullOrWhiteSpace(query.Search) ? null : query.Search.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
        var viewer = query.VisibleTo;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<IncidentRow>(new CommandDefinition(Sql, new
        {
            status = query.Status?.ToWire(),
            open = query.Open,
            openStatuses = IncidentStatusNames.OpenWire.ToArray(),
            severity = query.Severity,
            type = query.Type,
            search,
            from = Utc.To(query.DeclaredFrom),
            to = Utc.To(query.DeclaredTo),
            // The keyset of the previous page's last row (incidents_declared_number_idx, migration 0150): a page after
            // the first costs what the first does, and incidents declared meanwhile do not shift it.
            afterAt = Utc.To(query.After?.At),
            afterNumber = (int)(query.After?.Id ?? 0),
            // A page of at most 1000, plus the look-ahead row that says whether there is a next one.
            limit = Math.Clamp(query.Limit, 1, 1001),
            // No viewer: an internal read (metrics counts, jobs) that sees everything, as before.
            everyone = viewer is null || viewer.IsAdmin,
            channelId = viewer?.ChannelId,
            platform = viewer?.Platform,
            ids = VisibilityIds(viewer),
        }, cancellationToken: ct));
        return rows.Select(r => r.ToDomain()).ToList();
    }

    private static string[] VisibilityIds(Viewer? viewer) =>
        viewer is null ? [] : viewer.Ids.Where(id => !string.IsNullOrEmpty(id)).Select(id => id.ToLowerInvariant()).Distinct().ToArray();
}
