using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Core.Review;

namespace ChatOpsIncident.Host.Web;

/// <summary>The JSON shape of GET /api/metrics: durations in seconds plus a readable form.</summary>
internal static class MetricsJson
{
    /// <param name="dead">Dead work items now (not in the window): counts only, so every caller of the API may see them.</param>
    public static object From(MetricsReport r, DeadLetterCounts dead) => new
    {
        from = r.From,
        to = r.To,
        overall = Group(r.Overall),
        bySeverity = r.BySeverity.Select(Group).ToList(),
        byType = r.ByType.Select(Group).ToList(),
        flagged = r.Flagged.Select(f => new
        {
            id = f.Incident.Id,
            reference = f.Incident.PublicId,
            severity = f.Incident.Severity,
            type = f.Incident.Type,
            problems = f.Problems,
        }).ToList(),
        deadLetters = new { inbox = dead.Inbox, outbox = dead.Outbox, total = dead.Total },
    };

    private static object Group(MetricGroup g) => new
    {
        name = g.Name,
        incidents = g.Incidents,
        open = g.Open,
        resolved = g.Resolved,
        closed = g.Closed,
        flagged = g.Flagged,
        timeToAcknowledge = Stats(g.Acknowledge),
        timeToMitigate = Stats(g.Mitigate),
        timeToResolve = Stats(g.Resolve),
    };

    private static object Stats(DurationStats s) => new
    {
        count = s.Count,
        meanSeconds = s.Mean?.TotalSeconds,
        medianSeconds = s.Median?.TotalSeconds,
        p90Seconds = s.P90?.TotalSeconds,
        minSeconds = s.Min?.TotalSeconds,
        maxSeconds = s.Max?.TotalSeconds,
        mean = s.Mean is null ? null : Durations.Format(s.Mean),
        median = s.Median is null ? null : Durations.Format(s.Median),
    };
}
