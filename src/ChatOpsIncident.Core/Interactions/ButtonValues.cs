using System.Globalization;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Interactions;

/// <summary>What a decoded button asks for: a command on one incident (<see cref="OpenUpdateForm"/> included).</summary>
public sealed record ButtonIntent(string ActionId, Guid IncidentId, IncidentCommand Command);

/// <summary>
/// The one codec for button values: <c>{incidentId}</c> followed by <c>|</c>-separated arguments, the same bytes on
/// Slack (the button's <c>value</c>) and Teams (the action's <c>data.value</c>). Message builders encode with it,
/// adapters decode with it; the action id itself is one of <see cref="ChatActions"/>.
/// </summary>
public static class ButtonValues
{
    private const char Separator = '|';

    /// <summary>Value of <see cref="ChatActions.OpenUpdateForm"/> and <see cref="ChatActions.Resolve"/>.</summary>
    public static string Incident(Guid incidentId) => incidentId.ToString();

    public static string ClaimRole(Guid incidentId, string roleKey) => $"{incidentId}{Separator}{roleKey}";

    public static string ToggleChecklist(Guid incidentId, string checklist, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{incidentId}{Separator}{checklist}{Separator}{index}");

    public static string Snooze(Guid incidentId, int minutes) =>
        string.Create(CultureInfo.InvariantCulture, $"{incidentId}{Separator}{minutes}");

    /// <summary>Splits a value of exactly <paramref name="parts"/> parts; false when the first is not an incident id.</summary>
    public static bool TryParse(string? value, int parts, out Guid incidentId, out string[] args)
    {
        var split = (value ?? "").Split(Separator);
        args = split[1..];
        return Guid.TryParse(split[0], CultureInfo.InvariantCulture, out incidentId) && split.Length == parts;
    }

    /// <summary>
    /// The command a click means, or null for a button the bot does not know (an old card, a tampered value). The
    /// clicking user takes a claimed role.
    /// </summary>
    public static ButtonIntent? Decode(string actionId, string? value, UserRef actor, IncidentOptions options)
    {
        var split = (value ?? "").Split(Separator);
        if (!Guid.TryParse(split[0], CultureInfo.InvariantCulture, out var incidentId))
        {
            return null;
        }

        var a = split[1..];
        IncidentCommand? command = (actionId, a.Length) switch
        {
            (ChatActions.ClaimRole, 1) when options.FindRole(a[0]) is { } role => new AssignRole(role.Key, actor),
            (ChatActions.ToggleChecklist, 2) when TryCount(a[1], out var index) => new ToggleChecklistItem(a[0], index),
            (ChatActions.Snooze, 1) when TryCount(a[0], out var minutes) => new SnoozeReminder(TimeSpan.FromMinutes(minutes)),
            (ChatActions.Resolve, 0) => new Resolve(null),
            (ChatActions.Acknowledge, 0) => new Acknowledge(),
            (ChatActions.OpenUpdateForm, 0) => new OpenUpdateForm(),
            // Alert cards: the first id is the alert group's (the card has no incident yet).
            (ChatActions.AlertDeclare, 0) => new Alerts.DeclareFromAlert(incidentId),
            (ChatActions.AlertAttach, 1) when Guid.TryParse(a[0], CultureInfo.InvariantCulture, out var attachTo) => new Alerts.AttachAlert(incidentId, attachTo),
            (ChatActions.AlertDismiss, 0) => new Alerts.DismissAlert(incidentId),
            _ => null,
        };
        return command is null ? null : new ButtonIntent(actionId, incidentId, command);
    }

    private static bool TryCount(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
