namespace ChatOpsIncident.Core.Inbox;

/// <summary>An acknowledged inbound delivery (event, command, interaction), stored before the 2xx.</summary>
public sealed record InboxItem(
    long Id,
    string Platform,
    string DeliveryId,
    string Kind,
    string Payload,
    int Attempts,
    DateTimeOffset ReceivedAt);

/// <summary>One inbound delivery to store (see <see cref="IInbox.EnqueueManyAsync"/>).</summary>
public sealed record InboxDelivery(string Platform, string DeliveryId, string Kind, string Payload);

public interface IInbox
{
    /// <summary>Stores a delivery. False when (platform, deliveryId) was stored before: a retry.</summary>
    Task<bool> EnqueueAsync(string platform, string deliveryId, string kind, string payload, CancellationToken ct);

    /// <summary>
    /// Stores several deliveries in one commit (adapters group concurrent requests this way). Per delivery, in order:
    /// false when it was stored before. The default stores them one by one.
    /// </summary>
    async Task<IReadOnlyList<bool>> EnqueueManyAsync(IReadOnlyList<InboxDelivery> deliveries, CancellationToken ct)
    {
        var stored = new bool[deliveries.Count];
        for (var i = 0; i < deliveries.Count; i++)
        {
            var d = deliveries[i];
            stored[i] = await EnqueueAsync(d.Platform, d.DeliveryId, d.Kind, d.Payload, ct);
        }

        return stored;
    }

    /// <summary>Leases up to <paramref name="max"/> due items; a lease that lapses (host died) frees the item again.</summary>
    Task<IReadOnlyList<InboxItem>> ClaimAsync(int max, TimeSpan lease, CancellationToken ct);

    Task CompleteAsync(long id, CancellationToken ct);

    /// <summary>Marks several items done in one commit.</summary>
    async Task CompleteManyAsync(IReadOnlyList<long> ids, CancellationToken ct)
    {
        foreach (var id in ids)
        {
            await CompleteAsync(id, ct);
        }
    }

    /// <summary>Records a failure; the item runs again after <paramref name="retryAfter"/>, or never when <paramref name="dead"/>.</summary>
    Task FailAsync(long id, string error, TimeSpan retryAfter, bool dead, CancellationToken ct);
}

/// <summary>Processes the inbox items of one platform. Must be idempotent: an item can run twice.</summary>
public interface IInboxHandler
{
    string Platform { get; }

    Task HandleAsync(InboxItem item, CancellationToken ct);
}
