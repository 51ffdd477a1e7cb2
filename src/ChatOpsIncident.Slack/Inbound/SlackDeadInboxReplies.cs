using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Inbox;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Slack.Outbound;

namespace ChatOpsIncident.Slack.Inbound;

/// <summary>
/// Finds the sender of a dead Slack delivery. The answer shares the key of the delivery's normal answer, so someone
/// who was already told why (e.g. "Slack refused part of that") is not told twice.
/// </summary>
internal sealed class SlackDeadInboxReplies : IDeadInboxReplies
{
    public string Platform => SlackChatPlatform.PlatformName;

    public OutboxMessage? ReplyFor(InboxItem item, ChatMessage message) => SlackInboxHandler.SenderOf(item)?.ToOutbox(message);
}
