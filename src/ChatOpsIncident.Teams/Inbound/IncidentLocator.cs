using System.Globalization;
using System.Text.Json;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Privacy;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.Teams.Activities;
using ChatOpsIncident.Teams.Outbound;

namespace ChatOpsIncident.Teams.Inbound;

/// <summary>Which incident a message action is about: the incident channel it was used in, or the number the user typed.</summary>
internal sealed class IncidentLocator(IIncidentStore incidents)
{
    public const string IncidentParameter = "incident";

    public async Task<Incident?> ForMessageActionAsync(Activity activity, MessagingExtensionAction action, CancellationToken ct)
    {
        if (activity.ChannelKey is { } channel && await incidents.FindByChannelAsync(TeamsChatPlatform.PlatformName, channel, ct) is { } here)
        {
            return here;
        }

        if (ParseNumber(Typed(action)) is not { } number || await incidents.GetByNumberAsync(number, ct) is not { } record)
        {
            return null;
        }

        // By number the action reaches any incident: a private one the actor cannot see does not exist for them (counting
        // up must not print private titles, and writing on its timeline would be writing into something they cannot read).
        var actor = TeamsInboxHandler.Actor(activity);
        return IncidentVisibility.CanSee(record, Viewer.ChatUser(TeamsChatPlatform.PlatformName, actor.Id, activity.ChannelKey)) ? record.Incident : null;
    }

    /// <summary>The incident number the user typed into the action's form, if any.</summary>
    public static string? Typed(MessagingExtensionAction action) =>
        action.Data is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty(IncidentParameter, out var p) && p.ValueKind == JsonValueKind.String
            ? p.GetString()
            : null;

    /// <summary>"INC-12", "inc12", "#12" or "12" → 12.</summary>
    public static int? ParseNumber(string? text)
    {
        var t = text?.Trim().TrimStart('#');
        if (string.IsNullOrEmpty(t))
        {
            return null;
        }

        if (t.StartsWith("INC", StringComparison.OrdinalIgnoreCase))
        {
            t = t[3..].TrimStart('-', ' ');
        }

        return int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
    }
}
