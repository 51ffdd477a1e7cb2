using ChatOpsIncident.Core.Chat;

namespace ChatOpsIncident.Core.Alerts;

public enum AlertStatus
{
    Firing,
    Resolved,
}

/// <summary>One alert of a notification, as the sender described it.</summary>
public sealed record Alert(
    AlertStatus Status,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    string? Fingerprint,
    string? GeneratorUrl);

/// <summary>
/// One webhook delivery, whatever its format: the group it is about (Alertmanager's and Grafana's <c>groupKey</c>,
/// the generic dedupe key), its status (resolved only when every alert of the group is), and the group's labels
/// that routing rules match on.
/// </summary>
public sealed record AlertNotification(
    string GroupKey,
    AlertStatus Status,
    string Title,
    string? Description,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<Alert> Alerts,
    IReadOnlyList<ChatLink> Links)
{
    /// <summary>When the group began firing: the earliest start of its alerts.</summary>
    public DateTimeOffset? StartsAt => Alerts.Where(a => a.StartsAt is not null).Select(a => a.StartsAt).Min();

    public int FiringCount => Alerts.Count(a => a.Status == AlertStatus.Firing);
}
