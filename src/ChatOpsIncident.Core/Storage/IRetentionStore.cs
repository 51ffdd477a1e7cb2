namespace ChatOpsIncident.Core.Storage;

/// <summary>How many done work rows one purge removed.</summary>
public sealed record RetentionPurge(int Inbox, int Outbox, int Deliveries)
{
    /// <summary>Alert groups forgotten: their incident closed, or the group dismissed, longer ago than the retention.</summary>
    public int AlertGroups { get; init; }

    /// <summary>Local-workspace messages (with their reactions) untouched for longer than the retention period.</summary>
    public int WorkspaceMessages { get; init; }

    public int Total => Inbox + Outbox + Deliveries + AlertGroups + WorkspaceMessages;
}

/// <summary>
/// Removes done inbox, outbox and delivery rows, and the local workspace's old messages, older than the retention
/// period (by the database's clock).
/// </summary>
public interface IRetentionStore
{
    /// <summary>Deletes in batches of <paramref name="batchSize"/> until nothing older than <paramref name="retention"/> is left.</summary>
    Task<RetentionPurge> PurgeAsync(TimeSpan retention, int batchSize, CancellationToken ct);
}
