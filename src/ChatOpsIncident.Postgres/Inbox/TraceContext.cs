using System.Diagnostics;

namespace ChatOpsIncident.Postgres.Inbox;

/// <summary>The trace a stored inbox or outbox row continues when it is processed later, possibly on another replica.</summary>
internal static class TraceContext
{
    /// <summary>The current activity as a W3C traceparent, or null when nothing is being traced (then no trace is continued).</summary>
    public static string? Current() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.Id : null;
}
