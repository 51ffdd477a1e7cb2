using ChatOpsIncident.Core.Chat;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>
/// What archiving a merged incident's channel after its grace period (<c>Incident:MergeArchiveAfter</c>) queues.
/// Decided when the grace ends, from the incident as it is then: one that is no longer merged (reopened, or merged
/// out by a later change) keeps its channel.
/// </summary>
public static class MergeArchive
{
    /// <summary>The outbox key: one archive per incident however many jobs (replicas, retried merges) ask for it.</summary>
    public static string Key(Guid incidentId) => $"archive:{incidentId:N}";

    /// <summary>Whether a grace period applies at all: <see cref="TimeSpan.Zero"/> means never archive.</summary>
    public static bool Enabled(TimeSpan after) => after > TimeSpan.Zero;

    /// <summary>The archive to queue for <paramref name="incident"/> now, or null when its channel stays.</summary>
    public static OutboxMessage? Due(Incident incident) =>
        incident is { Status: IncidentStatus.Merged, MergedInto: not null, ChannelId: { Length: > 0 } channel }
            ? new OutboxMessage(Key(incident.Id), incident.Id, incident.Platform, OutboxOperations.Archive, channel)
            : null;
}
