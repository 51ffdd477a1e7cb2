using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Review;

namespace ChatOpsIncident.Core.Tests.Review;

public sealed class IncidentMetricsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset From = T0;
    private static readonly DateTimeOffset To = T0.AddDays(30);
    private static readonly IncidentOptions Options = new() { Severities = IncidentDefaults.Severities(), Types = IncidentDefaults.Types() };
    private static int _number;

    private static Incident Make(
        string severity, string type, DateTimeOffset declared, double? ackMin, double? mitMin, double? resMin, IncidentStatus status = IncidentStatus.Resolved, double? closeMin = null) => new()
    {
        Id = Guid.NewGuid(),
        Number = Interlocked.Increment(ref _number),
        Title = "t",
        Severity = severity,
        Type = type,
        Platform = "slack",
        Status = status,
        DeclaredBy = new UserRef("U1"),
        DeclaredAt = declared,
        AcknowledgedAt = ackMin is null ? null : declared.AddMinutes(ackMin.Value),
        MitigatedAt = mitMin is null ? null : declared.AddMinutes(mitMin.Value),
        ResolvedAt = resMin is null ? null : declared.AddMinutes(resMin.Value),
        ClosedAt = closeMin is null ? null : declared.AddMinutes(closeMin.Value),
    };

    [Fact]
    public void Compute_CleanTimelines_MeanMedianP90MinMax()
    {
        var incidents = new[]
        {
            Make("SEV2", "availability", T0.AddDays(1), 1, 10, 60),
            Make("SEV2", "availability", T0.AddDays(2), 2, 20, 90),
            Make("SEV2", "performance", T0.AddDays(3), 6, 30, 150),
        };

        var report = IncidentMetrics.Compute(incidents, From, To, Options);

        var sev2 = report.BySeverity.Single(g => g.Name == "SEV2");
        Assert.Equal(3, sev2.Incidents);
        Assert.Equal(0, sev2.Flagged);
        Assert.Equal(new DurationStats(3, TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(6)), sev2.Acknowledge);
        Assert.Equal(TimeSpan.FromMinutes(20), sev2.Mitigate.Mean);
        Assert.Equal(TimeSpan.FromMinutes(100), sev2.Resolve.Mean);
        Assert.Equal(TimeSpan.FromMinutes(90), sev2.Resolve.Median);
        Assert.Equal(2, report.ByType.Single(g => g.Name == "availability").Incidents);
        Assert.Equal(TimeSpan.FromMinutes(75), report.ByType.Single(g => g.Name == "availability").Resolve.Mean);
        Assert.Equal(TimeSpan.FromMinutes(150), report.ByType.Single(g => g.Name == "performance").Resolve.Median);
        Assert.Equal(0, report.BySeverity.Single(g => g.Name == "SEV1").Incidents);
        Assert.Null(report.BySeverity.Single(g => g.Name == "SEV1").Resolve.Mean);
        Assert.Equal(["SEV1", "SEV2", "SEV3", "SEV4"], report.BySeverity.Select(g => g.Name));
    }

    [Fact]
    public void Stats_EvenCount_MedianIsMeanOfMiddlePair_P90IsNearestRank()
    {
        var stats = DurationStats.Of(new[] { 4, 1, 3, 2 }.Select(m => TimeSpan.FromMinutes(m)));
        var ten = DurationStats.Of(Enumerable.Range(1, 10).Select(m => TimeSpan.FromMinutes(m)));

        Assert.Equal(TimeSpan.FromMinutes(2.5), stats.Median);
        Assert.Equal(TimeSpan.FromMinutes(2.5), stats.Mean);
        Assert.Equal(TimeSpan.FromMinutes(4), stats.P90);
        Assert.Equal(TimeSpan.FromMinutes(9), ten.P90);
        Assert.Equal(new DurationStats(0, null, null, null, null, null), DurationStats.Of([]));
    }

    [Fact]
    public void Compute_ResolvedIncidentMissingResolvedTime_IsFlagged_CountedButNotAveraged()
    {
        var clean = Make("SEV3", "other", T0.AddDays(1), 1, 10, 60);
        var missing = Make("SEV3", "other", T0.AddDays(2), 5, 50, null);

        var report = IncidentMetrics.Compute([clean, missing], From, To, Options);

        var sev3 = report.BySeverity.Single(g => g.Name == "SEV3");
        Assert.Equal(2, sev3.Incidents);
        Assert.Equal(1, sev3.Flagged);
        Assert.Equal(1, sev3.Acknowledge.Count);
        Assert.Equal(TimeSpan.FromMinutes(1), sev3.Acknowledge.Mean);
        Assert.Equal(TimeSpan.FromMinutes(10), sev3.Mitigate.Mean);
        Assert.Equal(TimeSpan.FromMinutes(60), sev3.Resolve.Mean);
        var flagged = Assert.Single(report.Flagged);
        Assert.Same(missing, flagged.Incident);
        Assert.Equal(["It has no resolved time."], flagged.Problems);
    }

    [Fact]
    public void Compute_OutOfOrderTimes_AreFlaggedWithReasons_NotAveraged()
    {
        var mitigatedBeforeDeclared = Make("SEV1", "availability", T0.AddDays(1), 1, -30, 60);
        var resolvedBeforeMitigated = Make("SEV1", "availability", T0.AddDays(2), 1, 90, 45);
        var closedBeforeResolved = Make("SEV1", "availability", T0.AddDays(3), 1, 10, 60, IncidentStatus.Closed, 30);
        var clean = Make("SEV1", "availability", T0.AddDays(4), 2, 20, 80);

        var report = IncidentMetrics.Compute([mitigatedBeforeDeclared, resolvedBeforeMitigated, closedBeforeResolved, clean], From, To, Options);

        var sev1 = report.BySeverity.Single(g => g.Name == "SEV1");
        Assert.Equal(4, sev1.Incidents);
        Assert.Equal(3, sev1.Flagged);
        Assert.Equal(new DurationStats(1, TimeSpan.FromMinutes(80), TimeSpan.FromMinutes(80), TimeSpan.FromMinutes(80), TimeSpan.FromMinutes(80), TimeSpan.FromMinutes(80)), sev1.Resolve);
        Assert.Equal(1, sev1.Acknowledge.Count);
        Assert.Equal(3, report.Flagged.Count);
        Assert.Contains("The mitigated time (2026-03-01 23:30 UTC) is before the declared time (2026-03-02 00:00 UTC).", report.Flagged[0].Problems);
        Assert.Contains("The resolved time (2026-03-03 00:45 UTC) is before the mitigated time (2026-03-03 01:30 UTC).", report.Flagged[1].Problems);
        Assert.Contains("The closed time (2026-03-04 00:30 UTC) is before the resolved time (2026-03-04 01:00 UTC).", report.Flagged[2].Problems);
        Assert.Equal(1, report.Overall.Closed);
        Assert.Equal(3, report.Overall.Resolved);
    }

    [Fact]
    public void Compute_OpenIncident_MissingLaterTimesIsNormal_NotFlagged()
    {
        var open = Make("SEV2", "dependency", T0.AddDays(1), 3, null, null, IncidentStatus.Investigating);
        var mitigated = Make("SEV2", "dependency", T0.AddDays(1), 1, 15, null, IncidentStatus.Monitoring);

        var report = IncidentMetrics.Compute([open, mitigated], From, To, Options);

        var dependency = report.ByType.Single(g => g.Name == "dependency");
        Assert.Empty(report.Flagged);
        Assert.Equal(2, dependency.Open);
        Assert.Equal(2, dependency.Acknowledge.Count);
        Assert.Equal(TimeSpan.FromMinutes(2), dependency.Acknowledge.Mean);
        Assert.Equal(1, dependency.Mitigate.Count);
        Assert.Equal(0, dependency.Resolve.Count);
    }

    [Fact]
    public void Compute_OpenIncidentWithResolvedTime_IsFlagged()
    {
        var odd = Make("SEV2", "other", T0.AddDays(1), 1, 2, 3, IncidentStatus.Identified);

        var report = IncidentMetrics.Compute([odd], From, To, Options);

        Assert.Equal(["It is identified but has a resolved time."], Assert.Single(report.Flagged).Problems);
    }

    [Fact]
    public void Compute_OnlyIncidentsDeclaredInsideTheWindow()
    {
        var before = Make("SEV2", "other", From.AddSeconds(-1), 1, 2, 3);
        var first = Make("SEV2", "other", From, 1, 2, 3);
        var atEnd = Make("SEV2", "other", To, 1, 2, 3);

        var report = IncidentMetrics.Compute([before, first, atEnd], From, To, Options);

        Assert.Equal(1, report.Overall.Incidents);
    }

    [Fact]
    public void Compute_UnconfiguredSeverityInData_GetsItsOwnGroup()
    {
        var legacy = Make("P1", "other", T0.AddDays(1), 1, 2, 3);

        var report = IncidentMetrics.Compute([legacy], From, To, Options);

        Assert.Equal(1, report.BySeverity.Single(g => g.Name == "P1").Incidents);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(45, "45s")]
    [InlineData(12 * 60, "12m")]
    [InlineData(65 * 60, "1h 05m")]
    [InlineData(((2 * 24 + 3) * 60 + 10) * 60, "2d 3h 10m")]
    [InlineData(-90 * 60, "-1h 30m")]
    public void Durations_Format(int seconds, string expected) =>
        Assert.Equal(expected, Durations.Format(TimeSpan.FromSeconds(seconds)));
}
