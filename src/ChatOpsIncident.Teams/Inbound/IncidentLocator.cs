using System.Globalization;
using System.Text.Json;
using ChatOpsIncident.Core.Incidents;
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

        var typed = action.Data is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty(IncidentParameter, out var p) && p.ValueKind == JsonValueKind.String
            ? p.GetString()
            : null;
        return ParseNumber(typed) is { } number ? (await incidents.GetByNumberAsync(number, ct))?.Incident : null;
    }

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
