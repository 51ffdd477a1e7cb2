using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Storage;
using Microsoft.Extensions.Options;
using ChatOpsIncident.Teams.Activities;
using ChatOpsIncident.Teams.Cards;
using ChatOpsIncident.Teams.Outbound;

namespace ChatOpsIncident.Teams.Inbound;

/// <summary>
/// A card action may act on an incident only from the incident's own channel, or from a conversation where the bot
/// posted a card about it (the clicked message is one of ours there, stored with that incident's id). An alert card's
/// buttons name an alert group, not an incident: they act only from the feed channel, on a message the bot posted
/// there about no incident (where alert cards go). One check for both the immediate invoke answer and the processed
/// action, so the answer never promises what processing refuses.
/// </summary>
internal sealed class CardConversationGuard(IIncidentStore incidents, IConversationStore store, IOptions<TeamsOptions> options)
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

        if (action.Action is ChatActions.AlertDeclare or ChatActions.AlertAttach or ChatActions.AlertDismiss)
        {
            return await AlertCardRefusedAsync(activity, ct);
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

        var clicked = Clicked(activity);
        var sent = clicked is null ? null : await store.FindMessageAsync(channel, clicked, ct);
        return sent?.IncidentId == record.Incident.Id ? null : record.Incident.PublicId;
    }

    /// <summary>
    /// Alert cards go to the feed channel only, posted about no incident yet: a click from anywhere else, or on a message
    /// that is not ours (or is an incident's card), is forged. The group it names is checked again when it runs (gone,
    /// already declared); an Attach target goes through the visibility rule there.
    /// </summary>
    private async Task<string?> AlertCardRefusedAsync(Activity activity, CancellationToken ct)
    {
        var feed = options.Value.FeedChannel;
        var channel = activity.ChannelKey;
        if (string.IsNullOrWhiteSpace(feed) || channel is null || !string.Equals(channel, feed.Trim(), StringComparison.Ordinal))
        {
            return "";
        }

        var clicked = Clicked(activity);
        var sent = clicked is null ? null : await store.FindMessageAsync(channel, clicked, ct);
        return sent is { IncidentId: null } ? null : "";
    }

    /// <summary>The id of the clicked message: the invoke's replyToId, else the thread root in the conversation id.</summary>
    private static string? Clicked(Activity activity) =>
        activity.ReplyToId ?? (activity.Conversation?.Id is { } c && Conversations.IsThread(c) ? c[(c.IndexOf('=', StringComparison.Ordinal) + 1)..] : null);
}
