using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Interactions;
using ChatOpsIncident.Teams.Activities;
using ChatOpsIncident.Teams.Cards;

namespace ChatOpsIncident.Teams.Inbound;

/// <summary>
/// The synchronous answer to an invoke. Teams shows it at once, so it only acknowledges: the state change itself
/// runs from the inbox (stored before this answer), where it is idempotent, retried and never lost. The answer
/// comes from read-only lookups so it tells the user the truth about where their click or message is going.
/// </summary>
internal sealed class InvokeResponder(IncidentLocator locator, IncidentInteractions interactions, CardConversationGuard guard)
{
    private const string MessageType = "application/vnd.microsoft.activity.message";
    private const string ErrorType = "application/vnd.microsoft.error";

    public async Task<(int Status, JsonObject Body)> RespondAsync(Activity activity, CancellationToken ct) => activity.Name switch
    {
        InvokeNames.AdaptiveCardAction => (200, await CardActionAnswerAsync(activity, ct)),
        InvokeNames.SubmitAction => (200, await MessageActionAnswerAsync(activity, ct)),
        _ => (200, new JsonObject()),
    };

    public static bool Handles(string? name) => name is InvokeNames.AdaptiveCardAction or InvokeNames.SubmitAction;

    private async Task<JsonObject> CardActionAnswerAsync(Activity activity, CancellationToken ct)
    {
        var action = CardAction.From(activity);
        if (action is null)
        {
            return Error(400, "BadRequest", "This card action is not one the incident bot knows.");
        }

        // The same conversation rule the processed action applies: a click it will refuse is answered with the refusal,
        // never with "You are taking the role…".
        if (await guard.RefusedAsync(activity, action, ct) is not null)
        {
            return Message(CardConversationGuard.Refusal);
        }

        return action.Action switch
        {
            ChatActions.ClaimRole when ButtonValues.TryParse(action.Value, 2, out _, out var rest) =>
                Message($"You are taking the {interactions.Options.FindRole(rest[0])?.Name ?? rest[0]} role; the card updates in a moment."),
            ChatActions.ToggleChecklist when ButtonValues.TryParse(action.Value, 3, out _, out _) => Message("Checklist updated; the card refreshes in a moment."),
            ChatActions.OpenUpdateForm => Message("The status-update form is on its way in this thread."),
            ChatActions.Snooze => Message("Snoozing the update reminder."),
            ChatActions.Resolve => Message("Resolving: the recovery checklist comes first if it is not answered."),
            ChatActions.AlertDeclare => Message("Declaring an incident from the alert; its channel opens in a moment."),
            ChatActions.AlertAttach => Message("Attaching the alert to the incident."),
            ChatActions.AlertDismiss => Message("Dismissing the alert."),
            ChatActions.Acknowledge => Message("Acknowledging the incident."),
            AdaptiveCards.UpdateSubmit => IncidentInteractions.ReadUpdate(action.UpdateForm()) switch
            {
                { Command: { } update } => Card(Submitted("📣 Status update submitted", update.Text)),
                var refused => Error(400, "BadRequest", FormErrorText.Answer(refused.Errors[0], interactions.Options)),
            },
            AdaptiveCards.DeclareSubmit => interactions.ReadDeclare(action.DeclareForm()) switch
            {
                { Command: { } declare } => Card(Submitted("🚨 Declaring the incident", declare.Title)),
                var refused => Error(400, "BadRequest", FormErrorText.Answer(refused.Errors[0], interactions.Options)),
            },
            _ => Error(400, "BadRequest", "This card action is not one the incident bot knows."),
        };
    }

    private async Task<JsonObject> MessageActionAnswerAsync(Activity activity, CancellationToken ct)
    {
        var action = activity.Value is { ValueKind: JsonValueKind.Object } v ? v.Deserialize<MessagingExtensionAction>(TeamsJson.Options) : null;
        if (action?.MessagePayload?.Id is null)
        {
            return Task("There is no message to add: use this action from a message's ••• menu.");
        }

        var incident = await locator.ForMessageActionAsync(activity, action, ct);
        if (incident is null && IncidentLocator.ParseNumber(IncidentLocator.Typed(action)) is { } number)
        {
            // The same answer for a number that does not exist and a private incident the actor cannot see.
            return Task($"INC-{number} was not found.");
        }

        return incident is null
            ? Task("This is not an incident channel: enter the incident number (for example INC-12) to add the message to its timeline.")
            : Task($"📌 Added to the timeline of {incident.PublicId}: {incident.Title}");
    }

    private static JsonObject Submitted(string title, string text) =>
        AdaptiveCards.Render(new ChatMessage(text) { Title = title, Sections = [new(Text: text)], Context = "Thanks — the incident channel shows the result." });

    private static JsonObject Message(string text) => new() { ["statusCode"] = 200, ["type"] = MessageType, ["value"] = text };

    private static JsonObject Card(JsonObject card) => new() { ["statusCode"] = 200, ["type"] = AdaptiveCards.ContentType, ["value"] = card };

    private static JsonObject Error(int status, string code, string message) => new()
    {
        ["statusCode"] = status,
        ["type"] = ErrorType,
        ["value"] = new JsonObject { ["code"] = code, ["message"] = message },
    };

    private static JsonObject Task(string text) => new() { ["task"] = new JsonObject { ["type"] = "message", ["value"] = text } };
}
