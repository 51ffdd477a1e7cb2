using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Inbox;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Sandbox.Outbound;
using ChatOpsIncident.Sandbox.Rendering;

namespace ChatOpsIncident.Sandbox.Inbound;

/// <summary>
/// Tells the sender of a dead workspace delivery, privately, in the channel they acted in. The answer shares the key of
/// the delivery's normal answer, so nobody is told twice.
/// </summary>
internal sealed class SandboxDeadInboxReplies : IDeadInboxReplies
{
    public string Platform => SandboxChatPlatform.PlatformName;

    public OutboxMessage? ReplyFor(InboxItem item, ChatMessage message)
    {
        SandboxDelivery? delivery;
        try
        {
            delivery = SandboxJson.Read<SandboxDelivery>(item.Payload);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }

        return delivery is null ? null : new OutboxMessage($"sandbox:respond:{item.DeliveryId}", Guid.Empty, Platform, OutboxOperations.Respond, delivery.ChannelId)
        {
            Message = message,
            Users = [new UserRef(delivery.User, delivery.User)],
        };
    }
}
