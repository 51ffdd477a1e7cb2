using System.Diagnostics.Metrics;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Postgres.Telemetry;

namespace ChatOpsIncident.Host.Telemetry;

/// <summary>
/// The host's own instruments, on the same meter as the workers' (<see cref="ProcessingTelemetry.Name"/>): backlog
/// gauges read from the last <see cref="BacklogSnapshot"/>, refused requests, platform calls and their 429s. Labels
/// are platforms, methods, severities and reasons — never an incident title, number or person.
/// </summary>
internal sealed class OperationsMetrics
{
    private static readonly double[] CallBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly TimeProvider _time;
    private readonly Counter<long> _refused;
    private readonly Histogram<double> _callDuration;
    private readonly Counter<long> _rateLimited;
    private volatile BacklogSnapshot? _backlog;

    public OperationsMetrics(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        // The factory hands back the workers' meter for the same name: one meter, one scope for every chatops.* instrument.
        var meter = meters.Create(ProcessingTelemetry.Name);
        meter.CreateObservableGauge("chatops.inbox.pending", () => Gauge(b => b.InboxPending), "{item}", "Acknowledged deliveries not processed yet (including those waiting for a retry).");
        meter.CreateObservableGauge("chatops.inbox.oldest_pending.age", OldestPendingAge, "s", "Age of the oldest pending inbox item; 0 when the inbox is empty.");
        meter.CreateObservableGauge("chatops.inbox.dead", () => Gauge(b => b.InboxDead), "{item}", "Inbox items that gave up after their last attempt.");
        meter.CreateObservableGauge("chatops.outbox.pending", () => Gauge(b => b.OutboxPending), "{message}", "Outbound effects not delivered yet.");
        meter.CreateObservableGauge("chatops.outbox.dead", () => Gauge(b => b.OutboxDead), "{message}", "Outbound effects that gave up after their last attempt.");
        meter.CreateObservableGauge("chatops.incidents.open", OpenBySeverity, "{incident}", "Open incidents (not resolved or closed) per severity, private ones included: counts only.");
        _refused = meter.CreateCounter<long>("chatops.requests.refused", "{request}", "Platform requests refused before anything was stored, by reason.");
        _callDuration = meter.CreateHistogram("chatops.platform.call.duration", "s", "Duration of each HTTP attempt to a chat platform or pager, by platform and method.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CallBuckets });
        _rateLimited = meter.CreateCounter<long>("chatops.platform.rate_limited", "{response}", "429 answers from a platform, by platform and method.");
    }

    /// <summary>The counts the gauges show until the next refresh; null (no values) when the last read failed.</summary>
    public void Update(BacklogSnapshot? snapshot) => _backlog = snapshot;

    public void Refused(RequestRefusal refusal) =>
        _refused.Add(1, new KeyValuePair<string, object?>("chatops.platform", refusal.Platform), new KeyValuePair<string, object?>("chatops.refusal.reason", refusal.Reason));

    public void PlatformCall(string platform, string method, TimeSpan duration, int? status)
    {
        var platformTag = new KeyValuePair<string, object?>("chatops.platform", platform);
        var methodTag = new KeyValuePair<string, object?>("chatops.platform.method", method);
        _callDuration.Record(duration.TotalSeconds, platformTag, methodTag, new KeyValuePair<string, object?>("http.response.status_code", status));
        if (status == StatusCodes.Status429TooManyRequests)
        {
            _rateLimited.Add(1, platformTag, methodTag);
        }
    }

    private IEnumerable<Measurement<long>> Gauge(Func<BacklogSnapshot, long> read) =>
        _backlog is { } b ? [new Measurement<long>(read(b))] : [];

    private IEnumerable<Measurement<double>> OldestPendingAge() =>
        _backlog is { } b ? [new Measurement<double>(b.OldestInboxPending is { } oldest ? Math.Max(0, (_time.GetUtcNow() - oldest).TotalSeconds) : 0)] : [];

    private IEnumerable<Measurement<long>> OpenBySeverity() =>
        _backlog is { } b
            ? b.OpenIncidentsBySeverity.Select(s => new Measurement<long>(s.Value, new KeyValuePair<string, object?>("chatops.incident.severity", s.Key)))
            : [];
}
