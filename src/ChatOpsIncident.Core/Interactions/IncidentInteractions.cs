using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Privacy;
using ChatOpsIncident.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Interactions;

/// <summary>
/// What both chat adapters do with a person's input once they have translated it: commands (with the twin-declare
/// rule), button clicks and the guard on the status-update form. Adapters render the <see cref="CommandResult"/>;
/// a result whose <see cref="CommandResult.Form"/> is set asks the adapter to show that form.
/// </summary>
public sealed class IncidentInteractions(
    IncidentService incidents,
    IIncidentStore store,
    IChatPlatforms platforms,
    IOptions<IncidentOptions> options,
    TimeProvider time,
    ILogger<IncidentInteractions> logger,
    Alerts.IAlertClicks? alerts = null)
{
    public IncidentOptions Options => options.Value;

    /// <summary>A parsed command; declarations go through <see cref="DeclareOnceAsync"/>.</summary>
    public Task<CommandResult> ExecuteAsync(CommandContext ctx, IncidentCommand command, CancellationToken ct) => command switch
    {
        DeclareIncident declare => DeclareOnceAsync(ctx, declare, ct),
        _ => incidents.ExecuteAsync(ctx, command, ct),
    };

    /// <summary>Declares, unless the same person declared the same title moments ago (see <see cref="TwinDeclarations"/>).</summary>
    public async Task<CommandResult> DeclareOnceAsync(CommandContext ctx, DeclareIncident declare, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var recent = await store.ListAsync(TwinDeclarations.Candidates(declare.Title, now), ct);
        if (TwinDeclarations.Find(recent, ctx, declare.Title, now) is not { } twin || platforms.Find(ctx.Platform) is not { } platform)
        {
            return await incidents.DeclareAsync(ctx, declare, ct);
        }

        // Either this very delivery re-running after a crash, or a twin submission: both finish the same incident.
        Log.DeclareTwin(logger, twin.PublicId);
        await incidents.OpenChannelAsync(platform, twin.Id, ct);
        var current = (await store.GetAsync(twin.Id, ct))!.Incident;
        return new CommandResult(ChatMessage.Plain($"{current.PublicId} is declared: join #{current.ChannelName}{(current.ChannelUrl is null ? "" : $" ({current.ChannelUrl})")}"), current);
    }

    /// <summary>Decodes a click (see <see cref="ButtonValues"/>); null when the button is not one the bot knows.</summary>
    public ButtonIntent? Decode(string actionId, string? value, UserRef actor) => ButtonValues.Decode(actionId, value, actor, Options);

    /// <summary>Carries out a decoded click: the command on its incident, or the guarded status-update form.</summary>
    public async Task<CommandResult> ClickAsync(CommandContext ctx, ButtonIntent intent, CancellationToken ct) => intent.Command switch
    {
        OpenUpdateForm form => await UpdateFormAsync(ctx, intent.IncidentId, form, ct),
        Alerts.AlertCommand alert when alerts is not null => await alerts.ClickAsync(ctx, alert, ct),
        Alerts.AlertCommand => CommandResult.Refuse(InteractionGuards.NoSuchIncident),
        _ => await incidents.ExecuteOnAsync(ctx, intent.IncidentId, intent.Command, ct),
    };

    /// <summary>The status-update form for the incident of <paramref name="channelId"/>, while it is open.</summary>
    public async Task<CommandResult> UpdateFormInChannelAsync(string platform, string? channelId, CancellationToken ct)
    {
        var incident = channelId is null ? null : await store.FindByChannelAsync(platform, channelId, ct);
        return incident is null ? CommandResult.Refuse(InteractionGuards.NotAnIncidentChannel) : UpdateForm(incident, new OpenUpdateForm());
    }

    /// <summary>
    /// The status-update form for the incident a command names (<c>update INC-42</c>) or, naming none, the incident of
    /// its channel; found under the same rule as every command by reference (<see cref="IncidentService.TargetAsync"/>).
    /// </summary>
    public async Task<CommandResult> UpdateFormForAsync(CommandContext ctx, CancellationToken ct)
    {
        var (incident, refusal) = await incidents.TargetAsync(ctx, ct);
        return incident is null ? CommandResult.Refuse(refusal!) : UpdateForm(incident, new OpenUpdateForm());
    }

    public FormResult<DeclareIncident> ReadDeclare(DeclareForm form) => Forms.Declare(form, Options);

    public static FormResult<PostStatusUpdate> ReadUpdate(UpdateForm form) => Forms.Update(form);

    private async Task<CommandResult> UpdateFormAsync(CommandContext ctx, Guid incidentId, OpenUpdateForm form, CancellationToken ct)
    {
        // A button's id may come from anywhere: an incident the clicker may not see is as missing as one that is gone.
        var record = await store.GetAsync(incidentId, ct);
        return record is null || !IncidentVisibility.CanSee(record, ctx.Asker) ? CommandResult.Refuse(InteractionGuards.NoSuchIncident) : UpdateForm(record.Incident, form);
    }

    private static CommandResult UpdateForm(Incident incident, OpenUpdateForm form) =>
        InteractionGuards.UpdateFormRefusal(incident) is { } refusal
            ? CommandResult.Refuse(refusal)
            : new CommandResult(null, incident, form);
}
