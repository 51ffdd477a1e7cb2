using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Configuration;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>Phase 1, detection and triage: roles and their handoffs, severity, type.</summary>
internal sealed partial class IncidentChange
{
    private string? AssignRole(string role, UserRef user, bool handoff)
    {
        var current = _record.Holder(role);
        if (current?.Id == user.Id)
        {
            return _messages.AlreadyHoldsRole(user, role);
        }

        if (handoff && current is null)
        {
            return _messages.NobodyHoldsRole(role);
        }

        if (current is not null)
        {
            Set.RolesRelieved.Add(role);
        }

        Set.RolesAssigned.Add(new RoleAssignment(Incident.Id, role, user, _now, _ctx.Actor));
        // Claiming a role is a human act on the incident: the first one is its acknowledgement. Assigning one to
        // someone else (role ops @bob) is a person acting too.
        Incident.AcknowledgedAt ??= _now;

        var text = _messages.RoleAssigned(role, user, current);
        Timeline(TimelineKinds.Role, text, IncidentMessages.RoleAssignedPost(text, _ctx.Actor));
        Audit($"role:{role}", current?.Id, user.Id);
        if (handoff)
        {
            Post(_messages.HandoffBriefing(Project(), role, current!, user, _now, _links.Detail(Incident)), "handoff");
        }

        Queue(OutboxOperations.Invite, "invite", m => m with { Users = [user] });
        // What the role asks of them, privately: the channel line says who, the DM says what.
        Queue(OutboxOperations.DirectMessage, $"role-dm:{role}", m => m with { Users = [user], Message = _messages.RoleBriefing(Incident, role, _ctx.Actor) });
        RefreshKickoff();
        return null;
    }

    private string? ChangeSeverity(string severity)
    {
        if (!Incident.Status.IsOpen())
        {
            return IncidentMessages.SeverityFinal(Incident);
        }

        if (string.Equals(severity, Incident.Severity, StringComparison.OrdinalIgnoreCase))
        {
            return IncidentMessages.SeverityUnchanged(Incident);
        }

        var old = Incident.Severity;
        var sev = _options.FindSeverity(severity)!;
        Incident.Severity = sev.Name;
        // The cadence restarts from the last update (or declaration) under the new severity.
        Incident.NextUpdateDue = (Incident.LastUpdateAt ?? Incident.DeclaredAt) + sev.UpdateCadence;
        var raised = _options.SeverityRank(sev.Name) < _options.SeverityRank(old);
        Timeline(TimelineKinds.Severity, IncidentMessages.SeverityChanged(raised, old, sev.Name), IncidentMessages.SeverityChangedPost(raised, old, Incident, _ctx.Actor));
        Audit("severity", old, sev.Name);
        SeverityFanOut(old, raised);
        // Paging is for becoming a paging severity, not for moving between two of them.
        if (sev.Page && !(_options.FindSeverity(old)?.Page ?? false))
        {
            Queue(OutboxOperations.Page, "page", m => m with { Text = IncidentMessages.RaisedPage(Incident), TargetKey = PageRoutes.Severity(Incident.Severity) });
        }

        RefreshKickoff();
        return null;
    }

    private string? ChangeType(string type)
    {
        if (string.Equals(type, Incident.Type, StringComparison.OrdinalIgnoreCase))
        {
            return IncidentMessages.TypeUnchanged(Incident);
        }

        var old = Incident.Type;
        var changed = _options.FindType(type)!;
        Incident.Type = changed.Name;
        Timeline(TimelineKinds.Type, IncidentMessages.TypeChanged(old, Incident.Type), IncidentMessages.TypeChangedPost(old, Incident.Type, _ctx.Actor));
        Audit("type", old, Incident.Type);
        if (changed.Private && !Incident.IsPrivate)
        {
            // The record becomes private at once (list, pages, API and fan-out hide it); the channel cannot be made
            // private after the fact, so the commander is told to move the private details to a private incident.
            Incident.IsPrivate = true;
            Audit("private", "false", "true");
            Post(ChatMessage.Plain(IncidentMessages.BecamePrivatePost(Incident, changed.Name, _record.Holder(RoleKeys.Commander))), "private");
        }

        RefreshKickoff();
        return null;
    }
}
