using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Review;

/// <summary>One incident's key durations, and what is wrong with its times if anything.</summary>
public sealed record IncidentCheck(
    Incident Incident,
    TimeSpan? TimeToAcknowledge,
    TimeSpan? TimeToMitigate,
    TimeSpan? TimeToResolve,
    IReadOnlyList<string> Problems,
    TimeSpan? TimeToDetect = null)
{
    public bool Flagged => Problems.Count > 0;
}

/// <summary>Summary statistics of one duration over the incidents that have it.</summary>
public sealed record DurationStats(int Count, TimeSpan? Mean, TimeSpan? Median, TimeSpan? P90, TimeSpan? Min, TimeSpan? Max)
{
    public static DurationStats Of(IEnumerable<TimeSpan> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        if (sorted.Count == 0)
        {
            return new(0, null, null, null, null, null);
        }

        var mean = TimeSpan.FromTicks(sorted.Sum(v => v.Ticks) / sorted.Count);
        var mid = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[mid] : TimeSpan.FromTicks((sorted[mid - 1].Ticks + sorted[mid].Ticks) / 2);
        // Nearest-rank percentile: the smallest value with at least 90% of the values at or below it.
        var p90 = sorted[(int)Math.Ceiling(0.9 * sorted.Count) - 1];
        return new(sorted.Count, mean, median, p90, sorted[0], sorted[^1]);
    }
}

public sealed record MetricGroup(
    string Name,
    int Incidents,
    int Open,
    int Resolved,
    int Closed,
    int Flagged,
    DurationStats Acknowledge,
    DurationStats Mitigate,
    DurationStats Resolve,
    DurationStats Detect);

public sealed record MetricsReport(
    DateTimeOffset From,
    DateTimeOffset To,
    MetricGroup Overall,
    IReadOnlyList<MetricGroup> BySeverity,
    IReadOnlyList<MetricGroup> ByType,
    IReadOnlyList<IncidentCheck> Flagged);

/// <summary>
/// Time to acknowledge (declared → commander assigned), to mitigate and to resolve, per severity and type. An incident
/// whose key times are missing or out of order is listed as flagged and left out of every average: a bad record must
/// not move a number people steer by.
/// </summary>
public static class IncidentMetrics
{
    public static MetricsReport Compute(IEnumerable<Incident> incidents, DateTimeOffset from, DateTimeOffset to, IncidentOptions options)
    {
        // Declined, merged and cancelled incidents were never incidents, and drills were rehearsals: no count or
        // duration includes them.
        var checks = incidents.Where(i => i.DeclaredAt >= from && i.DeclaredAt < to && !i.Status.IsExit() && !i.Drill).Select(Check).ToList();
        var severities = options.Severities.Select(s => s.Name)
            .Concat(checks.Select(c => c.Incident.Severity)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var types = options.Types.Select(t => t.Name)
            .Concat(checks.Select(c => c.Incident.Type)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new MetricsReport(
            from,
            to,
            Group("all", checks),
            severities.Select(s => Group(s, checks.Where(c => string.Equals(c.Incident.Severity, s, StringComparison.OrdinalIgnoreCase)).ToList())).ToList(),
            types.Select(t => Group(t, checks.Where(c => string.Equals(c.Incident.Type, t, StringComparison.OrdinalIgnoreCase)).ToList())).ToList(),
            checks.Where(c => c.Flagged).OrderBy(c => c.Incident.DeclaredAt).ToList());
    }

    private static MetricGroup Group(string name, List<IncidentCheck> checks)
    {
        var clean = checks.Where(c => !c.Flagged).ToList();
        return new MetricGroup(
            name,
            checks.Count,
            checks.Count(c => c.Incident.Status.IsOpen()),
            checks.Count(c => c.Incident.Status == IncidentStatus.Resolved),
            checks.Count(c => c.Incident.Status == IncidentStatus.Closed),
            checks.Count(c => c.Flagged),
            DurationStats.Of(clean.Where(c => c.TimeToAcknowledge is not null).Select(c => c.TimeToAcknowledge!.Value)),
            DurationStats.Of(clean.Where(c => c.TimeToMitigate is not null).Select(c => c.TimeToMitigate!.Value)),
            DurationStats.Of(clean.Where(c => c.TimeToResolve is not null).Select(c => c.TimeToResolve!.Value)),
            DurationStats.Of(clean.Where(c => c.TimeToDetect is not null).Select(c => c.TimeToDetect!.Value)));
    }

    /// <summary>
    /// The incident's durations and the problems with its times. An open incident may lack mitigation and resolution
    /// times (they have not happened); a resolved or closed one may not.
    /// </summary>
    public static IncidentCheck Check(Incident i)
    {
        var problems = new List<string>();
        var finished = !i.Status.IsOpen();
        if (finished)
        {
            Require(problems, i.AcknowledgedAt, "acknowledged");
            Require(problems, i.MitigatedAt, "mitigated");
            Require(problems, i.ResolvedAt, "resolved");
            if (i.Status == IncidentStatus.Closed)
            {
                Require(problems, i.ClosedAt, "closed");
            }
        }
        else if (i.ResolvedAt is not null || i.ClosedAt is not null)
        {
            problems.Add($"It is {i.Status.ToWire()} but has a {(i.ResolvedAt is not null ? "resolved" : "closed")} time.");
        }

        // Each milestone must come at or after the ones it depends on.
        var order = new (string Name, DateTimeOffset? At)[]
        {
            ("declared", i.DeclaredAt), ("acknowledged", i.AcknowledgedAt), ("mitigated", i.MitigatedAt), ("resolved", i.ResolvedAt), ("closed", i.ClosedAt),
        };
        for (var later = 1; later < order.Length; later++)
        {
            if (order[later].At is not { } laterAt)
            {
                continue;
            }

            for (var earlier = 0; earlier < later; earlier++)
            {
                // Acknowledgement and mitigation are independent (a fix can land before a commander is named).
                if (order[earlier].Name == "acknowledged" && order[later].Name == "mitigated")
                {
                    continue;
                }

                if (order[earlier].At is { } earlierAt && laterAt < earlierAt)
                {
                    problems.Add($"The {order[later].Name} time ({IncidentMessages.Time(laterAt)}) is before the {order[earlier].Name} time ({IncidentMessages.Time(earlierAt)}).");
                }
            }
        }

        // Acknowledgement runs from detection (the first alert, else the declaration): an alert-opened incident that
        // waits three minutes for a person has a time to acknowledge of three minutes, not 0.
        var detected = i.DetectedAt ?? i.DeclaredAt;
        var toDetect = i.ImpactStartedAt is { } impact && impact <= detected ? detected - impact : (TimeSpan?)null;
        return new IncidentCheck(i, i.AcknowledgedAt - detected, i.MitigatedAt - i.DeclaredAt, i.ResolvedAt - i.DeclaredAt, problems, toDetect);
    }

    private static void Require(List<string> problems, DateTimeOffset? at, string name)
    {
        if (at is null)
        {
            problems.Add($"It has no {name} time.");
        }
    }
}
