using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Inbox;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Interactions;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Core.Timeline;
using ChatOpsIncident.Slack.Outbound;
using ChatOpsIncident.Slack.Rendering;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Slack.Inbound;

public static class SlackInboxKinds
{
    public const string Command = "command";
    public const string Event = "event";
    public const string Interaction = "interaction";
}

/// <summary>
/// The request path of the three Slack endpoints, after the signature filter: decide what must be kept, store it in
/// the inbox (bounded wait), answer inside Slack's 3 seconds. Everything slow runs later in <see cref="SlackInboxHandler"/>.
/// </summary>
internal sealed partial class SlackEndpoints(
    GroupCommitInbox inbox,
    InboxSignal signal,
    CommandParser parser,
    IncidentInteractions interactions,
    IncidentChannels incidentChannels,
    SlackApiClient api,
    IOptions<SlackOptions> slackOptions,
    IOptions<IncidentOptions> incidentOptions,
    TimeProvider time,
    UnconfirmedCommands unconfirmed,
    ILogger<SlackEndpoints> logger)
{
    public const string Platform = SlackChatPlatform.PlatformName;
    private static readonly TimeSpan FormWindow = TimeSpan.FromMilliseconds(2500);
    private SlackOptions Options => slackOptions.Value;

    private static SlackRequest Request(HttpContext http) => (SlackRequest)http.Items[typeof(SlackRequest)]!;

    public async Task<IResult> CommandAsync(HttpContext http)
    {
        var raw = Encoding.UTF8.GetString(Request(http).Body);
        var form = QueryHelpers.ParseQuery(raw);
        string? F(string key) => form.TryGetValue(key, out var v) ? v.ToString() : null;
        if (F("ssl_check") == "1")
        {
            // Slack checks the certificate of a slash command URL with a signed ssl_check=1 POST; it wants a bare 200.
            return Results.Ok();
        }

        if (!Options.AllowsTeam(F("team_id")))
        {
            return RefusedTeam(http, "command", F("team_id"));
        }

        var userId = F("user_id");
        if (string.IsNullOrEmpty(userId))
        {
            return Results.BadRequest();
        }

        var actor = new UserRef(userId, F("user_name"));
        var channel = F("channel_id");
        var parsed = parser.ParseCommand(F("text"), actor);
        if (!parsed.Ok)
        {
            return Ephemeral(parsed.Error!);
        }

        switch (parsed.Command)
        {
            case ShowHelp help:
                return Ephemeral(help.Topic is null ? CommandParser.HelpText(incidentOptions.Value) : CommandParser.Usage(help.Topic, incidentOptions.Value));
            case OpenDeclareForm:
                // trigger_id expires 3 s after the command: the modal opens now, on the request path. It is not state.
                return await OpenFormAsync(F("trigger_id"), SlackModals.DeclareView(incidentOptions.Value, new ModalOrigin(channel, F("response_url"))), http.RequestAborted)
                    ? Results.Ok()
                    : Ephemeral("The declaration form did not open in time. Declare directly: /incident declare sev2 <title>");
            case OpenUpdateForm:
                return await OpenUpdateFormFromCommandAsync(new CommandContext(Platform, Surfaces.Slack, actor, channel, "form").Referring(parsed), F("trigger_id"), F("response_url"), http.RequestAborted);
        }

        var text = F("text") ?? "";
        var deliveryId = unconfirmed.DeliveryIdFor(userId, channel, text, parsed.Command is DeclareIncident
            ? DeclareDeliveryId(F("team_id"), userId, channel, F("text")!, http.Request.Headers[SlackSignature.TimestampHeader].ToString())
            : "cmd:" + (F("trigger_id") is { Length: > 0 } trigger ? trigger : Hash(raw)));
        var stored = await StoreAsync(deliveryId, SlackInboxKinds.Command, raw, SlackOrderKeys.For(channel), http.RequestAborted);
        if (stored is null)
        {
            unconfirmed.Unconfirmed(userId, channel, text, deliveryId);
        }

        return stored switch
        {
            // The store timed out but may still commit: the same command within a minute reuses this delivery id, so
            // the inbox runs it once whichever attempt landed. Slack does not retry slash commands itself.
            null => Ephemeral("⚠️ The bot could not confirm it recorded that. If it did, it will run once; running it again within a minute will not repeat it."),
            false when parsed.Command is DeclareIncident => Ephemeral("That declaration is already being processed."),
            _ when parsed.Command is DeclareIncident d => Ephemeral($"⏳ Declaring {(d.Severity ?? "the")} incident \"{d.Title}\"… you will get a link to its channel in a moment."),
            _ => Results.Ok(),
        };
    }

    public async Task<IResult> EventAsync(HttpContext http)
    {
        var body = Request(http).Body;
        string? eventId, orderKey;
        using (var doc = TryParse(body))
        {
            if (doc is null)
            {
                return Results.BadRequest();
            }

            var root = doc.RootElement;
            switch (Str(root, "type"))
            {
                case "url_verification":
                    return Results.Json(new { challenge = Str(root, "challenge") ?? "" });
                case "app_rate_limited":
                    Log.AppRateLimited(logger, Str(root, "minute_rate_limited"));
                    return Results.Ok();
                case "event_callback":
                    break;
                default:
                    return Results.Ok();
            }

            if (!Options.AllowsTeam(Str(root, "team_id")))
            {
                // 200, not 4xx: Slack retries every non-2xx answer and flags the app's URL as failing; nothing is stored.
                Log.TeamRefused(logger, "event", Str(root, "team_id") ?? "");
                return Results.Ok();
            }

            eventId = Str(root, "event_id");
            if (string.IsNullOrEmpty(eventId) || !root.TryGetProperty("event", out var ev) || ev.ValueKind != JsonValueKind.Object)
            {
                return Results.BadRequest();
            }

            orderKey = SlackOrderKeys.ForEvent(ev);
            if (!Relevant(ev))
            {
                // Nothing the bot acts on: acknowledge without spending a row on it.
                return Results.Ok();
            }

            // Edits and deletions arrive for every channel the bot is in; only an incident channel's are captured.
            if (Str(ev, "type") == "message" && !IsDirectCommand(ev) && (Str(ev, "channel") is not { Length: > 0 } channelId
                || !await incidentChannels.IsIncidentChannelAsync(Platform, channelId, http.RequestAborted)))
            {
                return Results.Ok();
            }
        }

        // Slack re-sends events not acknowledged within 3 s (X-Slack-Retry-Num); event_id dedupes them in the inbox.
        var stored = await StoreAsync(eventId, SlackInboxKinds.Event, Encoding.UTF8.GetString(body), orderKey, http.RequestAborted);
        return stored is null ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.Ok();
    }

    /// <summary>A workspace outside Slack:AllowedTeams: 403 (Slack does not retry commands or interactions), nothing stored.</summary>
    private IResult RefusedTeam(HttpContext http, string kind, string? team)
    {
        Log.TeamRefused(logger, kind, team ?? "");
        http.Items[Core.Processing.RequestRefusal.ItemKey] = new Core.Processing.RequestRefusal(Platform, Core.Processing.RequestRefusal.ForeignWorkspace);
        return Results.StatusCode(StatusCodes.Status403Forbidden);
    }

    private static JsonDocument? TryParse(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async Task<IResult> InteractionAsync(HttpContext http)
    {
        var raw = Encoding.UTF8.GetString(Request(http).Body);
        var form = QueryHelpers.ParseQuery(raw);
        if (!form.TryGetValue("payload", out var payloadValue))
        {
            return Results.BadRequest();
        }

        var payload = payloadValue.ToString();
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(payload);
            root = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Results.BadRequest();
        }

        var team = Str(root, "team", "id") ?? Str(root, "user", "team_id");
        if (!Options.AllowsTeam(team))
        {
            return RefusedTeam(http, "interaction", team);
        }

        switch (Str(root, "type"))
        {
            case "block_actions":
                return await BlockActionsAsync(root, payload, raw, http.RequestAborted);
            case "view_submission":
                return await ViewSubmissionAsync(root, payload, http.RequestAborted);
            default:
                // view_closed, shortcuts the app does not offer: nothing to do.
                return Results.Ok();
        }
    }

    private async Task<IResult> BlockActionsAsync(JsonElement root, string payload, string raw, CancellationToken ct)
    {
        if (!root.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array || actions.GetArrayLength() == 0)
        {
            return Results.Ok();
        }

        var first = actions[0];
        if (BlockKit.NeutralActionId(Str(first, "action_id") ?? "") == Core.Chat.ChatActions.OpenUpdateForm)
        {
            var channel = Str(root, "channel", "id") ?? Str(root, "container", "channel_id");
            if (ButtonValues.TryParse(Str(first, "value"), 1, out var incidentId, out _))
            {
                await OpenFormAsync(Str(root, "trigger_id"), SlackModals.UpdateView(new ModalOrigin(channel, Str(root, "response_url"), incidentId)), ct);
            }

            return Results.Ok();
        }

        var deliveryId = "act:" + (Str(root, "trigger_id") is { Length: > 0 } trigger ? trigger : Hash(raw));
        // Nothing to show on failure here: Slack shows the click failed when the ack is not 200.
        return await StoreAsync(deliveryId, SlackInboxKinds.Interaction, payload, SlackOrderKeys.ForInteraction(root), ct) is null
            ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable)
            : Results.Ok();
    }

    private async Task<IResult> ViewSubmissionAsync(JsonElement root, string payload, CancellationToken ct)
    {
        if (!root.TryGetProperty("view", out var view))
        {
            return Results.BadRequest();
        }

        var callback = Str(view, "callback_id");
        Dictionary<string, string> errors;
        string firstBlock;
        switch (callback)
        {
            case SlackModals.DeclareCallback:
                errors = SlackModals.Errors(interactions.ReadDeclare(SlackModals.ReadDeclare(view)).Errors);
                firstBlock = FormFields.Title;
                break;
            case SlackModals.UpdateCallback:
                errors = SlackModals.Errors(IncidentInteractions.ReadUpdate(SlackModals.ReadUpdate(view)).Errors);
                firstBlock = FormFields.Text;
                break;
            default:
                return Results.Ok();
        }

        if (errors.Count > 0)
        {
            return Results.Json(SlackModals.ErrorsAck(errors));
        }

        // A double-clicked submit sends the same view id twice: one delivery, one incident.
        var stored = await StoreAsync("view:" + (Str(view, "id") ?? Hash(payload)), SlackInboxKinds.Interaction, payload, SlackOrderKeys.ForInteraction(root), ct);
        return stored is null
            ? Results.Json(SlackModals.ErrorsAck(new() { [firstBlock] = "The incident bot could not save this right now. Please submit again." }))
            : Results.Ok();
    }

    private async Task<IResult> OpenUpdateFormFromCommandAsync(CommandContext ctx, string? trigger, string? responseUrl, CancellationToken ct)
    {
        var channel = ctx.ChannelId;
        CommandResult guarded;
        try
        {
            guarded = await interactions.UpdateFormForAsync(ctx, ct).WaitAsync(Options.AckTimeout, time, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Log.StoreFailed(logger, ex, "find incident");
            return Ephemeral("⚠️ The incident bot could not look that up right now. Please try again in a moment.");
        }

        if (guarded.Form is not OpenUpdateForm || guarded.Incident is not { } incident)
        {
            return Ephemeral(guarded.Reply?.Text ?? InteractionGuards.NotAnIncidentChannel);
        }

        return await OpenFormAsync(trigger, SlackModals.UpdateView(new ModalOrigin(channel, responseUrl, incident.Id)), ct)
            ? Results.Ok()
            : Ephemeral("The update form did not open in time. Post directly: /incident update <text>");
    }

    private async Task<bool> OpenFormAsync(string? triggerId, JsonObject view, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(triggerId))
        {
            return false;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(FormWindow);
        try
        {
            await api.OpenViewAsync(triggerId, view, cts.Token);
            return true;
        }
        catch (Exception ex) when (ex is SlackApiException or SlackTransientException or OperationCanceledException)
        {
            Log.FormFailed(logger, ex.GetType().Name);
            return false;
        }
    }

    /// <summary>Stores a delivery within <see cref="SlackOptions.AckTimeout"/>: true stored, false stored before, null not stored.</summary>
    private async Task<bool?> StoreAsync(string deliveryId, string kind, string payload, string? orderKey, CancellationToken requestAborted)
    {
        var pending = inbox.Enqueue(new InboxDelivery(Platform, deliveryId, kind, payload) { OrderKey = orderKey });
        try
        {
            // A stalled database must not hold the answer past Slack's 3 s: give up, say so, and let Slack retry.
            var stored = await pending.Stored.Task.WaitAsync(Options.AckTimeout, time, requestAborted);
            if (stored)
            {
                signal.Notify();
            }

            return stored;
        }
        catch (TimeoutException)
        {
            pending.Abandon();
            Log.StoreTimedOut(logger, kind, Options.AckTimeout);
            return null;
        }
        catch (Exception ex) when (!requestAborted.IsCancellationRequested)
        {
            pending.Abandon();
            Log.StoreFailed(logger, ex, kind);
            return null;
        }
    }

    private bool Relevant(JsonElement ev)
    {
        var emoji = Options.TimelineEmoji;
        return Str(ev, "type") switch
        {
            "reaction_added" or "reaction_removed" => Str(ev, "reaction") == emoji && Str(ev, "item", "type") == "message",
            "pin_added" or "pin_removed" => true,
            "message" => Str(ev, "subtype") is "message_changed" or "message_deleted" || IsDirectCommand(ev),
            _ => false,
        };
    }

    /// <summary>
    /// A person's message in their DM with the bot (<c>message.im</c>): read as a command, as the slash command would be
    /// (<c>status INC-42</c>). Bots' messages (the bot's own answers included) and edits are not commands.
    /// </summary>
    internal static bool IsDirectCommand(JsonElement ev) =>
        Str(ev, "type") == "message" && Str(ev, "channel_type") == "im" && Str(ev, "subtype") is null
        && Str(ev, "bot_id") is null && Str(ev, "user") is { Length: > 0 } && Str(ev, "text") is { Length: > 0 };

    /// <summary>
    /// Slack never retries a slash command, but people press Enter twice: the same person, channel and text within the
    /// same minute is one declaration.
    /// </summary>
    internal static string DeclareDeliveryId(string? team, string user, string? channel, string text, string timestamp)
    {
        var minute = long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ts) ? ts / 60 : 0;
        return $"declare:{team}:{user}:{channel}:{Hash(text.Trim().ToLowerInvariant())[..16]}:{minute}";
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static IResult Ephemeral(string text) =>
        Results.Json(new { response_type = "ephemeral", text = BlockKit.Mrkdwn(text) });

    internal static string? Str(JsonElement e, params string[] path)
    {
        foreach (var p in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(p, out e))
            {
                return null;
            }
        }

        return e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Number => e.GetRawText(),
            _ => null,
        };
    }
}
