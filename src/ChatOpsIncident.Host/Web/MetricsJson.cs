using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Core.Review;

namespace ChatOpsIncident.Host.Web;

/// <summary>
/// The JSON shape of GET /api/metrics: durations in seconds plus a readable form. Records, not anonymous objects, so
/// the OpenAPI document names every field with its type (the wire names are the same camelCase as before).
/// </summary>
internal static class MetricsJson
{
    /// <param name="dead">Dead work items now (not in the window): counts only, so every caller of the API may see them.</param>
    public static MetricsView From(MetricsReport r, DeadLetterCounts dead) => new(
        r.From,
        r.To,
        Group(r.Overall),
        r.BySeverity.Select(Group).ToList(),
        r.ByType.Select(Group).ToList(),
        r.Flagged.Select(f => new FlaggedIncidentView(f.Incident.Id, f.Incident.PublicId, f.Incident.Severity, f.Incident.Type, f.Problems)).ToList(),
        new DeadLetterCountsView(dead.Inbox, dead.Outbox, dead.Total));

    private static MetricGroupView Group(MetricGroup g) =>
        new(g.Name, g.Incidents, g.Open, g.Resolved, g.Closed, g.Flagged, Stats(g.Acknowledge), Stats(g.Mitigate), Stats(g.Resolve));

    private static DurationStatsView Stats(DurationStats s) => new(
        s.Count,
        s.Mean?.TotalSeconds,
        s.Median?.TotalSeconds,
        s.P90?.TotalSeconds,
        s.Min?.TotalSeconds,
        s.Max?.TotalSeconds,
        s.Mean is null ? null : Durations.Format(s.Mean),
        s.Median is null ? null : Durations.Format(s.Median));
}

/// <summary>GET /api/metrics: incident counts and key durations in the window, overall, per severity and per type.</summary>
internal sealed record MetricsView(
    DateTimeOffset From,
    DateTimeOffset To,
    MetricGroupView Overall,
    IReadOnlyList<MetricGroupView> BySeverity,
    IReadOnlyList<MetricGroupView> ByType,
    IReadOnlyList<FlaggedIncidentView> Flagged,
    DeadLetterCountsView DeadLetters);

internal sealed record MetricGroupView(
    string Name,
    int Incidents,
    int Open,
    int Resolved,
    int Closed,
    int Flagged,
    DurationStatsView TimeToAcknowledge,
    DurationStatsView TimeToMitigate,
    DurationStatsView TimeToResolve);

internal sealed record DurationStatsView(
    int Count,
    double? MeanSeconds,
    double? MedianSeconds,
    double? P90Seconds,
    double? MinSeconds,
    double? MaxSeconds,
    string? Mean,
    string? Median);

/// <summary>An incident left out of the averages because its key times are missing or out of order.</summary>
internal sealed record FlaggedIncidentView(Guid Id, string Reference, string Severity, string Type, IReadOnlyList<string> Problems);

internal sealed record DeadLetterCountsView(long Inbox, long Outbox, long Total);
