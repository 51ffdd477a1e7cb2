using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ChatOpsIncident.Core.Processing;

/// <summary>
/// What the workers tell operators, named by OpenTelemetry conventions (dotted, unit in the metadata, never an
/// incident title or id as a label). Meters come from the host's <see cref="IMeterFactory"/>, so two hosts in one
/// process (tests) each count their own. Traces continue from the stored row's traceparent: the request that stored
/// an inbox item, the work that queued an outbox row.
/// </summary>
public sealed class ProcessingTelemetry : IDisposable
{
    public const string Name = "ChatOpsIncident";

    /// <summary>Spans of the inbox worker and the outbox dispatcher; static like every ActivitySource (listeners pick by name).</summary>
    public static readonly ActivitySource Source = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _reminderLateness;

    public ProcessingTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        _deliveries = _meter.CreateCounter<long>("chatops.outbox.deliveries", "{delivery}", "Outbox delivery attempts by platform and outcome (delivered, retry, dead).");
        _reminderLateness = _meter.CreateHistogram<double>(
            "chatops.reminder.lateness",
            "s",
            "How long after the status update fell due its reminder was queued.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 5, 15, 30, 60, 120, 300, 600] });
    }

    public Meter Meter => _meter;

    public void Delivery(string platform, string outcome) =>
        _deliveries.Add(1, new KeyValuePair<string, object?>("chatops.platform", platform), new KeyValuePair<string, object?>("chatops.outcome", outcome));

    public void ReminderLate(string kind, TimeSpan lateness) =>
        _reminderLateness.Record(Math.Max(0, lateness.TotalSeconds), new KeyValuePair<string, object?>("chatops.reminder.kind", kind));

    /// <summary>
    /// A span for processing a stored row, child of the trace that stored it (<paramref name="traceParent"/>, a W3C
    /// traceparent) or a new trace when the row carries none. Null when nobody listens.
    /// </summary>
    public static Activity? StartStored(string name, ActivityKind kind, string? traceParent)
    {
        var parent = traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;
        return Source.StartActivity(name, kind, parent);
    }

    public void Dispose() => _meter.Dispose();
}

/// <summary>The outcome labels of <c>chatops.outbox.deliveries</c>.</summary>
public static class DeliveryOutcomes
{
    public const string Delivered = "delivered";
    public const string Retry = "retry";
    public const string Dead = "dead";
}
