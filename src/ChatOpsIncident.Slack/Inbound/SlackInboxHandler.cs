using System.Globalization;
using System.Text.Json;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Inbox;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Storage;
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
internal sealed partial class SlackInboxHandler(
    IncidentService incidents,
    CommandParser parser,
    IIncidentStore store,
    SlackChatPlatform platform,
    SlackResponder responder,
    SlackIdentity identity,
    IOptions<SlackOptions> slackOptions,
    IOptions<IncidentOptions> incidentOptions,
    TimeProvider time,
    ILogger<SlackInboxHandler> logger) : IInboxHandler
{
    private static readonly TimeSpan DuplicateDeclareWindow = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan NotAnIncidentChannelFor = TimeSpan.FromMinutes(1);
    // Channels known not to be incident channels. Safe to remember: incident channels are always new channels the bot
    // creates, so a channel id that is not an incident channel never becomes one.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _notIncidentChannels = new(StringComparer.Ordinal);

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
        var target = new ReplyTarget(F("response_url"), channel, actor.Id);
        var ctx = new CommandContext(Platform, Surfaces.Slack, actor, channel, item.DeliveryId);
        var parsed = parser.Parse(F("text"), actor);
        if (!parsed.Ok)
        {
            await responder.ReplyAsync(target, ChatMessage.Plain(parsed.Error!), ct);
            return;
        }

        await RunAsync(target, () => parsed.Command switch
        {
            DeclareIncident declare => DeclareOnceAsync(ctx, declare, ct),
            _ => incidents.ExecuteAsync(ctx, parsed.Command!, ct),
        }, ct);
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

    /// <summary>Declares, unless the same person declared the same title moments ago (a double submit).</summary>
    private async Task<CommandResult> DeclareOnceAsync(CommandContext ctx, DeclareIncident declare, CancellationToken ct)
    {
        var title = declare.Title.Trim();
        var recent = await store.ListAsync(new IncidentQuery(Search: title, DeclaredFrom: time.GetUtcNow() - DuplicateDeclareWindow, Limit: 20), ct);
        var twin = recent.FirstOrDefault(i => i.Platform == Platform && i.DeclaredBy.Id == ctx.Actor.Id
            && string.Equals(i.Title, title, StringComparison.OrdinalIgnoreCase));
        if (twin is null)
        {
            return await incidents.DeclareAsync(ctx, declare, ct);
        }

        // Either this very delivery re-running after a crash, or a twin submission: both finish the same incident.
        Log.DeclareTwin(logger, twin.PublicId);
        await incidents.OpenChannelAsync(platform, twin.Id, ct);
        var current = (await store.GetAsync(twin.Id, ct))!.Incident;
        return new CommandResult(ChatMessage.Plain($"{current.PublicId} is declared: join #{current.ChannelName}{(current.ChannelUrl is null ? "" : $" ({current.ChannelUrl})")}"), current);
    }

    private async Task EventAsync(InboxItem item, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(item.Payload);
        var ev = doc.RootElement.GetProperty("event");
        var emoji = slackOptions.Value.TimelineEmoji;
        var now = time.GetUtcNow();
        switch (Str(ev, "type"))
        {
            case "reaction_added" when Str(ev, "reaction") == emoji && Str(ev, "item", "type") == "message":
                await CaptureAsync(Str(ev, "item", "channel"), Str(ev, "item", "ts"), thread: null, Str(ev, "user"), ct);
                break;
            case "pin_added":
                if (Str(ev, "user") is { } pinner && pinner == await identity.BotUserIdAsync(ct))
                {
                    // The bot pins its own kickoff card; that is not a timeline moment.
                    break;
                }

                await CaptureAsync(Str(ev, "item", "channel") ?? Str(ev, "channel_id"), Str(ev, "item", "message", "ts") ?? Str(ev, "item", "ts"),
                    Str(ev, "item", "message", "thread_ts"), Str(ev, "user"), ct);
                break;
            case "reaction_removed" when Str(ev, "reaction") == emoji:
            case "pin_removed":
                await RemoveAsync(Str(ev, "item", "channel") ?? Str(ev, "channel_id"), Str(ev, "item", "ts") ?? Str(ev, "item", "message", "ts"), now, ct);
                break;
            case "message" when Str(ev, "subtype") == "message_deleted":
                await RemoveAsync(Str(ev, "channel"), Str(ev, "deleted_ts") ?? Str(ev, "previous_message", "ts"), now, ct);
                break;
            case "message" when Str(ev, "subtype") == "message_changed":
                if (Str(ev, "channel") is { } channel && Str(ev, "message", "ts") is { } ts)
                {
                    var changed = await store.EditCapturedAsync(Platform, channel, ts, Str(ev, "message", "text") ?? "", now, ct);
                    if (changed > 0)
                    {
                        Log.CaptureEdited(logger, channel, ts);
                    }
                }

                break;
        }
    }

    private async Task CaptureAsync(string? channel, string? ts, string? thread, string? userId, CancellationToken ct)
    {
        if (channel is null || ts is null)
        {
            return;
        }

        var incident = await FindIncidentAsync(channel, ct);
        if (incident is null)
        {
            return;
        }

        var message = await platform.FetchMessageAsync(new SourceRef(Platform, channel, ts, ThreadId: thread), ct);
        if (message is null)
        {
            Log.CaptureMissing(logger, channel, ts);
            return;
        }

        await incidents.CaptureAsync(incident, message, new UserRef(userId ?? "unknown"), ct);
        // Acknowledged every time (reactions.add treats a repeat as done), so a crash between capture and
        // acknowledgement is repaired by the re-run.
        await platform.AcknowledgeCaptureAsync(message.Source, ct);
    }

    private async Task<Incident?> FindIncidentAsync(string channel, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_notIncidentChannels.TryGetValue(channel, out var until) && until > now)
        {
            return null;
        }

        var incident = await store.FindByChannelAsync(Platform, channel, ct);
        if (incident is null)
        {
            if (_notIncidentChannels.Count > 10_000)
            {
                _notIncidentChannels.Clear();
            }

            _notIncidentChannels[channel] = now + NotAnIncidentChannelFor;
        }

        return incident;
    }

    private async Task RemoveAsync(string? channel, string? ts, DateTimeOffset now, CancellationToken ct)
    {
        if (channel is null || ts is null)
        {
            return;
        }

        if (await store.MarkCapturedRemovedAsync(Platform, channel, ts, now, ct) > 0)
        {
            Log.CaptureRemoved(logger, channel, ts);
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
        var target = new ReplyTarget(Str(root, "response_url"), channel, actor.Id);
        var index = 0;
        foreach (var action in root.GetProperty("actions").EnumerateArray())
        {
            var id = BlockKit.NeutralActionId(Str(action, "action_id") ?? "");
            var parts = (Str(action, "value") ?? "").Split('|');
            if (!Guid.TryParse(parts[0], out var incidentId) || ToCommand(id, parts, actor) is not { } command)
            {
                continue;
            }

            var ctx = new CommandContext(Platform, Surfaces.Slack, actor, channel, index++ == 0 ? deliveryId : $"{deliveryId}:{index}");
            await ReplyAsync(target, await incidents.ExecuteOnAsync(ctx, incidentId, command, ct), ct);
        }
    }

    private IncidentCommand? ToCommand(string actionId, string[] parts, UserRef actor) => actionId switch
    {
        // The clicking user takes the role.
        ChatActions.ClaimRole when parts.Length == 2 && incidentOptions.Value.FindRole(parts[1]) is { } role => new AssignRole(role.Key, actor),
        ChatActions.ToggleChecklist when parts.Length == 3 && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var i) =>
            new ToggleChecklistItem(parts[1], i),
        ChatActions.Snooze when parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) =>
            new SnoozeReminder(TimeSpan.FromMinutes(minutes)),
        ChatActions.Resolve => new Resolve(null),
        _ => null,
    };

    private async Task ViewSubmissionAsync(JsonElement view, UserRef actor, string deliveryId, CancellationToken ct)
    {
        var origin = SlackModals.Origin(view);
        var target = new ReplyTarget(origin.ResponseUrl, origin.ChannelId, actor.Id);
        switch (Str(view, "callback_id"))
        {
            case SlackModals.DeclareCallback:
                var (declare, _) = SlackModals.ReadDeclare(view, incidentOptions.Value);
                if (declare is not null)
                {
                    var ctx = new CommandContext(Platform, Surfaces.Slack, actor, origin.ChannelId, deliveryId);
                    await RunAsync(target, () => DeclareOnceAsync(ctx, declare, ct), ct);
                }

                break;
            case SlackModals.UpdateCallback:
                var (update, _) = SlackModals.ReadUpdate(view);
                if (update is not null && origin.IncidentId is { } incidentId)
                {
                    var ctx = new CommandContext(Platform, Surfaces.Slack, actor, origin.ChannelId, deliveryId);
                    await ReplyAsync(target, await incidents.ExecuteOnAsync(ctx, incidentId, update, ct), ct);
                }

                break;
        }
    }
}
