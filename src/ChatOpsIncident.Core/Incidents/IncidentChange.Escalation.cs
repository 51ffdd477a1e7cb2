using ChatOpsIncident.Core.Chat;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>
/// Acknowledging, giving roles back, paging from chat, and the pager's side of the lifecycle: the alert a page opened
/// is acknowledged with the incident and resolved when it ends, however it ends.
/// </summary>
internal sealed partial class IncidentChange
{
    private string? AcknowledgeIncident()
    {
        if (Incident.AcknowledgedAt is { } at)
        {
            return IncidentMessages.AlreadyAcknowledged(Incident, at);
        }

        if (!Incident.Status.IsOpen())
        {
            return IncidentMessages.Ended(Incident);
        }

        Incident.AcknowledgedAt = _now;
        Timeline(TimelineKinds.Acknowledged, IncidentMessages.AcknowledgedEntry(_ctx.Actor), IncidentMessages.AcknowledgedPost(_ctx.Actor));
        Audit("acknowledged_at", null, _now.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        RefreshKickoff();
        return null;
    }

    private string? Unassign(string role)
    {
        if (_record.Holder(role) is not { } holder)
        {
            return _messages.NobodyHoldsRole(role);
        }

        Relieve(role, holder);
        RefreshKickoff();
        return null;
    }

    private string? Leave()
    {
        var held = _record.Roles.Where(r => r.RelievedAt is null && r.Holder.Id == _ctx.Actor.Id).Select(r => r.Role).Distinct(StringComparer.Ordinal).ToList();
        if (held.Count == 0)
        {
            return _messages.HoldsNoRole(_ctx.Actor);
        }

        foreach (var role in held)
        {
            Relieve(role, _ctx.Actor);
        }

        RefreshKickoff();
        return null;
    }

    private void Relieve(string role, UserRef holder)
    {
        Set.RolesRelieved.Add(role);
        var text = _messages.RoleUnassigned(role, holder, _ctx.Actor);
        Timeline(TimelineKinds.Role, text, $"👤 {text}");
        Audit($"role:{role}", holder.Id, null);
    }

    private string? PageOnCall(string? service, string reason)
    {
        if (!Incident.Status.IsOpen())
        {
            return IncidentMessages.Ended(Incident);
        }

        var route = service is null ? PageRoutes.Severity(Incident.Severity) : PageRoutes.Service(service);
        var text = IncidentMessages.PagedEntry(service, reason, _ctx.Actor);
        Timeline(TimelineKinds.Page, text);
        Queue(OutboxOperations.Page, "page", m => m with { Text = $"{Incident.PublicId} ({Incident.Severity}) {Incident.Title}: {reason}", TargetKey = route });
        Reply = $"📟 Paged {(service is null ? "the on-call" : service)}: {reason}";
        return null;
    }

    /// <summary>
    /// After any change that stands: the first acknowledgement acknowledges the pager's alert, and the end of the
    /// incident (resolved, cancelled, declined, merged) resolves it. Queued on the incident channel behind its pages, so
    /// an acknowledge never overtakes the trigger it answers; keyed per incident (acknowledge) and per delivery
    /// (resolve, which a reopened incident may need again), so a retried command sends neither twice.
    /// </summary>
    private void PagerLifecycle()
    {
        if (_record.Incident.AcknowledgedAt is null && Incident.AcknowledgedAt is not null && Incident.ChannelId is { } channel)
        {
            Set.Outbox.Add(new OutboxMessage(OutboxKeys.Incident(Incident.Id, "page-ack"), Incident.Id, Incident.Platform, OutboxOperations.PageAcknowledge, channel));
        }

        if (_record.Incident.Status.IsOpen() && !Incident.Status.IsOpen())
        {
            Queue(OutboxOperations.PageResolve, "page-resolve", m => m);
        }
    }
}
