using System.Text.Json;

namespace ChatOpsIncident.Slack.Inbound;

/// <summary>
/// The inbox order key of a Slack delivery: the channel it is about. Deliveries for one channel (commands, reactions
/// added and removed, button clicks, form submissions) are applied one at a time in arrival order, on every replica,
/// so a 📌 removed right after it was added is never applied first. Null when no channel is named: runs unordered.
/// </summary>
internal static class SlackOrderKeys
{
    public static string? For(string? channelId) => string.IsNullOrEmpty(channelId) ? null : $"slack:{channelId}";

    /// <summary>Reactions name their channel on the reacted item; pins as channel_id; edits and deletions as channel.</summary>
    public static string? ForEvent(JsonElement ev) => For(SlackEndpoints.Str(ev, "type") switch
    {
        "reaction_added" or "reaction_removed" => SlackEndpoints.Str(ev, "item", "channel"),
        "pin_added" or "pin_removed" => SlackEndpoints.Str(ev, "channel_id"),
        _ => SlackEndpoints.Str(ev, "channel"),
    });

    /// <summary>A click names the channel of its message; a form submission the channel it was opened from.</summary>
    public static string? ForInteraction(JsonElement root) => For(
        SlackEndpoints.Str(root, "type") == "view_submission" && root.TryGetProperty("view", out var view)
            ? SlackModals.Origin(view).ChannelId
            : SlackEndpoints.Str(root, "channel", "id") ?? SlackEndpoints.Str(root, "container", "channel_id"));
}
