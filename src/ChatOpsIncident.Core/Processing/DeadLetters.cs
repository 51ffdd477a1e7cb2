using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Inbox;

namespace ChatOpsIncident.Core.Processing;

/// <summary>
/// Told when an inbox or outbox item goes dead (no more retries), so someone hears about it instead of a log line
/// only. The workers call every registered observer once per dead item, after the row is marked dead; zero observers
/// is fine. An observer that throws is logged and does not stop the worker or the other observers.
/// </summary>
public interface IDeadLetterObserver
{
    Task InboxItemDiedAsync(InboxItem item, string error, CancellationToken ct);

    Task OutboxItemDiedAsync(OutboxMessage message, string error, CancellationToken ct);
}

/// <summary>
/// The platform part of telling the person whose delivery died: only the adapter can read its own payload to find
/// who sent it and where a private answer goes.
/// </summary>
public interface IDeadInboxReplies
{
    string Platform { get; }

    /// <summary>A <see cref="Chat.OutboxOperations.Respond"/> carrying <paramref name="message"/> to the sender, or null when no person sent it (events).</summary>
    Chat.OutboxMessage? ReplyFor(Inbox.InboxItem item, Chat.ChatMessage message);
}

/// <summary>Which work queue a dead item sits in.</summary>
public enum DeadLetterQueue
{
    Inbox,
    Outbox,
}

/// <summary>
/// A dead item as an admin sees it: where it came from or was going, when, how often it was tried and why it gave up.
/// Never the payload: inbox payloads hold response URLs and legacy tokens, outbox bodies hold response URLs.
/// </summary>
/// <param name="Kind">The inbox kind (command, event, interaction, activity) or the outbox operation (post, update…).</param>
/// <param name="ChannelId">The channel it was about or going to, when known.</param>
/// <param name="At">When it was received (inbox) or queued (outbox).</param>
public sealed record DeadLetter(DeadLetterQueue Queue, long Id, string Kind, string Platform, string? ChannelId, DateTimeOffset At, int Attempts, string? LastError);

/// <summary>How many items are dead in each queue.</summary>
public sealed record DeadLetterCounts(long Inbox, long Outbox)
{
    public long Total => Inbox + Outbox;
}

/// <summary>Reads dead items and puts one back to work (the admin page, readiness and metrics).</summary>
public interface IDeadLetterStore
{
    Task<DeadLetterCounts> CountAsync(CancellationToken ct);

    /// <summary>The newest <paramref name="limit"/> dead items of both queues, newest first.</summary>
    Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, CancellationToken ct);

    /// <summary>
    /// Puts a dead item back to pending, due now, with its attempts reset, so the normal worker delivers it. False when
    /// it is not dead (already retried, or gone): a second click does nothing.
    /// </summary>
    Task<bool> RetryAsync(DeadLetterQueue queue, long id, CancellationToken ct);
}
