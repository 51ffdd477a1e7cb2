namespace ChatOpsIncident.Core.Chat;

/// <summary>
/// An on-call pager (PagerDuty, Opsgenie, a webhook) triggered when a severity says Page. Must be idempotent per
/// incident: the outbox may call it again after a failure.
/// </summary>
public interface IPager
{
    Task PageAsync(Guid incidentId, string reason, CancellationToken ct);
}
