using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.Teams.Activities;
using ChatOpsIncident.Teams.Cards;
using ChatOpsIncident.Teams.Outbound;

namespace ChatOpsIncident.Teams.Inbound;

/// <summary>
/// A card action may act on an incident only from the incident's own channel, or from a conversation where the bot
/// posted a card about it (the clicked message is one of ours there, stored with that incident's id). One check for
/// both the immediate invoke answer and the processed action, so the answer never promises what processing refuses.
/// </summary>
internal sealed class CardConversationGuard(IIncidentStore incidents, IConversationStore store)
{
    /// <summary>The answer to a click the guard refuses: the same as for an incident that does not exist.</summary>
    public const string Refusal = "That incident was not found.";

    /// <summary>Null when the click may act; otherwise the public id of the incident it named (or "" if unknown).</summary>
    public async Task<string?> RefusedAsync(Activity activity, CardAction action, CancellationToken ct)
    {
        if (action.Action == AdaptiveCards.DeclareSubmit)
        {
            // Declaring names no incident to protect.
            return null;
        }

        var value = action.Value ?? "";
        var bar = value.IndexOf('|', StringComparison.Ordinal);
        if (!Guid.TryParse(bar < 0 ? value : value[..bar], out var incidentId))
        {
            // No incident in the data: the action is refused later as unknown, or names no incident to protect.
            return null;
        }

        var channel = activity.ChannelKey;
        var record = await incidents.GetAsync(incidentId, ct);
        if (record is null || channel is null)
        {
            return record?.Incident.PublicId ?? "";
        }

        if (string.Equals(record.Incident.Platform, TeamsChatPlatform.PlatformName, StringComparison.OrdinalIgnoreCase) && record.Incident.ChannelId == channel)
        {
            return null;
        }

        var clicked = activity.ReplyToId ?? (activity.Conversation?.Id is { } c && Conversations.IsThread(c) ? c[(c.IndexOf('=', StringComparison.Ordinal) + 1)..] : null);
        var sent = clicked is null ? null : await store.FindMessageAsync(channel, clicked, ct);
        return sent?.IncidentId == record.Incident.Id ? null : record.Incident.PublicId;
    }
}
