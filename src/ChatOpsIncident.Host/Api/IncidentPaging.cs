using System.Globalization;
using ChatOpsIncident.Core.Privacy;
using ChatOpsIncident.Core.Storage;

namespace ChatOpsIncident.Host.Api;

/// <summary>
/// The paging every incident view shares (the detail page, <c>GET /api/incidents/{id}</c>): <c>?limit=</c> entries per
/// page (1–1000, default 100) and the keyset cursors <c>?timelineAfter=</c> / <c>?auditAfter=</c> from a previous answer.
/// </summary>
internal static class IncidentPaging
{
    public const string TimelineAfter = "timelineAfter";
    public const string AuditAfter = "auditAfter";

    /// <summary>Reads the paging parameters; false with a message naming the parameter when one is not usable (400).</summary>
    public static bool TryRead(IQueryCollection query, out PageRequest timeline, out PageRequest audit, out string? error)
    {
        timeline = audit = PageRequest.First();
        error = null;
        var limit = PageRequest.DefaultLimit;
        if (query["limit"].FirstOrDefault() is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > PageRequest.MaxLimit))
        {
            error = $"limit must be a whole number between 1 and {PageRequest.MaxLimit}.";
            return false;
        }

        if (!TryCursor(query, TimelineAfter, out var t, ref error) || !TryCursor(query, AuditAfter, out var a, ref error))
        {
            return false;
        }

        timeline = new PageRequest(t, limit);
        audit = new PageRequest(a, limit);
        return true;
    }

    /// <summary>The page when the incident exists and the viewer may see it; a private incident is "not found" to others.</summary>
    public static async Task<IncidentPage?> FindVisibleAsync(IIncidentStore store, string id, Viewer viewer, PageRequest timeline, PageRequest audit, bool includeRemoved, CancellationToken ct)
    {
        var key = Guid.TryParse(id, out var guid) ? guid : IncidentApi.TryNumber(id, out var number) ? await store.FindIdByNumberAsync(number, ct) : null;
        if (key is not { } incidentId)
        {
            return null;
        }

        var page = await store.GetPageAsync(incidentId, timeline, audit, includeRemoved, ct);
        return page is not null && IncidentVisibility.CanSee(page.Record, viewer) ? page : null;
    }

    private static bool TryCursor(IQueryCollection query, string name, out PageCursor? cursor, ref string? error)
    {
        cursor = null;
        if (query[name].FirstOrDefault() is not { } text)
        {
            return true;
        }

        if (!PageCursor.TryParse(text, out var parsed))
        {
            error = $"{name} is not a cursor this server gave out: pass the next.timeline or next.audit value of a previous answer unchanged, or leave it out for the first page.";
            return false;
        }

        cursor = parsed;
        return true;
    }
}
