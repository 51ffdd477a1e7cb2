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
