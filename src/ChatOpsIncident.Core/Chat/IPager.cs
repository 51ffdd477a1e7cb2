namespace ChatOpsIncident.Core.Chat;

/// <summary>
/// An on-call pager (PagerDuty, Opsgenie, a webhook). One alert per incident and route: every call must be idempotent
/// per incident, because the outbox may call it again after a failure.
/// </summary>
public interface IPager
{
    /// <summary>Triggers (or re-triggers) the incident's alert on <paramref name="route"/> (<see cref="PageRoutes"/>; null: the default).</summary>
    Task PageAsync(Guid incidentId, string reason, string? route, CancellationToken ct);

    /// <summary>Acknowledges the incident's alert on <paramref name="route"/>: a person has it, stop waking others.</summary>
    Task AcknowledgeAsync(Guid incidentId, string? route, CancellationToken ct);

    /// <summary>Resolves the incident's alert on <paramref name="route"/>: the incident is over.</summary>
    Task ResolveAsync(Guid incidentId, string? route, CancellationToken ct);
}

/// <summary>Where a page goes: a severity's routing key or a named service's. Stored with the page, so a later acknowledge finds it.</summary>
public static class PageRoutes
{
    public static string Severity(string severity) => "sev:" + severity;

    public static string Service(string service) => "svc:" + service;

    public static string? SeverityOf(string? route) => route is not null && route.StartsWith("sev:", StringComparison.Ordinal) ? route[4..] : null;

    public static string? ServiceOf(string? route) => route is not null && route.StartsWith("svc:", StringComparison.Ordinal) ? route[4..] : null;
}

/// <summary>The routes an incident was paged on (PostgreSQL), so acknowledge and resolve go where the trigger went.</summary>
public interface IPageLog
{
    Task RecordAsync(Guid incidentId, string route, CancellationToken ct);

    Task<IReadOnlyList<string>> RoutesAsync(Guid incidentId, CancellationToken ct);
}
