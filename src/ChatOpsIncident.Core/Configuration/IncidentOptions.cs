using System.ComponentModel.DataAnnotations;

namespace ChatOpsIncident.Core.Configuration;

public sealed class SeverityOptions
{
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public TimeSpan UpdateCadence { get; set; }
    /// <summary>Channel ids (on the incident's platform) that receive stakeholder updates.</summary>
    public List<string> Stakeholders { get; set; } = [];
    /// <summary>
    /// Channel ids cleared for private incidents: they get a private incident's full update. Every other stakeholder
    /// channel gets a redacted line (no title, no text, no channel) for a private incident.
    /// </summary>
    public List<string> PrivateStakeholders { get; set; } = [];
    public List<string> RequiredRoles { get; set; } = [];
    public bool Page { get; set; }
    /// <summary>Other words people type for this severity (p1, sev-1, critical), matched case-insensitively.</summary>
    public List<string> Aliases { get; set; } = [];
    /// <summary>Recovery checklist for this severity; empty means the global default.</summary>
    public List<string> RecoveryChecklist { get; set; } = [];
    /// <summary>
    /// Page the on-call at the Nth missed update in a row (1 = the first escalation, 3 = the third); null pages only as
    /// <see cref="Page"/> says. A step list: each named miss pages once.
    /// </summary>
    public List<int> PageAfterMisses { get; set; } = [];
    /// <summary>The pager routing key (PagerDuty integration key) for this severity; empty uses <c>Paging:RoutingKey</c>.</summary>
    public string? PagingRoutingKey { get; set; }
    /// <summary>
    /// Which moments the stakeholder channels hear about: <c>declare</c>, <c>severity</c>, <c>update</c>, <c>resolve</c>.
    /// Empty (the default) means all four.
    /// </summary>
    public List<string> NotifyStakeholdersOn { get; set; } = [];

    /// <summary>Whether stakeholders hear about <paramref name="moment"/> (one of <see cref="StakeholderMoments"/>).</summary>
    public bool NotifiesStakeholdersOn(string moment) =>
        NotifyStakeholdersOn.Count == 0 || NotifyStakeholdersOn.Contains(moment, StringComparer.OrdinalIgnoreCase);
}

/// <summary>The moments <see cref="SeverityOptions.NotifyStakeholdersOn"/> can name.</summary>
public static class StakeholderMoments
{
    public const string Declare = "declare";
    public const string Severity = "severity";
    public const string Update = "update";
    public const string Resolve = "resolve";

    public static readonly IReadOnlyList<string> All = [Declare, Severity, Update, Resolve];
}

public sealed class IncidentTypeOptions
{
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public List<string> Runbook { get; set; } = [];
    /// <summary>Types whose incidents always get a private channel (security by default).</summary>
    public bool Private { get; set; }
}

public sealed class RoleOptions
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public List<string> Aliases { get; set; } = [];
}

public sealed class IncidentOptions
{
    public const string SectionName = "Incident";

    public List<SeverityOptions> Severities { get; set; } = [];
    public List<IncidentTypeOptions> Types { get; set; } = [];
    public List<RoleOptions> Roles { get; set; } = [];
    public List<string> TriageChecklist { get; set; } = [];
    public List<string> RecoveryChecklist { get; set; } = [];
    [RegularExpression("^[a-z0-9_-]{1,20}$", ErrorMessage = "Incident:ChannelPrefix must be 1-20 characters of a-z, 0-9, '-' or '_'")]
    [Required(ErrorMessage = "Incident:ChannelPrefix must be 1-20 characters of a-z, 0-9, '-' or '_'")]
    public string ChannelPrefix { get; set; } = "inc";
    /// <summary>Severity used when a declaration names none.</summary>
    public string DefaultSeverity { get; set; } = "";
    public string DefaultType { get; set; } = "other";
    /// <summary>Reminder escalates after this fraction of the cadence has passed again (default half).</summary>
    [Range(0d, 10d, MinimumIsExclusive = true, ErrorMessage = "Incident:EscalationGraceFraction must be between 0 and 10")]
    public double EscalationGraceFraction { get; set; } = 0.5;
    public TimeSpan RoleNudgeAfter { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromDays(3);
    public TimeSpan ActionReminderInterval { get; set; } = TimeSpan.FromDays(1);
    /// <summary>
    /// After the first escalation the commander is escalated again this often until an update is posted; null means
    /// the severity's own cadence.
    /// </summary>
    public TimeSpan? EscalationRepeat { get; set; }
    /// <summary>Also send status update reminders to the Communications Lead by direct message.</summary>
    public bool RemindByDirectMessage { get; set; }
    /// <summary>How long a merged incident's channel stays open (to point people to the surviving incident) before it is archived; zero means never archive it.</summary>
    public TimeSpan MergeArchiveAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often an open action without a due date is reminded to its owner (the commander if none): it can never fall
    /// overdue, so without this it would be forgotten. The first reminder comes one interval after it was added.
    /// </summary>
    public TimeSpan UndatedActionReminderInterval { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Finds a severity by name or alias, case-insensitively.</summary>
    public SeverityOptions? FindSeverity(string? name) =>
        Severities.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? Severities.FirstOrDefault(s => s.Aliases.Any(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase)));

    public IncidentTypeOptions? FindType(string? name) =>
        Types.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Finds a role by key, name or alias, case-insensitively.</summary>
    public RoleOptions? FindRole(string? text) =>
        text is null ? null : Roles.FirstOrDefault(r =>
            string.Equals(r.Key, text, StringComparison.OrdinalIgnoreCase)
            || string.Equals(r.Name, text, StringComparison.OrdinalIgnoreCase)
            || r.Aliases.Any(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase)));

    public int SeverityRank(string name) =>
        Severities.FindIndex(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    public IReadOnlyList<string> RecoveryChecklistFor(string severity)
    {
        var sev = FindSeverity(severity);
        return sev is { RecoveryChecklist.Count: > 0 } ? sev.RecoveryChecklist : RecoveryChecklist;
    }
}

public static class RoleKeys
{
    public const string Commander = "commander";
    public const string Comms = "comms";
    public const string Ops = "ops";
    public const string Scribe = "scribe";
}

/// <summary>The defaults that work out of the box; configuration overlays them item by item.</summary>
public static class IncidentDefaults
{
    public static List<SeverityOptions> Severities() =>
    [
        new() { Name = "SEV1", Aliases = ["p1", "sev-1", "critical"], Description = "Critical: customer-facing outage or data loss; all hands", UpdateCadence = TimeSpan.FromMinutes(15), RequiredRoles = [RoleKeys.Commander, RoleKeys.Comms, RoleKeys.Ops, RoleKeys.Scribe], Page = true },
        new() { Name = "SEV2", Aliases = ["p2", "sev-2", "major"], Description = "Major: significant degradation for many customers", UpdateCadence = TimeSpan.FromMinutes(30), RequiredRoles = [RoleKeys.Commander, RoleKeys.Comms, RoleKeys.Ops], Page = true },
        new() { Name = "SEV3", Aliases = ["p3", "sev-3", "minor"], Description = "Minor: limited impact or a workaround exists", UpdateCadence = TimeSpan.FromMinutes(60), RequiredRoles = [RoleKeys.Commander] },
        new() { Name = "SEV4", Aliases = ["p4", "sev-4"], Description = "Low: no customer impact; internal follow-up", UpdateCadence = TimeSpan.FromHours(4), RequiredRoles = [RoleKeys.Commander] },
    ];

    public static List<IncidentTypeOptions> Types() =>
    [
        new() { Name = "availability", Description = "Service down or erroring", Runbook = ["Check the status of the affected service and its dependencies", "Look at deploys and config changes of the last 2 hours", "Consider rollback, failover or shedding load", "Confirm impact with error-rate and availability dashboards"] },
        new() { Name = "performance", Description = "Latency or throughput degraded", Runbook = ["Compare p50/p99 latency with the baseline", "Check saturation: CPU, memory, connection pools, queues", "Look for hot keys, slow queries or noisy neighbours", "Scale out or shed load if saturation is confirmed"] },
        new() { Name = "data-integrity", Description = "Wrong, missing or corrupted data", Runbook = ["Stop the writer producing bad data (flag off, pause jobs)", "Take a snapshot before any repair", "Size the blast radius: which records, since when", "Plan and review the repair before running it"] },
        new() { Name = "security", Description = "Suspected breach, vulnerability or leak", Private = true, Runbook = ["Keep this channel private; share on a need-to-know basis", "Preserve evidence: logs, snapshots, access records", "Contain: revoke credentials, isolate hosts", "Engage the security on-call and legal if data may be exposed"] },
        new() { Name = "dependency", Description = "A third party or upstream service is failing", Runbook = ["Confirm on the provider's status page", "Enable fallbacks or degrade gracefully", "Open a ticket with the provider and note its id here", "Tell customers which features are affected"] },
        new() { Name = "other", Description = "Anything else", Runbook = ["Describe the impact and who is affected", "Identify the owning team"] },
    ];

    public static List<RoleOptions> Roles() =>
    [
        new() { Key = RoleKeys.Commander, Name = "Incident Commander", Description = "Leads the response and makes the calls", Aliases = ["ic", "lead", "incident-commander"] },
        new() { Key = RoleKeys.Comms, Name = "Communications Lead", Description = "Posts status updates to stakeholders", Aliases = ["communications", "comms-lead", "cl"] },
        new() { Key = RoleKeys.Ops, Name = "Operations", Description = "Hands on keyboard: investigates and mitigates", Aliases = ["operations", "operator", "ol"] },
        new() { Key = RoleKeys.Scribe, Name = "Scribe", Description = "Keeps the timeline", Aliases = ["notes", "note-taker"] },
    ];

    public static List<string> TriageChecklist() =>
    [
        "Confirm the impact and who is affected",
        "Set the severity and type",
        "Assign the Incident Commander and Communications Lead",
        "Post the first status update",
        "Check recent deploys and config changes",
    ];

    public static List<string> RecoveryChecklist() =>
    [
        "SLOs and error rates are stable",
        "Data is reconciled",
        "Queues are drained and jobs have caught up",
        "Temporary mitigations are reverted",
        "Alerting is back to normal",
    ];
}
