using System.Text.Json;
using ChatOpsIncident.Core.Interactions;
using ChatOpsIncident.Teams.Activities;

namespace ChatOpsIncident.Teams.Inbound;

/// <summary>
/// A click on one of our cards, whichever way it came: an <c>adaptiveCard/action</c> invoke (Action.Execute: the verb,
/// plus data merged with the card's inputs) or a <c>message</c> whose value is the data (Action.Submit fallback).
/// </summary>
internal sealed record CardAction(string Action, string Value, IReadOnlyDictionary<string, string> Inputs, bool Automatic)
{
    public string? Input(string name) => Inputs.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    public static CardAction? From(Activity activity)
    {
        if (activity.Value is not { ValueKind: JsonValueKind.Object } value)
        {
            return null;
        }

        if (activity.Type == ActivityTypes.Invoke)
        {
            if (!value.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var data = action.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
            var verb = String(action, "verb") ?? (data.ValueKind == JsonValueKind.Object ? String(data, "action") : null);
            var automatic = string.Equals(String(value, "trigger"), "automatic", StringComparison.OrdinalIgnoreCase);
            return verb is null ? null : new CardAction(verb, data.ValueKind == JsonValueKind.Object ? String(data, "value") ?? "" : "", Flatten(data), automatic);
        }

        return String(value, "action") is { } submitted
            ? new CardAction(submitted, String(value, "value") ?? "", Flatten(value), Automatic: false)
            : null;
    }

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) ? p.ValueKind switch
        {
            JsonValueKind.String => p.GetString(),
            JsonValueKind.Number => p.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        } : null;

    private static Dictionary<string, string> Flatten(JsonElement data)
    {
        var inputs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (data.ValueKind != JsonValueKind.Object)
        {
            return inputs;
        }

        foreach (var p in data.EnumerateObject())
        {
            if (String(data, p.Name) is { } s)
            {
                inputs[p.Name] = s;
            }
        }

        return inputs;
    }

    /// <summary>The card's inputs as Core's neutral declare form (the inputs are named after the fields).</summary>
    public DeclareForm DeclareForm() => new(
        Input(FormFields.Title), Input(FormFields.Severity), Input(FormFields.Type),
        string.Equals(Input(FormFields.Private), "true", StringComparison.OrdinalIgnoreCase), Input(FormFields.Description));

    public UpdateForm UpdateForm() => new(Input(FormFields.Status), Input(FormFields.Text));
}
