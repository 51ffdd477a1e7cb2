namespace ChatOpsIncident.Core.Inbox;

/// <summary>An acknowledged inbound delivery (event, command, interaction), stored before the 2xx.</summary>
public sealed record InboxItem(
    long Id,
    string Platform,
    string DeliveryId,
    string Kind,
    string Payload,
    int Attempts,
    DateTimeOffset ReceivedAt)
{
    /// <summary>
    /// The claim this copy of the item was leased under. Completing or failing it changes the row only while the
    /// row still holds this token: a replica whose lease lapsed and was taken over cannot overwrite the new holder.
    /// </summary>
    public Guid Claim { get; init; }

    /// <summary>
    /// Items with the same key run one at a time in id (arrival) order; null runs unordered. Set at enqueue from
    /// what the adapter knows without parsing deeply: the (platform, channel/conversation) the delivery is about.
    /// </summary>
    public string? OrderKey { get; init; }

    /// <summary>The W3C traceparent of the request that stored it: processing continues that trace. Null when untraced.</summary>
    public string? TraceParent { get; init; }
}

/// <summary>One inbound delivery to store (see <see cref="IInbox.EnqueueManyAsync"/>).</summary>
public sealed record InboxDelivery(string Platform, string DeliveryId, string Kind, string Payload)
{
    /// <summary>See <see cref="InboxItem.OrderKey"/>.</summary>
    public string? OrderKey { get; init; }

    /// <summary>
    /// The trace of the request that received it, taken when the delivery is created (on the request path): adapters
    /// may commit deliveries together on another thread, where the request's trace is no longer current.
    /// </summary>
    public string? TraceParent { get; init; } = System.Diagnostics.Activity.Current is { IdFormat: System.Diagnostics.ActivityIdFormat.W3C } a ? a.Id : null;
}

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

    /// <summary>
    /// Leases up to <paramref name="max"/> due items under a fresh claim token each; a lease that lapses (host died)
    /// frees the item again. A claim counts as an attempt. Of items sharing an order key only those with nothing
    /// older still pending (leased or waiting for a retry) are claimed.
    /// </summary>
    Task<IReadOnlyList<InboxItem>> ClaimAsync(int max, TimeSpan lease, CancellationToken ct);

    /// <summary>Marks the item done if <paramref name="claim"/> still holds it; false when another claim took over.</summary>
    Task<bool> CompleteAsync(long id, Guid claim, CancellationToken ct);

    /// <summary>Marks several items done in one commit, each only while its claim holds it.</summary>
    async Task CompleteManyAsync(IReadOnlyList<(long Id, Guid Claim)> items, CancellationToken ct)
    {
        foreach (var (id, claim) in items)
        {
            await CompleteAsync(id, claim, ct);
        }
    }

    /// <summary>
    /// Records a failure if <paramref name="claim"/> still holds the item; it runs again after
    /// <paramref name="retryAfter"/>, or never when <paramref name="dead"/>. False when another claim took over.
    /// </summary>
    Task<bool> FailAsync(long id, Guid claim, string error, TimeSpan retryAfter, bool dead, CancellationToken ct);

    /// <summary>Extends the lease of the held items to now + <paramref name="lease"/>; returns the ids still held.</summary>
    Task<IReadOnlySet<long>> RenewAsync(IReadOnlyList<(long Id, Guid Claim)> items, TimeSpan lease, CancellationToken ct);

    /// <summary>Gives claimed items back untried (the attempt is not counted), due at once.</summary>
    Task ReleaseAsync(IReadOnlyList<(long Id, Guid Claim)> items, CancellationToken ct);

    /// <summary>
    /// Gives held items back due at once when the host stops (the claim stays counted as an attempt, so the next holder
    /// treats a possibly half-done send as uncertain); only while each claim still holds.
    /// </summary>
    Task GiveBackAsync(IReadOnlyList<(long Id, Guid Claim)> items, CancellationToken ct);
}

/// <summary>Processes the inbox items of one platform. Must be idempotent: an item can run twice.</summary>
public interface IInboxHandler
{
    string Platform { get; }

    Task HandleAsync(InboxItem item, CancellationToken ct);
}
