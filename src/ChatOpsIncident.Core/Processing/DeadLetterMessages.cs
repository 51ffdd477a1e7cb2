using ChatOpsIncident.Core.Chat;

namespace ChatOpsIncident.Core.Processing;

/// <summary>What people are told when work gives up for good.</summary>
public static class DeadLetterMessages
{
    /// <summary>The sender of a command, click or form that failed for good (declaration included).</summary>
    public static ChatMessage CommandDied(string error) => ChatMessage.Plain(
        $"⚠️ That did not go through and will not be retried ({Reason(error)}). Nothing more will happen for it. "
        + "Try again in a few minutes; if it fails again, ask an admin to check the dead letters page (/admin/dead-letters).") with { Tone = MessageTone.Warning };

    /// <summary>Told in the incident channel: <paramref name="channel"/> never received a post.</summary>
    public static ChatMessage ChannelMissed(string channel, string code) => ChatMessage.Plain(code switch
    {
        "not_in_channel" => $"⚠️ The update did not reach {channel}: the bot is not in that channel — invite it with /invite @bot, then an admin can retry it from /admin/dead-letters.",
        "is_archived" => $"⚠️ The update did not reach {channel}: that channel is archived. Unarchive it or change the stakeholder channels.",
        _ => $"⚠️ The update did not reach {channel}: the channel was not found or the bot cannot see it. Check the stakeholder channel settings.",
    }) with { Tone = MessageTone.Warning };

    /// <summary>The platform error codes that mean a channel cannot be reached by the bot.</summary>
    public static string? UnreachableCode(string error) =>
        new[] { "not_in_channel", "channel_not_found", "is_archived" }.FirstOrDefault(c => error.Contains(c, StringComparison.Ordinal));

    // The exception type prefix says nothing to a person; the platform's own reason after it does.
    private static string Reason(string error)
    {
        var colon = error.IndexOf(": ", StringComparison.Ordinal);
        var reason = colon < 0 ? error : error[(colon + 2)..];
        return reason.Length > 200 ? reason[..200] + "…" : reason;
    }
}
