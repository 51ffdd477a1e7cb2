using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Inbox;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Teams.Activities;
using ChatOpsIncident.Teams.Outbound;

namespace ChatOpsIncident.Teams.Inbound;

/// <summary>
/// Finds the person behind a dead Teams activity (a typed command, a card click or form, a message action) and
/// answers them privately (<see cref="TeamsChatPlatform.RespondAsync"/>). The answer shares the key of the activity's
/// normal reply, so someone who was already told why is not told twice. Reactions and installations have nobody to answer.
/// </summary>
internal sealed class TeamsDeadInboxReplies : IDeadInboxReplies
{
    public string Platform => TeamsChatPlatform.PlatformName;

    public OutboxMessage? ReplyFor(InboxItem item, ChatMessage message)
    {
        var activity = TeamsJson.Parse(item.Payload);
        var fromAPerson = activity.Type == ActivityTypes.Message
            || (activity.Type == ActivityTypes.Invoke && activity.Name is InvokeNames.AdaptiveCardAction or InvokeNames.SubmitAction);
        if (!fromAPerson || activity.IsFromBotItself || activity.From?.Id is not { Length: > 0 } from || activity.Conversation?.Id is not { Length: > 0 } conversation)
        {
            return null;
        }

        return new OutboxMessage($"teams:reply:{item.DeliveryId}", Guid.Empty, Platform, OutboxOperations.Respond, conversation)
        {
            Message = message,
            // The Connector id (29:…) opens a 1:1 chat; the Entra object id alone does not.
            Users = [new UserRef(from, activity.From.Name)],
        };
    }
}
