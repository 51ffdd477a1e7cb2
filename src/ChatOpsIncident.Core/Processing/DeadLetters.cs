namespace ChatOpsIncident.Core.Processing;

/// <summary>
/// Told when an inbox or outbox item gives up for good, after it is marked dead, so someone hears about it instead of
/// only a log line. Must not throw: a failure here is logged and the item stays dead.
/// </summary>
public interface IDeadLetterObserver
{
    Task InboxItemDiedAsync(Inbox.InboxItem item, string error, CancellationToken ct);

    Task OutboxItemDiedAsync(Chat.OutboxMessage message, string error, CancellationToken ct);
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
