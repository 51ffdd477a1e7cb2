using System.Text.Json;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Inbox;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Interactions;
using ChatOpsIncident.Core.Timeline;
using ChatOpsIncident.Slack.Outbound;
using ChatOpsIncident.Slack.Rendering;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static ChatOpsIncident.Slack.Inbound.SlackEndpoints;

namespace ChatOpsIncident.Slack.Inbound;

/// <summary>
/// Processes acknowledged Slack deliveries after the ack: commands, timeline events, buttons and modal submissions.
/// Runs again after a crash (the inbox lease lapses), so everything here is idempotent: the core dedupes on the
/// delivery id, captures dedupe per message, and channel creation is idempotent per incident.
/// </summary>
internal sealed class SlackInboxHandler(
    IncidentService incidents,
    IncidentInteractions interactions,
    TimelineCapture timeline,
    CommandParser parser,
    SlackResponder responder,
    SlackIdentity identity,
    SlackUserZones zones,
    IOptions<SlackOptions> slackOptions,
    ILogger<SlackInboxHandler> logger) : IInboxHandler
{

    public string Platform => SlackChatPlatform.PlatformName;

    public Task HandleAsync(InboxItem item, CancellationToken ct) => item.Kind switch
    {
        SlackInboxKinds.Command => CommandAsync(item, ct),
        SlackInboxKinds.Event => EventAsync(item, ct),
        SlackInboxKinds.Interaction => InteractionAsync(item, ct),
        _ => throw new FormatException($"unknown Slack inbox kind '{item.Kind}'"),
    };

    private async Task CommandAsync(InboxItem item, CancellationToken ct)
    {
        var form = QueryHelpers.ParseQuery(item.Payload);
        string? F(string key) => form.TryGetValue(key, out var v) ? v.ToString() : null;
        var actor = new UserRef(F("user_id") ?? throw new FormatException("slash command without user_id"), F("user_name"));
        var channel = F("channel_id");
        await CommandTextAsync(actor, channel, F("text"), new ReplyTarget(F("response_url"), channel, actor.Id, item.DeliveryId), ct);
    }

    /// <summary>
    /// A typed command, from the slash command or a DM to the bot: in the channel it was typed in, or on the incident
    /// it names (<c>status INC-42</c>, resolved by the core). The answer is private; the incident's channel gets the
    /// command's public effects as always.
    /// </summary>
    private async Task CommandTextAsync(UserRef actor, string? channel, string? text, ReplyTarget target, CancellationToken ct)
    {
        var parsed = parser.ParseCommand(text, actor);
        if (!parsed.Ok)
        {
            await responder.ReplyAsync(target, ChatMessage.Plain(parsed.Error!), ct);
            return;
        }

        var ctx = new CommandContext(Platform, Surfaces.Slack, actor, channel, target.DeliveryId).Referring(parsed);
        if (parsed.Command is SetImpactStarted { InUserZone: true })
        {
            ctx = ctx with { TimeZone = await zones.ZoneOfAsync(actor.Id, ct) };
        }

        await RunAsync(target, () => interactions.ExecuteAsync(ctx, parsed.Command!, ct), ct);
    }

    /// <summary>A person's message in their DM with the bot, read as a command; "/incident" before it is allowed.</summary>
    private async Task DirectMessageAsync(JsonElement ev, string deliveryId, CancellationToken ct)
    {
        var channel = Str(ev, "channel")!;
        var user = Str(ev, "user")!;
        Log.DirectMessageCommand(logger, channel);
        var text = Str(ev, "text")!.Trim();
        if (text.StartsWith("/incident", StringComparison.OrdinalIgnoreCase) && (text.Length == 9 || char.IsWhiteSpace(text[9])))
        {
            text = text[9..];
        }

        await CommandTextAsync(new UserRef(user), channel, text, new ReplyTarget(null, channel, user, deliveryId), ct);
    }

    /// <summary>Runs a command and answers privately; when Slack refuses for good, the person hears why before the item dead-letters.</summary>
    private async Task RunAsync(ReplyTarget target, Func<Task<CommandResult>> run, CancellationToken ct)
    {
        CommandResult result;
        try
        {
            result = await run();
        }
        catch (SlackApiException ex)
        {
            await responder.ReplyAsync(target, ChatMessage.Plain($"⚠️ Slack refused part of that ({ex.Error}); nothing more will be retried. Ask an admin to check the app's scopes and settings."), ct);
            throw;
        }

        await ReplyAsync(target, result, ct);
    }

    private async Task ReplyAsync(ReplyTarget target, CommandResult result, CancellationToken ct)
    {
        var reply = result.Form switch
        {
            // Forms need a fresh trigger_id and open on the request path; one reaching here came too late.
            OpenUpdateForm => ChatMessage.Plain("Use the 'Post update' button on the incident card, or /incident update <text>."),
            OpenDeclareForm => ChatMessage.Plain("Run /incident declare again to open the form, or /incident declare sev2 <title>."),
            _ => result.Reply,
        };
        if (reply is not null)
        {
            await responder.ReplyAsync(target, reply, ct);
        }
    }

    /// <summary>Who sent a command, click or form and where a private answer reaches them; null for events (nobody to tell).</summary>
    internal static ReplyTarget? SenderOf(InboxItem item)
    {
        switch (item.Kind)
        {
            case SlackInboxKinds.Command:
                var form = QueryHelpers.ParseQuery(item.Payload);
                string? F(string key) => form.TryGetValue(key, out var v) ? v.ToString() : null;
                return F("user_id") is { Length: > 0 } user ? new ReplyTarget(F("response_url"), F("channel_id"), user, item.DeliveryId) : null;
            case SlackInboxKinds.Interaction:
                using (var doc = JsonDocument.Parse(item.Payload))
                {
                    var root = doc.RootElement;
                    if (Str(root, "user", "id") is not { Length: > 0 } actor)
                    {
                        return null;
                    }

                    if (root.TryGetProperty("view", out var view) && Str(root, "type") == "view_submission")
                    {
                        var origin = SlackModals.Origin(view);
                        return new ReplyTarget(origin.ResponseUrl, origin.ChannelId, actor, item.DeliveryId);
                    }

                    return new ReplyTarget(Str(root, "response_url"), Str(root, "channel", "id") ?? Str(root, "container", "channel_id"), actor, item.DeliveryId);
                }

            default:
                return null;
        }
    }

    private async Task EventAsync(InboxItem item, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(item.Payload);
        var ev = doc.RootElement.GetProperty("event");
        var emoji = slackOptions.Value.TimelineEmoji;
        if (IsDirectCommand(ev))
        {
            if (Str(ev, "user") != await identity.BotUserIdAsync(ct))
            {
                await DirectMessageAsync(ev, item.DeliveryId, ct);
            }

            return;
        }

        switch (Str(ev, "type"))
        {
            case "reaction_added" when Str(ev, "reaction") == emoji && Str(ev, "item", "type") == "message":
                // Each person's 📌 is one mark; the bot's own reaction never holds an entry.
                var reactor = Str(ev, "user");
                await CaptureAsync(Str(ev, "item", "channel"), Str(ev, "item", "ts"), thread: null, reactor,
                    reactor is null || reactor == await identity.BotUserIdAsync(ct) ? null : ReactionMarker(reactor), ct);
                break;
            case "pin_added":
                if (Str(ev, "user") is { } pinner && pinner == await identity.BotUserIdAsync(ct))
                {
                    // The bot pins its own kickoff card; that is not a timeline moment.
                    break;
                }

                await CaptureAsync(Str(ev, "item", "channel") ?? Str(ev, "channel_id"), Str(ev, "item", "message", "ts") ?? Str(ev, "item", "ts"),
                    Str(ev, "item", "message", "thread_ts"), Str(ev, "user"), PinMarker, ct);
                break;
            case "reaction_removed" when Str(ev, "reaction") == emoji:
                if (Str(ev, "user") is { } unreactor && unreactor == await identity.BotUserIdAsync(ct))
                {
                    break;
                }

                await UnmarkAsync(Str(ev, "item", "channel"), Str(ev, "item", "ts"), ReactionMarker(Str(ev, "user") ?? "unknown"), ct);
                break;
            case "pin_removed":
                await UnmarkAsync(Str(ev, "item", "channel") ?? Str(ev, "channel_id"), Str(ev, "item", "ts") ?? Str(ev, "item", "message", "ts"), PinMarker, ct);
                break;
            case "message" when Str(ev, "subtype") == "message_deleted":
                await RemoveAsync(Str(ev, "channel"), Str(ev, "deleted_ts") ?? Str(ev, "previous_message", "ts"), ct);
                break;
            case "message" when Str(ev, "subtype") == "message_changed":
                if (Str(ev, "channel") is { } channel && Str(ev, "message", "ts") is { } ts)
                {
                    await timeline.EditAsync(new SourceRef(Platform, channel, ts), Str(ev, "message", "text") ?? "", ct);
                }

                break;
        }
    }

    private const string PinMarker = "pin";

    private static string ReactionMarker(string userId) => "reaction:" + userId;

    private async Task CaptureAsync(string? channel, string? ts, string? thread, string? userId, string? marker, CancellationToken ct)
    {
        if (channel is not null && ts is not null)
        {
            await timeline.CaptureAsync(new SourceRef(Platform, channel, ts, ThreadId: thread), new UserRef(userId ?? "unknown"), marker, ct);
        }
    }

    private async Task UnmarkAsync(string? channel, string? ts, string marker, CancellationToken ct)
    {
        if (channel is not null && ts is not null)
        {
            await timeline.UnmarkAsync(new SourceRef(Platform, channel, ts), marker, ct);
        }
    }

    private async Task RemoveAsync(string? channel, string? ts, CancellationToken ct)
    {
        if (channel is not null && ts is not null)
        {
            await timeline.RemoveAsync(new SourceRef(Platform, channel, ts), ct);
        }
    }

    private async Task InteractionAsync(InboxItem item, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(item.Payload);
        var root = doc.RootElement;
        var actor = new UserRef(Str(root, "user", "id") ?? throw new FormatException("interaction without user"),
            Str(root, "user", "username") ?? Str(root, "user", "name"));
        switch (Str(root, "type"))
        {
            case "block_actions":
                await BlockActionsAsync(root, actor, item.DeliveryId, ct);
                break;
            case "view_submission":
                await ViewSubmissionAsync(root.GetProperty("view"), actor, item.DeliveryId, ct);
                break;
        }
    }

    private async Task BlockActionsAsync(JsonElement root, UserRef actor, string deliveryId, CancellationToken ct)
    {
        var channel = Str(root, "channel", "id") ?? Str(root, "container", "channel_id");
        var target = new ReplyTarget(Str(root, "response_url"), channel, actor.Id, deliveryId);
        var index = 0;
        foreach (var action in root.GetProperty("actions").EnumerateArray())
        {
            // The update form opens on the request path (it needs the fresh trigger_id); it never reaches the inbox.
            var intent = interactions.Decode(BlockKit.NeutralActionId(Str(action, "action_id") ?? ""), Str(action, "value"), actor);
            if (intent is null || intent.Command is OpenUpdateForm)
            {
                continue;
            }

            var ctx = new CommandContext(Platform, Surfaces.Slack, actor, channel, index++ == 0 ? deliveryId : $"{deliveryId}:{index}");
            await ReplyAsync(target with { DeliveryId = ctx.DeliveryId }, await interactions.ClickAsync(ctx, intent, ct), ct);
        }
    }

    private async Task ViewSubmissionAsync(JsonElement view, UserRef actor, string deliveryId, CancellationToken ct)
    {
        var origin = SlackModals.Origin(view);
        var target = new ReplyTarget(origin.ResponseUrl, origin.ChannelId, actor.Id, deliveryId);
        switch (Str(view, "callback_id"))
        {
            case SlackModals.DeclareCallback:
                if (interactions.ReadDeclare(SlackModals.ReadDeclare(view)).Command is { } declare)
                {
                    var ctx = new CommandContext(Platform, Surfaces.Slack, actor, origin.ChannelId, deliveryId);
                    await RunAsync(target, () => interactions.DeclareOnceAsync(ctx, declare, ct), ct);
                }

                break;
            case SlackModals.UpdateCallback:
                if (IncidentInteractions.ReadUpdate(SlackModals.ReadUpdate(view)).Command is { } update && origin.IncidentId is { } incidentId)
                {
                    var ctx = new CommandContext(Platform, Surfaces.Slack, actor, origin.ChannelId, deliveryId);
                    await ReplyAsync(target, await incidents.ExecuteOnAsync(ctx, incidentId, update, ct), ct);
                }

                break;
        }
    }
}
