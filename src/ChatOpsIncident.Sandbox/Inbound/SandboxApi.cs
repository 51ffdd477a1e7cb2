using System.Text.Json;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Inbox;
using ChatOpsIncident.Core.Interactions;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Sandbox.Outbound;
using ChatOpsIncident.Sandbox.Rendering;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Sandbox.Inbound;

/// <summary>
/// The workspace's JSON API (the page uses it; drills script it). A person's input is stored before the answer: the
/// message in the workspace, the delivery in the inbox, both under the client's id, so a retry of the same id changes
/// nothing. The inbox worker then runs it through the core (<see cref="SandboxInboxHandler"/>) and the outbox posts
/// the bot's messages. Anything that does not exist for the asking person is 404, in the same words as a missing one.
/// </summary>
internal sealed class SandboxApi(
    IWorkspaceStore store,
    IInbox inbox,
    InboxSignal signal,
    SandboxDirectory directory,
    SandboxUsers users,
    IncidentInteractions interactions,
    IOptions<SandboxOptions> options,
    TimeProvider time)
{
    public const int MaxText = 4000;

    /// <summary>The answer to a click on a button the message no longer has.</summary>
    public const string ButtonGone = "that button is no longer there: the message changed since it was shown";
    private const int PageSize = 200;

    public IResult Users() => Results.Json(new
    {
        users = users.People.Select(p => new { id = p, name = p }),
        bot = new { id = SandboxUsers.BotId, name = users.BotName },
        timelineEmoji = options.Value.TimelineEmoji,
        emoji = Emoji.Known.Select(kv => new { name = kv.Key, emoji = kv.Value }),
    }, SandboxJson.Options);

    public async Task<IResult> ChannelsAsync(string? @as, CancellationToken ct)
    {
        if (@as is not null && !users.IsPerson(@as))
        {
            return Bad("unknown user");
        }

        return Results.Json(new { channels = await directory.ChannelsAsync(@as, ct) }, SandboxJson.Options);
    }

    public async Task<IResult> MessagesAsync(string id, string? @as, long? after, CancellationToken ct)
    {
        if (!users.IsPerson(@as))
        {
            return Bad("as must name one of the workspace's people");
        }

        if (await directory.ChannelAsync(id, @as!, ct) is null)
        {
            return NotFound("no such channel");
        }

        var cursor = Math.Max(0, after ?? 0);
        var messages = await store.MessagesAsync(id, @as!, cursor, PageSize, ct);
        return Results.Json(new
        {
            messages = messages.Select(m => MessageView.From(m, users)),
            cursor = messages.Count > 0 ? messages[^1].Revision : cursor,
            more = messages.Count == PageSize,
        }, SandboxJson.Options);
    }

    public async Task<IResult> PostMessageAsync(string id, PostMessageRequest request, CancellationToken ct)
    {
        var text = request.Text?.Trim() ?? "";
        if (!users.IsPerson(request.User))
        {
            return Bad("user must be one of the workspace's people");
        }

        if (text.Length is 0 or > MaxText)
        {
            return Bad($"text must be 1-{MaxText} characters");
        }

        if (await directory.ChannelAsync(id, request.User!, ct) is null)
        {
            return NotFound("no such channel");
        }

        var key = ClientKey(request.User!, request.ClientMessageId);
        var command = SandboxInboxHandler.CommandText(text) is not null;
        // The slash command shows only to its sender, as Slack echoes it; everyone else sees what the bot answers.
        var message = await store.PostAsync(new NewWorkspaceMessage(key, id, request.User!, text, time.GetUtcNow())
        {
            ThreadId = request.ThreadId,
            EphemeralFor = command ? request.User : null,
        }, ct);
        if (message.ChannelId != id || message.UserId != request.User)
        {
            return Results.Json(new Problem("clientMessageId was used for another message"), SandboxJson.Options, statusCode: StatusCodes.Status409Conflict);
        }

        if (!command)
        {
            return Results.Json(new Accepted(message.Id, null), SandboxJson.Options, statusCode: StatusCodes.Status201Created);
        }

        var delivery = $"message:{key}";
        var stored = await EnqueueAsync(delivery, SandboxInboxKinds.Command, new SandboxDelivery(request.User!, id) { MessageId = message.Id, Text = text }, ct);
        return Results.Json(new Accepted(message.Id, delivery, !stored), SandboxJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    public async Task<IResult> ReactAsync(string id, ReactionRequest request, bool add, CancellationToken ct)
    {
        var name = Emoji.Normalize(request.Name);
        if (!users.IsPerson(request.User) || name is null)
        {
            return Bad($"user must be one of the workspace's people and name one of: {string.Join(", ", Emoji.Known.Keys)}");
        }

        if (await directory.MessageAsync(id, request.User!, ct) is not { } message)
        {
            return NotFound("no such message");
        }

        var changed = await store.ReactAsync(id, request.User!, name, add, ct);
        if (name != options.Value.TimelineEmoji)
        {
            return Results.Json(new Accepted(id, null, !changed), SandboxJson.Options);
        }

        // Stored even when nothing changed: the handler judges by the reactions now, and a retry whose first try
        // changed the reaction but never reached the inbox is how it gets there.
        var delivery = $"reaction:{ClientKey(request.User!, request.ClientId)}";
        var stored = await EnqueueAsync(delivery, SandboxInboxKinds.Reaction, new SandboxDelivery(request.User!, message.ChannelId) { MessageId = id, Reaction = name }, ct);
        return Results.Json(new Accepted(id, delivery, !stored), SandboxJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    public async Task<IResult> ActionAsync(string id, ActionRequest request, CancellationToken ct)
    {
        if (!users.IsPerson(request.User) || !MessageView.IsButtonId(request.ActionId))
        {
            return Bad("user must be one of the workspace's people and actionId one of the message's buttons");
        }

        if (await directory.MessageAsync(id, request.User!, ct) is not { } message)
        {
            return NotFound("no such message");
        }

        var delivery = $"action:{ClientKey(request.User!, request.ClientId)}";
        if (MessageView.FindAction(message, request.ActionId) is not { } action)
        {
            // A retry of a click that was stored is the same click, even after it changed the card (a claimed role's
            // button is gone by then): answer it as the duplicate it is, not as a bad button.
            // Anything else is a button that is no longer there (the card changed since the page drew it): answered
            // as such, and nothing is stored, so it cannot land on whatever took its place.
            return request.ClientId is not null && await store.HasDeliveryAsync(delivery, ct)
                ? Results.Json(new Accepted(id, delivery, true), SandboxJson.Options, statusCode: StatusCodes.Status202Accepted)
                : Results.Json(new Problem(ButtonGone), SandboxJson.Options, statusCode: StatusCodes.Status409Conflict);
        }

        var stored = await EnqueueAsync(delivery, SandboxInboxKinds.Action, new SandboxDelivery(request.User!, message.ChannelId) { MessageId = id, ActionId = action.ActionId, Value = action.Value }, ct);
        return Results.Json(new Accepted(id, delivery, !stored), SandboxJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    public async Task<IResult> SubmitFormAsync(string id, FormRequest request, CancellationToken ct)
    {
        if (!users.IsPerson(request.User))
        {
            return Bad("user must be one of the workspace's people");
        }

        var message = await directory.MessageAsync(id, request.User!, ct);
        if (message is null || message.EphemeralFor != request.User || SandboxJson.Read<SandboxForm>(message.Form) is not { } form)
        {
            return NotFound("no such form");
        }

        // A form is answered once: its id is the delivery id, so a retry or a second click is the same delivery.
        var delivery = $"form:{id}";
        var values = (request.Values ?? []).ToDictionary(kv => kv.Key, kv => Text(kv.Value), StringComparer.Ordinal);
        if (!form.Submitted && form.Check(values, interactions.Options) is { Count: > 0 } errors)
        {
            return Results.Json(new Problem("the form has errors", errors), SandboxJson.Options, statusCode: StatusCodes.Status400BadRequest);
        }

        var stored = await EnqueueAsync(delivery, SandboxInboxKinds.Form, new SandboxDelivery(request.User!, form.ChannelId) { MessageId = id, Values = values }, ct);
        if (!form.Submitted)
        {
            await store.UpdateAsync(id, $"{form.Title} (sent)", message.Body, SandboxJson.Write(form with { Submitted = true }), time.GetUtcNow(), ct);
        }

        return Results.Json(new Accepted(id, delivery, !stored), SandboxJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    private async Task<bool> EnqueueAsync(string deliveryId, string kind, SandboxDelivery delivery, CancellationToken ct)
    {
        // One order key per channel: a channel's deliveries run one after the other, in the order they arrived.
        var stored = await inbox.EnqueueManyAsync([new InboxDelivery(SandboxChatPlatform.PlatformName, deliveryId, kind, SandboxJson.Write(delivery))
        {
            OrderKey = $"{SandboxChatPlatform.PlatformName}:{delivery.ChannelId}",
        }], ct);
        signal.Notify();
        return stored[0];
    }

    /// <summary>The idempotency key of a person's input: their client id when they sent one (per person), else a fresh one.</summary>
    private static string ClientKey(string user, string? clientId) =>
        $"user:{user}:{(clientId is { Length: > 0 and <= 200 } id ? id : Guid.NewGuid().ToString("N"))}";

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };

    private static IResult Bad(string error) => Results.Json(new Problem(error), SandboxJson.Options, statusCode: StatusCodes.Status400BadRequest);

    private static IResult NotFound(string error) => Results.Json(new Problem(error), SandboxJson.Options, statusCode: StatusCodes.Status404NotFound);
}
