using ChatOpsIncident.Core.Commands;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>
/// Correcting key times from the web form: the rules of <c>started</c> (nothing in the future, the impact not after the
/// declaration) applied to every time, plus their order. All the given times stand, or none does.
/// </summary>
internal sealed partial class IncidentChange
{
    private string? CorrectKeyTimes(CorrectKeyTimes c)
    {
        var before = (Incident.ImpactStartedAt, Incident.DetectedAt, Incident.AcknowledgedAt, Incident.MitigatedAt, Incident.ResolvedAt);
        var after = (
            Impact: c.ImpactStarted ?? before.ImpactStartedAt,
            Detected: c.Detected ?? before.DetectedAt,
            Acknowledged: c.Acknowledged ?? before.AcknowledgedAt,
            Mitigated: c.Mitigated ?? before.MitigatedAt,
            Resolved: c.Resolved ?? before.ResolvedAt);
        var given = new (string Name, DateTimeOffset? At)[]
        {
            (KeyTimeNames.ImpactStarted, c.ImpactStarted), (KeyTimeNames.Detected, c.Detected), (KeyTimeNames.Acknowledged, c.Acknowledged),
            (KeyTimeNames.Mitigated, c.Mitigated), (KeyTimeNames.Resolved, c.Resolved),
        };
        if (given.FirstOrDefault(g => g.At > _now) is { At: { } future } f)
        {
            return IncidentMessages.KeyTimeInFuture(f.Name, future);
        }

        if (c.Resolved is not null && before.ResolvedAt is null)
        {
            return IncidentMessages.KeyTimeNotYet(Incident, KeyTimeNames.Resolved);
        }

        if (after.Impact is { } impact && impact > Incident.DeclaredAt)
        {
            return IncidentMessages.ImpactAfterDeclared(Incident, impact);
        }

        if (after.Detected is { } detected && detected > Incident.DeclaredAt)
        {
            return IncidentMessages.KeyTimeOrder(KeyTimeNames.Detected, detected, "declared", Incident.DeclaredAt);
        }

        // Each pair: the first cannot come after the second.
        var order = new (string A, DateTimeOffset? AAt, string B, DateTimeOffset? BAt)[]
        {
            (KeyTimeNames.ImpactStarted, after.Impact, KeyTimeNames.Detected, after.Detected),
            (KeyTimeNames.Detected, after.Detected, KeyTimeNames.Acknowledged, after.Acknowledged),
            (KeyTimeNames.ImpactStarted, after.Impact, KeyTimeNames.Mitigated, after.Mitigated),
            (KeyTimeNames.Mitigated, after.Mitigated, KeyTimeNames.Resolved, after.Resolved),
            (KeyTimeNames.Detected, after.Detected, KeyTimeNames.Resolved, after.Resolved),
            (KeyTimeNames.Resolved, after.Resolved, "closed", Incident.ClosedAt),
        };
        if (order.FirstOrDefault(o => o.AAt is { } a && o.BAt is { } b && a > b) is { A: not null } bad)
        {
            return IncidentMessages.KeyTimeOrder(bad.A, bad.AAt!.Value, bad.B, bad.BAt!.Value);
        }

        var changed = given.Where(g => g.At is not null && g.At != Current(g.Name)).ToList();
        if (changed.Count == 0)
        {
            return IncidentMessages.KeyTimesUnchanged(Incident);
        }

        foreach (var (name, at) in changed)
        {
            var old = Current(name);
            Assign(name, at!.Value);
            Timeline(TimelineKinds.KeyTime, IncidentMessages.KeyTimeCorrectedEntry(name, old, at.Value));
            Audit(KeyTimeNames.AuditField(name), old is null ? null : IncidentMessages.Time(old), IncidentMessages.Time(at));
        }

        Reply = IncidentMessages.KeyTimesCorrected(changed.Count);
        return null;

        DateTimeOffset? Current(string name) => name switch
        {
            KeyTimeNames.ImpactStarted => Incident.ImpactStartedAt,
            KeyTimeNames.Detected => Incident.DetectedAt,
            KeyTimeNames.Acknowledged => Incident.AcknowledgedAt,
            KeyTimeNames.Mitigated => Incident.MitigatedAt,
            _ => Incident.ResolvedAt,
        };

        void Assign(string name, DateTimeOffset at)
        {
            switch (name)
            {
                case KeyTimeNames.ImpactStarted: Incident.ImpactStartedAt = at; break;
                case KeyTimeNames.Detected: Incident.DetectedAt = at; break;
                case KeyTimeNames.Acknowledged: Incident.AcknowledgedAt = at; break;
                case KeyTimeNames.Mitigated: Incident.MitigatedAt = at; break;
                default: Incident.ResolvedAt = at; break;
            }
        }
    }
}

/// <summary>The key times a person may correct, as the form, the timeline and the audit name them.</summary>
public static class KeyTimeNames
{
    public const string ImpactStarted = "impact started";
    public const string Detected = "detected";
    public const string Acknowledged = "acknowledged";
    public const string Mitigated = "mitigated";
    public const string Resolved = "resolved";

    /// <summary>The audit field: the column's name, as <c>started</c> audits <c>impact_started_at</c>.</summary>
    public static string AuditField(string name) => name switch
    {
        ImpactStarted => "impact_started_at",
        Detected => "detected_at",
        Acknowledged => "acknowledged_at",
        Mitigated => "mitigated_at",
        _ => "resolved_at",
    };
}
