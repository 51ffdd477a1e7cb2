using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Inbox;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Interactions;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.Core.Timeline;
using ChatOpsIncident.Teams.Activities;
using ChatOpsIncident.Teams.Cards;
using ChatOpsIncident.Teams.Outbound;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Teams.Inbound;

/// <summary>
/// Processes stored Teams activities after the 200: commands, card clicks, reactions, message actions and
/// installations. Safe to run twice: the core dedupes by delivery id, captures by message, and every reply goes
/// through the outbox (or the delivery log) under a key derived from the activity.
/// </summary>
internal sealed partial class TeamsInboxHandler(
    IncidentService service,
    IncidentInteractions interactions,
    TimelineCapture timeline,
    CommandParser parser,
    IOutbox outbox,
    OutboxSignal outboxSignal,
    IConversationStore store,
    ConnectorClient connector,
    IncidentLocator locator,
    CardConversationGuard guard,
    IOptions<TeamsOptions> options,
    TimeProvider time,
    ILogger<TeamsInboxHandler> logger) : IInboxHandler
{
    private static readonly ConcurrentDictionary<string, string> AadIds = new(StringComparer.Ordinal);

    public string Platform => TeamsChatPlatform.PlatformName;

    [GeneratedRegex(@"<[^>]+>", RegexOptions.CultureInvariant)]
    private static partial Regex Tags();

    public async Task HandleAsync(InboxItem item, CancellationToken ct)
    {
        var activity = TeamsJson.Parse(item.Payload);
        await RememberConversationAsync(activity, ct);
        switch (activity.Type)
        {
            case ActivityTypes.Message when CardAction.From(activity) is { } submit:
                await CardActionAsync(activity, submit, item.DeliveryId, ct);
                break;
            case ActivityTypes.Message:
                await CommandAsync(activity, item.DeliveryId, ct);
                break;
            case ActivityTypes.Invoke when activity.Name == InvokeNames.AdaptiveCardAction:
                if (CardAction.From(activity) is { Automatic: false } action)
                {
                    await CardActionAsync(activity, action, item.DeliveryId, ct);
                }

                break;
            case ActivityTypes.Invoke when activity.Name == InvokeNames.SubmitAction:
                await MessageActionAsync(activity, ct);
                break;
            case ActivityTypes.MessageReaction:
                await ReactionAsync(activity, ct);
                break;
            case ActivityTypes.ConversationUpdate:
            case ActivityTypes.InstallationUpdate:
                await InstallationAsync(activity, ct);
                break;
            default:
                Log.Ignored(logger, activity.Type ?? "?", "no handler");
                break;
        }
    }

    private async Task CommandAsync(Activity activity, string deliveryId, CancellationToken ct)
    {
        if (activity.IsFromBotItself || activity.From?.Id is null)
        {
            return;
        }

        var ids = await ResolveMentionIdsAsync(activity, ct);
        var text = MentionText.ToCommandText(activity, a => ids.GetValueOrDefault(a.Id ?? "") ?? a.AadObjectId ?? a.Id ?? "");
        var actor = Actor(activity);
        var parsed = parser.ParseCommand(text, actor);
        if (!parsed.Ok)
        {
            await ReplyAsync(activity, deliveryId, null, ChatMessage.Plain(parsed.Error!), ct);
            return;
        }

        // "status INC-42" from any channel or the personal chat acts on INC-42 (found by the core, under the visibility rule).
        var ctx = Context(activity, actor, deliveryId).Referring(parsed) with { TimeZone = activity.SenderTimeZone };
        CommandResult result;
        try
        {
            result = await interactions.ExecuteAsync(ctx, parsed.Command!, ct);
        }
        catch (PermanentChatException ex)
        {
            await RefusedByTeamsAsync(activity, deliveryId, ex, ct);
            return;
        }

        switch (result.Form)
        {
            case OpenDeclareForm:
                await SendFormAsync(activity, deliveryId, ChatForms.Declare, null, ct);
                break;
            case OpenUpdateForm when result.Incident is not null && ctx.ByReference && activity.Conversation?.ConversationType != "personal":
                // A form card is posted where it was asked for, for all to see: another incident's form stays out of a
                // shared channel (its title could be private); the person is told privately how to post instead.
                await RespondPrivatelyAsync(activity, deliveryId, result.Incident.Id,
                    ChatMessage.Plain($"Write the update here, or open the form in the bot's personal chat: update {result.Incident.PublicId} [investigating|identified|monitoring] <text>"), ct);
                break;
            case OpenUpdateForm when result.Incident is not null:
                await SendFormAsync(activity, deliveryId, ChatForms.Update, result.Incident.Id, ct);
                break;
            default:
                if (result.Reply is not null && ctx.ByReference)
                {
                    // Teams has no ephemeral message: an answer about another incident goes to the person's 1:1 chat,
                    // not into the channel it was asked in (the personal chat itself is answered in place).
                    await RespondPrivatelyAsync(activity, deliveryId, result.Incident?.Id, result.Reply, ct);
                }
                else if (result.Reply is not null)
                {
                    await ReplyAsync(activity, deliveryId, result.Incident?.Id, result.Reply, ct);
                }

                break;
        }
    }

    /// <summary>A private answer (<see cref="TeamsChatPlatform.RespondAsync"/>), under the same key as the normal reply.</summary>
    private async Task RespondPrivatelyAsync(Activity activity, string deliveryId, Guid? incidentId, ChatMessage reply, CancellationToken ct)
    {
        if (activity.Conversation?.Id is not { } conversation || activity.From?.Id is not { Length: > 0 } from)
        {
            return;
        }

        await outbox.EnqueueAsync(
            [new OutboxMessage($"teams:reply:{deliveryId}", incidentId ?? Guid.Empty, Platform, OutboxOperations.Respond, conversation)
            {
                Message = reply,
                // The Connector id (29:…) opens a 1:1 chat; the Entra object id alone does not.
                Users = [new UserRef(from, activity.From.Name)],
            }],
            ct);
        outboxSignal.Notify();
    }

    private async Task CardActionAsync(Activity activity, CardAction action, string deliveryId, CancellationToken ct)
    {
        var actor = Actor(activity);
        var ctx = Context(activity, actor, deliveryId);
        if (await guard.RefusedAsync(activity, action, ct) is { } refused)
        {
            // The id in a card's data comes back from the client as sent: a click naming another incident than the cards
            // of this conversation is treated as a number that does not exist, and changes nothing.
            Log.CardActionRefused(logger, refused, activity.Conversation?.Id ?? "");
            await ReplyAsync(activity, deliveryId, null, ChatMessage.Plain(CardConversationGuard.Refusal), ct);
            return;
        }

        CommandResult result;
        switch (action.Action)
        {
            case AdaptiveCards.UpdateSubmit when ButtonValues.TryParse(action.Value, 1, out var id, out _):
                var update = IncidentInteractions.ReadUpdate(action.UpdateForm());
                result = update.Command is { } command
                    ? await service.ExecuteOnAsync(ctx, id, command, ct)
                    : CommandResult.Refuse(FormErrorText.Reply(update.Errors[0], interactions.Options));
                break;
            case AdaptiveCards.DeclareSubmit:
                var declare = interactions.ReadDeclare(action.DeclareForm());
                if (declare.Command is null)
                {
                    result = CommandResult.Refuse(FormErrorText.Reply(declare.Errors[0], interactions.Options));
                    break;
                }

                try
                {
                    result = await interactions.DeclareOnceAsync(ctx, declare.Command, ct);
                }
                catch (PermanentChatException ex)
                {
                    await RefusedByTeamsAsync(activity, deliveryId, ex, ct);
                    return;
                }

                break;
            default:
                if (interactions.Decode(action.Action, action.Value, actor) is not { } intent)
                {
                    result = CommandResult.Refuse("That button is not one the incident bot knows (the card may be out of date).");
                    break;
                }

                result = await interactions.ClickAsync(ctx, intent, ct);
                if (result.Form is OpenUpdateForm && result.Incident is { } incident)
                {
                    await SendFormAsync(activity, deliveryId, ChatForms.Update, incident.Id, ct);
                    return;
                }

                break;
        }

        if (result.Reply is not null)
        {
            await ReplyAsync(activity, deliveryId, result.Incident?.Id, result.Reply, ct);
        }
    }

    private async Task MessageActionAsync(Activity activity, CancellationToken ct)
    {
        var action = activity.Value is { ValueKind: JsonValueKind.Object } v ? v.Deserialize<MessagingExtensionAction>(TeamsJson.Options) : null;
        var payload = action?.MessagePayload;
        if (payload?.Id is null || activity.ChannelKey is not { } channel)
        {
            Log.Ignored(logger, "composeExtension/submitAction", "no message payload");
            return;
        }

        var incident = await locator.ForMessageActionAsync(activity, action!, ct);
        if (incident is null)
        {
            Log.Ignored(logger, "composeExtension/submitAction", "no incident for the message");
            return;
        }

        var user = payload.From?.User;
        var author = user?.Id is null ? null : new UserRef(user.Id, MentionText.Clean(user.DisplayName));
        var text = PlainText(payload.Body);
        var source = new SourceRef(Platform, channel, payload.Id, payload.LinkToMessage, payload.ReplyToId);
        var postedAt = payload.CreatedDateTime ?? activity.Timestamp ?? time.GetUtcNow();
        await timeline.CaptureAsync(incident, new CapturedMessage(source, author, text.Length == 0 ? "(message without text)" : text, postedAt), Actor(activity), ct);
    }

    private async Task ReactionAsync(Activity activity, CancellationToken ct)
    {
        var wanted = options.Value.TimelineReactions;
        var added = activity.ReactionsAdded ?? [];
        if (!added.Any(r => wanted.Count == 0 || wanted.Contains(r.Type ?? "", StringComparer.OrdinalIgnoreCase)))
        {
            Log.Ignored(logger, ActivityTypes.MessageReaction, "no timeline reaction added");
            return;
        }

        if (activity.ChannelKey is not { } channel || activity.ReplyToId is not { } messageId)
        {
            Log.Ignored(logger, ActivityTypes.MessageReaction, "not in an incident channel");
            return;
        }

        var thread = activity.Conversation?.Id is { } c && Conversations.IsThread(c) ? c[(c.IndexOf('=', StringComparison.Ordinal) + 1)..] : null;
        var source = new SourceRef(Platform, channel, messageId, Permalink(channel, messageId, thread), thread);
        switch (await timeline.CaptureAsync(source, Actor(activity), ct))
        {
            case CaptureOutcome.NotAnIncidentChannel:
                Log.Ignored(logger, ActivityTypes.MessageReaction, "not in an incident channel");
                break;
            case CaptureOutcome.MessageMissing:
                Log.Ignored(logger, ActivityTypes.MessageReaction, "the reacted message is not one the bot posted");
                break;
        }
    }

    private async Task InstallationAsync(Activity activity, CancellationToken ct)
    {
        var team = activity.ChannelData?.Team;
        var botId = activity.Recipient?.Id;
        var eventType = activity.ChannelData?.EventType ?? "";
        var added = activity.Type == ActivityTypes.InstallationUpdate
            ? activity.Action?.StartsWith("add", StringComparison.OrdinalIgnoreCase) == true
            : activity.MembersAdded?.Any(m => m.Id == botId) == true;
        var removed = activity.Type == ActivityTypes.InstallationUpdate
            ? activity.Action?.StartsWith("remove", StringComparison.OrdinalIgnoreCase) == true
            : activity.MembersRemoved?.Any(m => m.Id == botId) == true
              || eventType.Equals("teamDeleted", StringComparison.OrdinalIgnoreCase)
              || eventType.Equals("teamHardDeleted", StringComparison.OrdinalIgnoreCase);
        if (team?.Id is null)
        {
            return;
        }

        if (added)
        {
            await store.UpsertInstallationAsync(new TeamInstallation(team.Id, team.AadGroupId, team.Name, activity.TenantId, activity.ServiceUrl!), ct);
            Log.TeamInstalled(logger, team.Name ?? team.Id);
        }
        else if (removed)
        {
            await store.MarkInstallationRemovedAsync(team.Id, ct);
            Log.TeamRemoved(logger, team.Name ?? team.Id);
        }
        else if (eventType.Equals("teamRenamed", StringComparison.OrdinalIgnoreCase) || eventType.Equals("teamRestored", StringComparison.OrdinalIgnoreCase)
            || eventType.Equals("teamUnarchived", StringComparison.OrdinalIgnoreCase))
        {
            await store.UpsertInstallationAsync(new TeamInstallation(team.Id, team.AadGroupId, team.Name, activity.TenantId, activity.ServiceUrl!), ct);
        }
    }

    /// <summary>Every authenticated activity refreshes how to reach its conversation (the service URL can move).</summary>
    private async Task RememberConversationAsync(Activity activity, CancellationToken ct)
    {
        var eventType = activity.ChannelData?.EventType ?? "";
        if (activity.ChannelKey is not { } channel || activity.ServiceUrl is null || eventType.Equals("channelDeleted", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var kind = activity.Conversation?.ConversationType ?? (Conversations.IsChannel(channel) ? "channel" : null);
        var team = activity.ChannelData?.Team;
        await store.UpsertConversationAsync(new ConversationReference(
            channel, activity.ServiceUrl, activity.TenantId, team?.Id, team?.AadGroupId, kind,
            activity.ChannelData?.Channel?.Name ?? activity.Conversation?.Name), ct);
    }

    /// <summary>Mention entities carry the bot-specific 29: id; the core keys users by Entra object id where one exists.</summary>
    private async Task<Dictionary<string, string>> ResolveMentionIdsAsync(Activity activity, CancellationToken ct)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mentioned in (activity.Entities ?? []).Where(e => e.Type == "mention").Select(e => e.Mentioned))
        {
            if (mentioned?.Id is not { } id || id == activity.Recipient?.Id || mentioned.AadObjectId is not null)
            {
                continue;
            }

            if (!AadIds.TryGetValue(id, out var aad) && activity.ServiceUrl is { } serviceUrl && activity.Conversation?.Id is { } conversation)
            {
                var member = await connector.GetMemberAsync(serviceUrl, Conversations.RootOf(conversation)!, id, ct);
                if (member?.AadObjectId is { Length: > 0 } found)
                {
                    aad = AadIds[id] = found;
                }
            }

            if (aad is not null)
            {
                ids[id] = aad;
            }
        }

        return ids;
    }

    /// <summary>
    /// Teams or Graph refused for good (no team to create the channel in, no Entra owner for a private channel, a 403):
    /// retrying cannot help, so the user hears why instead of silence. Our own messages only, never a response body.
    /// </summary>
    private async Task RefusedByTeamsAsync(Activity activity, string deliveryId, PermanentChatException ex, CancellationToken ct)
    {
        Log.CommandRefusedByTeams(logger, ex.Message);
        await ReplyAsync(activity, deliveryId, null, ChatMessage.Plain($"⚠️ Teams could not do that: {ex.Message}"), ct);
    }

    private async Task ReplyAsync(Activity activity, string deliveryId, Guid? incidentId, ChatMessage reply, CancellationToken ct)
    {
        if (activity.Conversation?.Id is not { } conversation)
        {
            return;
        }

        await outbox.EnqueueAsync(
            [new OutboxMessage($"teams:reply:{deliveryId}", incidentId ?? Guid.Empty, Platform, OutboxOperations.Post, conversation) { Message = reply }],
            ct);
        outboxSignal.Notify();
    }

    private async Task SendFormAsync(Activity activity, string deliveryId, string form, Guid? incidentId, CancellationToken ct)
    {
        if (activity.Conversation?.Id is not { } conversation)
        {
            return;
        }

        // Through the outbox like every reply (the card is rendered when sent): a slow Bot Framework endpoint holds up
        // only this form, never the inbox worker; the key sends it once however often the delivery runs.
        await outbox.EnqueueAsync(
            [new OutboxMessage($"teams:form:{deliveryId}", incidentId ?? Guid.Empty, Platform, OutboxOperations.Form, conversation) { Text = form }],
            ct);
        outboxSignal.Notify();
    }

    private static CommandContext Context(Activity activity, UserRef actor, string deliveryId) =>
        new(TeamsChatPlatform.PlatformName, Surfaces.Teams, actor, activity.ChannelKey, deliveryId);

    internal static UserRef Actor(Activity activity)
    {
        var from = activity.From ?? new ChannelAccount();
        return new UserRef(from.AadObjectId ?? from.Id ?? "unknown", MentionText.Clean(from.Name));
    }

    private static string PlainText(MessagePayloadBody? body)
    {
        var content = body?.Content ?? "";
        if (!string.Equals(body?.ContentType, "html", StringComparison.OrdinalIgnoreCase))
        {
            return content.Trim();
        }

        var text = content.Replace("<br>", "\n", StringComparison.OrdinalIgnoreCase).Replace("</p>", "\n", StringComparison.OrdinalIgnoreCase);
        return WebUtility.HtmlDecode(Tags().Replace(text, "")).Trim();
    }

    private static string Permalink(string channelId, string messageId, string? thread) =>
        $"https://teams.microsoft.com/l/message/{Uri.EscapeDataString(channelId)}/{Uri.EscapeDataString(messageId)}" + (thread is null ? "" : $"?parentMessageId={Uri.EscapeDataString(thread)}");
}
