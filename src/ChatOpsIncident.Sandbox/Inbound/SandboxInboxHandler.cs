using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Inbox;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Interactions;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Core.Timeline;
using ChatOpsIncident.Sandbox.Outbound;
using ChatOpsIncident.Sandbox.Rendering;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Sandbox.Inbound;

/// <summary>
/// Processes acknowledged workspace deliveries after the 202, as Slack's handler does its own: commands, clicks, forms
/// and the timeline reaction go to the same core services. Runs again after a crash, so everything here is idempotent:
/// the core dedupes on the delivery id, answers and forms are stored under keys derived from it, captures dedupe per
/// message, and a reaction is judged by whether it is there now.
/// </summary>
internal sealed class SandboxInboxHandler(
    IncidentService incidents,
    IncidentInteractions interactions,
    TimelineCapture timeline,
    CommandParser parser,
    IWorkspaceStore store,
    IOutbox outbox,
    OutboxSignal signal,
    SandboxUsers users,
    IOptions<SandboxOptions> options,
    TimeProvider time,
    ILogger<SandboxInboxHandler> logger) : IInboxHandler
{
    public const string CommandPrefix = "/incident";

    public string Platform => SandboxChatPlatform.PlatformName;

    public async Task HandleAsync(InboxItem item, CancellationToken ct)
    {
        var d = SandboxJson.Read<SandboxDelivery>(item.Payload) ?? throw new FormatException("empty workspace delivery");
        var ctx = new CommandContext(Platform, Surfaces.Sandbox, users.Person(d.User), d.ChannelId, item.DeliveryId);
        switch (item.Kind)
        {
            case SandboxInboxKinds.Command:
                await CommandAsync(ctx, d.Text ?? "", ct);
                break;
            case SandboxInboxKinds.Action:
                await ActionAsync(ctx, d, ct);
                break;
            case SandboxInboxKinds.Form:
                await FormAsync(ctx, d, ct);
                break;
            case SandboxInboxKinds.Reaction:
                await ReactionAsync(ctx, d, ct);
                break;
            default:
                throw new FormatException($"unknown workspace inbox kind '{item.Kind}'");
        }
    }

    /// <summary>The words after <c>/incident</c>, or null when the text is not the slash command.</summary>
    public static string? CommandText(string text)
    {
        var t = text.TrimStart();
        if (!t.StartsWith(CommandPrefix, StringComparison.OrdinalIgnoreCase) || (t.Length > CommandPrefix.Length && !char.IsWhiteSpace(t[CommandPrefix.Length])))
        {
            return null;
        }

        return t[CommandPrefix.Length..].Trim();
    }

    private async Task CommandAsync(CommandContext ctx, string text, CancellationToken ct)
    {
        var parsed = parser.ParseCommand(CommandText(text) ?? text, ctx.Actor);
        if (!parsed.Ok)
        {
            await ReplyAsync(ctx, ChatMessage.Plain(parsed.Error!), null, ct);
            return;
        }

        // "status INC-42" from any channel acts on INC-42 (the core finds it, under the visibility rule).
        ctx = ctx.Referring(parsed);
        await AnswerAsync(ctx, await interactions.ExecuteAsync(ctx, AsDrill(parsed.Command!), ct), ct);
    }

    /// <summary>With <c>Sandbox:Drill</c> the whole workspace is a rehearsal room: every declaration in it is a drill.</summary>
    private IncidentCommand AsDrill(IncidentCommand command) =>
        options.Value.Drill && command is DeclareIncident declare ? declare with { Drill = true } : command;

    private async Task ActionAsync(CommandContext ctx, SandboxDelivery d, CancellationToken ct)
    {
        if (interactions.Decode(d.ActionId ?? "", d.Value, ctx.Actor) is not { } intent)
        {
            Log.UnknownButton(logger, d.ActionId ?? "");
            await ReplyAsync(ctx, ChatMessage.Plain("That button no longer does anything."), null, ct);
            return;
        }

        await AnswerAsync(ctx, await interactions.ClickAsync(ctx, intent, ct), ct);
    }

    private async Task FormAsync(CommandContext ctx, SandboxDelivery d, CancellationToken ct)
    {
        var message = d.MessageId is null ? null : await store.FindMessageAsync(d.MessageId, ct);
        var form = SandboxJson.Read<SandboxForm>(message?.Form) ?? throw new FormatException($"form {d.MessageId} is not in the workspace");
        var values = d.Values ?? [];
        var origin = ctx with { ChannelId = form.ChannelId };
        switch (form.Kind)
        {
            case SandboxForm.Declare when SandboxForm.ReadDeclare(values, interactions.Options).Command is { } declare:
                await AnswerAsync(origin, await interactions.DeclareOnceAsync(origin, (DeclareIncident)AsDrill(declare), ct), ct);
                break;
            case SandboxForm.Update when SandboxForm.ReadUpdate(values).Command is { } update && form.IncidentId is { } incidentId:
                await AnswerAsync(origin, await incidents.ExecuteOnAsync(origin, incidentId, update, ct), ct);
                break;
            default:
                // The API checked the answers before it stored them; answers that no longer pass (the configuration
                // changed in between) are refused rather than guessed at.
                await ReplyAsync(origin, ChatMessage.Plain("That form no longer fits the configuration; open it again."), null, ct);
                break;
        }
    }

    private async Task ReactionAsync(CommandContext ctx, SandboxDelivery d, CancellationToken ct)
    {
        if (d.MessageId is null || d.Reaction != options.Value.TimelineEmoji)
        {
            return;
        }

        // Judged by the state now, not by the delivery: an add and a remove that arrive out of order, or run twice,
        // end where the reactions are.
        var source = new SourceRef(Platform, ctx.ChannelId!, d.MessageId);
        var marker = "reaction:" + ctx.Actor.Id;
        if (await store.HasReactionAsync(d.MessageId, ctx.Actor.Id, d.Reaction, ct))
        {
            await timeline.CaptureAsync(source, ctx.Actor, marker, ct);
        }
        else
        {
            await timeline.UnmarkAsync(source, marker, ct);
        }
    }

    private async Task AnswerAsync(CommandContext ctx, CommandResult result, CancellationToken ct)
    {
        switch (result.Form)
        {
            case OpenDeclareForm:
                await OpenFormAsync(ctx, SandboxForm.ForDeclare(ctx.ChannelId!, interactions.Options), ct);
                return;
            case OpenUpdateForm when result.Incident is { } incident:
                await OpenFormAsync(ctx, SandboxForm.ForUpdate(ctx.ChannelId!, incident), ct);
                return;
        }

        if (result.Reply is { } reply)
        {
            await ReplyAsync(ctx, reply, result.Incident?.Id, ct);
        }
    }

    /// <summary>A form is the adapter's own (Slack's modal, Teams' card): stored at once for the person, keyed by the delivery.</summary>
    private async Task OpenFormAsync(CommandContext ctx, SandboxForm form, CancellationToken ct)
    {
        Log.FormOpened(logger, form.Kind, ctx.Actor.Id);
        await store.PostAsync(new NewWorkspaceMessage($"form:{ctx.DeliveryId}", ctx.ChannelId!, SandboxUsers.BotId, form.Title, time.GetUtcNow())
        {
            Form = SandboxJson.Write(form),
            EphemeralFor = ctx.Actor.Id,
        }, ct);
    }

    /// <summary>A private answer goes out through the outbox, like Slack's: one per delivery, however often it runs.</summary>
    private async Task ReplyAsync(CommandContext ctx, ChatMessage message, Guid? incidentId, CancellationToken ct)
    {
        await outbox.EnqueueAsync([new OutboxMessage($"sandbox:respond:{ctx.DeliveryId}", incidentId ?? Guid.Empty, Platform, OutboxOperations.Respond, ctx.ChannelId ?? SandboxChatPlatform.GeneralChannel)
        {
            Message = message,
            Users = [ctx.Actor],
        }], ct);
        signal.Notify();
    }
}
