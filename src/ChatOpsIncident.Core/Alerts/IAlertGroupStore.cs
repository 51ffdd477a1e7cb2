using ChatOpsIncident.Core.Chat;

namespace ChatOpsIncident.Core.Alerts;

/// <summary>Where an alert group stands in its current episode (one firing spell, from first alert to resolution).</summary>
public static class AlertGroupStates
{
    /// <summary>Seen, nothing decided yet.</summary>
    public const string New = "new";
    /// <summary>Waiting for the next feed card.</summary>
    public const string Pending = "pending";
    /// <summary>On a feed card, waiting for someone to declare, attach or dismiss.</summary>
    public const string Carded = "carded";
    /// <summary>Linked to an incident (declared or attached).</summary>
    public const string Incident = "incident";
    public const string Dismissed = "dismissed";
    public const string Ignored = "ignored";
}

/// <summary>An alert group as stored: one row per (source, group key), whatever it has fired since.</summary>
public sealed record AlertGroup(
    Guid Id,
    string Source,
    string GroupKey,
    string Title,
    string? Description,
    AlertStatus Status,
    string State,
    int Episode,
    Guid? IncidentId,
    AlertRoute Route,
    DateTimeOffset? StartsAt,
    IReadOnlyList<ChatLink> Links,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset? LastTimelineAt)
{
    /// <summary>The delivery id every declaration of this episode uses: declaring twice (two replicas, two clicks) makes one incident.</summary>
    public string DeclarationKey => $"alert:{Id}:{Episode}";
}

/// <summary>A group as a notification shows it; stored over what the row held (title, status, route, times).</summary>
public sealed record AlertGroupSeen(Guid NewId, string Source, AlertNotification Notification, AlertRoute Route, DateTimeOffset At);

public interface IAlertGroupStore
{
    /// <summary>Inserts the group or updates its latest title, status, route and times; returns the row.</summary>
    Task<AlertGroup> UpsertAsync(AlertGroupSeen seen, CancellationToken ct);

    Task<AlertGroup?> GetAsync(Guid id, CancellationToken ct);

    /// <summary>Moves the group of <paramref name="episode"/> from one of <paramref name="from"/> to <paramref name="to"/>; false when it was elsewhere.</summary>
    Task<bool> TransitionAsync(Guid id, int episode, IReadOnlyList<string> from, string to, CancellationToken ct);

    /// <summary>Links the group's episode to an incident (and counts now as its last timeline entry).</summary>
    Task LinkAsync(Guid id, int episode, Guid incidentId, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Claims the group's next timeline entry: true (and records <paramref name="now"/>) only when none was written in the
    /// last <paramref name="interval"/>. Atomic, so concurrent deliveries of one group write one entry.
    /// </summary>
    Task<bool> TryTouchTimelineAsync(Guid id, DateTimeOffset now, TimeSpan interval, CancellationToken ct);

    /// <summary>Starts the group's next episode (unlinked, state new) unless another delivery already did.</summary>
    Task<AlertGroup> NextEpisodeAsync(Guid id, int episode, CancellationToken ct);

    /// <summary>
    /// When no card went to the feed in the last <paramref name="interval"/> and groups are waiting: marks up to
    /// <paramref name="max"/> of them carded and queues the card <paramref name="card"/> builds for them, in one commit.
    /// Empty when it is not time yet or nothing waits.
    /// </summary>
    Task<IReadOnlyList<AlertGroup>> TakeCardBatchAsync(DateTimeOffset now, TimeSpan interval, int max, Func<IReadOnlyList<AlertGroup>, OutboxMessage> card, CancellationToken ct);
}
