using System.Globalization;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Slack.Outbound;

/// <summary>Slack channel-name rules (conversations.create): lowercase a-z, 0-9, '-' and '_', at most 80 characters.</summary>
internal static class SlackChannelNames
{
    public const int MaxLength = 80;

    /// <summary><c>inc-42-checkout-5xx-after-deploy</c>.</summary>
    public static string For(ChannelNameRequest request) => request.Slugged(MaxLength);

    /// <summary>The name with a numeric suffix, still within the length limit (for name collisions).</summary>
    public static string WithSuffix(string name, int suffix)
    {
        var tail = "-" + suffix.ToString(CultureInfo.InvariantCulture);
        return (name.Length + tail.Length > MaxLength ? name[..(MaxLength - tail.Length)].TrimEnd('-') : name) + tail;
    }
}
