using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Privacy;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Core.Review;
using ChatOpsIncident.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>
/// Runs every command: load, decide (<see cref="IncidentChange"/>, <see cref="IncidentDeclaration"/>), save in one
/// transaction, decide again on a version conflict, then notify. State changes, their timeline entries, audit
/// records and outbound messages are saved together; the outbox delivers the messages. Adapters call this and
/// render what it returns.
/// </summary>
public sealed partial class IncidentService(
    IIncidentStore store,
    IChatPlatforms platforms,
    IOptions<IncidentOptions> options,
    TimeProvider time,
    IEnumerable<IIncidentObserver> observers,
    OutboxSignal outboxSignal,
    ILogger<IncidentService> logger,
    IReviewLinks? reviewLinks = null,
    IRetryJitter? jitter = null,
    Changes.RecentChanges? recentChanges = null)
{
    // Conflicts come from people acting on one incident at once; a few jittered retries absorb a busy channel.
    private const int MaxConflictRetries = 20;

    /// <summary>The timeline entries a decision may read: the handoff briefing (the catch-up) shows the last five.</summary>
    private const int DecisionTimelineTail = IncidentMessages.CatchUpEntries;
    private readonly IRetryJitter _jitter = jitter ?? new RandomRetryJitter();
    private readonly IReviewLinks _links = reviewLinks ?? new NoReviewLinks();

    private IncidentOptions Options => options.Value;

    public async Task<CommandResult> ExecuteAsync(CommandContext ctx, IncidentCommand command, CancellationToken ct)
    {
        switch (command)
        {
            case ShowHelp help:
                return CommandResult.Ok(help.Topic is null ? CommandParser.HelpText(Options) : CommandParser.Usage(help.Topic, Options));
            case ListIncidents:
                return new(new IncidentMessages(Options).IncidentList(await ListVisibleAsync(new IncidentQuery(Open: true), ctx.Asker, ct)));
            case DeclareIncident declare:
                return await DeclareAsync(ctx, declare, ct);
            case OpenDeclareForm:
                return new(null, Form: command);
        }

        var (incident, notFound) = await TargetAsync(ctx, ct);
        if (incident is null)
        {
            return CommandResult.Refuse(notFound!);
        }

        var messages = new IncidentMessages(Options);
        return command switch
        {
            OpenUpdateForm when incident.Status.IsOpen() => new(null, incident, command),
            OpenUpdateForm => CommandResult.Refuse(IncidentMessages.NoUpdateForm(incident)),
            ShowStatus => await ReadAsync(incident.Id, 0, messages.Status, ct),
            ShowTimeline => await ShowTimelineAsync(messages, incident.Id, ct),
            ShowCatchUp => await ReadAsync(incident.Id, IncidentMessages.CatchUpTimelineTail, r => messages.CatchUp(r, time.GetUtcNow(), _links.Detail(r.Incident)), ct),
            ListActions => await ReadAsync(incident.Id, 0, messages.Actions, ct),
            Merge merge => await MergeAsync(ctx, incident.Id, merge.Into, ct),
            _ => await ChangeAsync(ctx, incident.Id, command, ct),
        };
    }

    /// <summary>
    /// Runs a command against a known incident (buttons, forms, the web and the API address it by id). An incident
    /// the asker may not see is "not found", in the same words as a missing one: a button or an id sent back from
    /// elsewhere must not reach a private incident.
    /// </summary>
    public Task<CommandResult> ExecuteOnAsync(CommandContext ctx, Guid incidentId, IncidentCommand command, CancellationToken ct) =>
        ChangeAsync(ctx, incidentId, command, ct);

    /// <summary>
    /// The incidents matching <paramref name="query"/> that <paramref name="viewer"/> may see, newest first: one query,
    /// the visibility rule applied by the store in SQL (not a load per private incident afterwards).
    /// </summary>
    public Task<IReadOnlyList<Incident>> ListVisibleAsync(IncidentQuery query, Viewer viewer, CancellationToken ct) =>
        store.ListAsync(query with { VisibleTo = viewer }, ct);

    private string CommandPrefix(CommandContext ctx) => platforms.Find(ctx.Platform)?.CommandPrefix ?? IChatPlatform.DefaultCommandPrefix;

    private async Task<CommandResult> ReadAsync(Guid id, int timelineTail, Func<IncidentRecord, ChatMessage> render, CancellationToken ct)
    {
        var record = await store.GetForDecisionAsync(id, timelineTail, ct) ?? throw new InvalidOperationException($"Incident {id} vanished");
        return new(render(record), record.Incident);
    }

    /// <summary>The chat timeline shows the last entries and how many there are; it never loads the whole timeline.</summary>
    private async Task<CommandResult> ShowTimelineAsync(IncidentMessages messages, Guid id, CancellationToken ct)
    {
        var record = await store.GetForDecisionAsync(id, IncidentMessages.TimelineShown, ct) ?? throw new InvalidOperationException($"Incident {id} vanished");
        var total = await store.CountTimelineAsync(id, ct);
        return new(messages.Timeline(record, total: total), record.Incident);
    }

    private async Task<CommandResult> ChangeAsync(CommandContext ctx, Guid incidentId, IncidentCommand command, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            // A decision reads only the recent timeline (the handoff briefing's entries) and never the audit trail.
            var record = await store.GetForDecisionAsync(incidentId, DecisionTimelineTail, ct);
            if (record is null || !IncidentVisibility.CanSee(record, ctx.Asker))
            {
                return CommandResult.Refuse(IncidentMessages.NoSuchIncident);
            }

            var change = IncidentChange.Decide(record, command, ctx, time.GetUtcNow(), Options, _links, CommandPrefix(ctx));
            if (change.Refusal is { } refusal)
            {
                return new(change.RefusalMessage ?? ChatMessage.Plain(refusal), record.Incident, Refused: true, Reasons: change.Reasons);
            }

            switch (await store.SaveAsync(change.Incident, change.Set, ct))
            {
                case SaveOutcome.Saved:
                    Log.CommandApplied(logger, command.GetType().Name, change.Incident.PublicId, ctx.Surface);
                    await NotifyAsync(change.Incident, ct);
                    return new(change.Reply is null ? null : ChatMessage.Plain(change.Reply), change.Incident);
                case SaveOutcome.AlreadyApplied:
                    return new(ChatMessage.Plain(IncidentMessages.AlreadyApplied), record.Incident);
                case SaveOutcome.Conflict when attempt < MaxConflictRetries:
                    Log.Conflict(logger, record.Incident.PublicId, attempt);
                    // A zero pause retries at once: a fake clock that nobody advances must not stall racing writers.
                    if (Backoff.Conflict(attempt, _jitter) is { Ticks: > 0 } pause)
                    {
                        await Task.Delay(pause, time, ct);
                    }

                    continue;
                default:
                    return CommandResult.Refuse(IncidentMessages.TooBusy);
            }
        }
    }

    /// <summary>
    /// <c>merge INC-n</c>: the duplicate ends as merged (its channel told where to go), then the incident merged into
    /// gets the link to its timeline. Two saves, each deduped by its own key, so a retried delivery completes both.
    /// </summary>
    private async Task<CommandResult> MergeAsync(CommandContext ctx, Guid sourceId, int into, CancellationToken ct)
    {
        var target = await store.GetByNumberAsync(into, ct);
        if (target is null || !IncidentVisibility.CanSee(target, ctx.Asker))
        {
            return CommandResult.Refuse(IncidentMessages.NoMergeTarget(into));
        }

        var result = await ChangeAsync(ctx, sourceId, new MergeInto(target.Incident), ct);
        // A retried delivery finds the duplicate already merged (and refused): the second half still runs, deduped.
        if (result.Incident is not { Status: IncidentStatus.Merged } source || source.MergedInto != into)
        {
            return result;
        }

        await ChangeAsync(ctx with { DeliveryId = $"{ctx.DeliveryId}:merged-in" }, target.Incident.Id, new MergedIn(source, _links.Detail(source)), ct);
        return result;
    }

    private async Task NotifyAsync(Incident incident, CancellationToken ct)
    {
        outboxSignal.Notify();
        foreach (var observer in observers)
        {
            await observer.IncidentChangedAsync(incident, ct);
        }
    }

    public async Task<CommandResult> DeclareAsync(CommandContext ctx, DeclareIncident declare, CancellationToken ct)
    {
        if (platforms.Find(ctx.Platform) is not { } platform)
        {
            return CommandResult.Refuse(IncidentMessages.NotConfigured(ctx.Platform));
        }

        // What changed before the incident is the first thing responders look at: read before the insert, so the
        // changes are on the timeline from the start and in the kickoff card (a retried declaration inserts nothing).
        var recent = recentChanges is null ? [] : await recentChanges.ListAsync(ct);
        var (incident, set) = IncidentDeclaration.Declare(declare, ctx, platform.Name, time.GetUtcNow(), Options, recent);
        var (saved, created) = await store.CreateAsync(incident, set, OutboxKeys.Declaration(ctx.Platform, ctx.DeliveryId), ct);
        if (created)
        {
            Log.Declared(logger, saved.PublicId, saved.Severity, ctx.Surface);
            await NotifyAsync(saved, ct);
        }

        await OpenChannelAsync(platform, saved.Id, ct);

        var final = (await store.GetForDecisionAsync(saved.Id, 0, ct))!.Incident;
        return new(ChatMessage.Plain(IncidentMessages.DeclaredReply(final)), final);
    }

    /// <summary>
    /// The slow half of a declaration: create the channel, then queue the invite, topic, kickoff and announcement.
    /// Safe to run again after a crash at any step.
    /// </summary>
    public async Task OpenChannelAsync(IChatPlatform platform, Guid incidentId, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= MaxConflictRetries; attempt++)
        {
            var record = await store.GetForDecisionAsync(incidentId, 0, ct) ?? throw new InvalidOperationException($"Incident {incidentId} vanished");
            if (record.Incident.ChannelId is not null)
            {
                return;
            }

            var channel = await platform.CreateChannelAsync(record.Incident, IncidentDeclaration.ChannelName(record.Incident, Options), record.Incident.IsPrivate, ct);
            var (opened, set) = IncidentDeclaration.OpenChannel(record, channel, platform.FeedChannelId, time.GetUtcNow(), Options);
            if (await store.SaveAsync(opened, set, ct) != SaveOutcome.Conflict)
            {
                outboxSignal.Notify();
                return;
            }
        }
    }
}
