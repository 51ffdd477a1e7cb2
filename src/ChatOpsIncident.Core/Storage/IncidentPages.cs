using System.Buffers.Text;
using System.Globalization;
using System.Text;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Storage;

/// <summary>
/// Where a page of an incident's timeline or audit ends: the (time, id) of its last row. Keyset, not offset: a page
/// stays the same while entries are added after it, and reading page 50 costs what reading page 1 does.
/// </summary>
public readonly record struct PageCursor(DateTimeOffset At, long Id)
{
    /// <summary>The kind of an incident's timeline and audit pages; lists name their own (see the API's list cursors).</summary>
    public const string DefaultKind = "v1";

    /// <summary>An opaque, URL-safe token (base64url of "kind:ticks:id"); the kind keeps one list's cursor from being taken for another's.</summary>
    public string Encode(string kind = DefaultKind) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{kind}:{At.UtcTicks}:{Id}")));

    /// <summary>Reads a token made by <see cref="Encode"/> with the same kind; false for anything else (the caller answers 400).</summary>
    public static bool TryParse(string? token, out PageCursor cursor) => TryParse(DefaultKind, token, out cursor);

    /// <inheritdoc cref="TryParse(string?, out PageCursor)"/>
    public static bool TryParse(string kind, string? token, out PageCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(token) || token.Length > 96)
        {
            return false;
        }

        string text;
        try
        {
            text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return false;
        }

        var parts = text.Split(':');
        if (parts is not [var kindText, var ticksText, var idText] || kindText != kind
            || !long.TryParse(ticksText, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || !long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new PageCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}

/// <summary>One page of rows after <paramref name="After"/> (from the start when null), at most <paramref name="Limit"/>.</summary>
public sealed record PageRequest(PageCursor? After, int Limit)
{
    /// <summary>The most rows one page may ask for: a page is bounded whatever a caller sends.</summary>
    public const int MaxLimit = 1000;

    public const int DefaultLimit = 100;

    public static PageRequest First(int limit = DefaultLimit) => new(null, limit);
}

/// <summary>
/// One incident with a page of its timeline and a page of its audit (roles, updates, actions and checklist whole: they
/// stay small), the cursors of the next pages (null on the last) and the totals.
/// </summary>
public sealed record IncidentPage(
    IncidentRecord Record,
    PageCursor? NextTimeline,
    PageCursor? NextAudit,
    int TimelineTotal,
    int AuditTotal);

public static class IncidentPageExtensions
{
    /// <summary>Rows per read when a caller needs a whole timeline.</summary>
    private const int Chunk = PageRequest.MaxLimit;

    /// <summary>
    /// What the review draft needs: the incident with its whole live timeline and no audit. The timeline is read in
    /// keyset chunks, so no single query or connection holds the whole incident; the draft itself is the whole story,
    /// so the entries end up in memory once (as the Markdown does).
    /// </summary>
    public static async Task<IncidentRecord?> GetForReviewAsync(this IIncidentStore store, Guid id, CancellationToken ct)
    {
        var page = await store.GetPageAsync(id, PageRequest.First(Chunk), PageRequest.First(0), includeRemoved: false, ct);
        if (page is null)
        {
            return null;
        }

        var timeline = new List<TimelineEntry>(page.Record.Timeline);
        for (var next = page.NextTimeline; next is not null;)
        {
            var more = await store.GetPageAsync(id, new PageRequest(next, Chunk), PageRequest.First(0), includeRemoved: false, ct);
            if (more is null)
            {
                break;
            }

            timeline.AddRange(more.Record.Timeline);
            next = more.NextTimeline;
        }

        return page.Record with { Timeline = timeline };
    }
}
