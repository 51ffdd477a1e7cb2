using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Privacy;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Alerts;

/// <summary>
/// What an acknowledged alert notification does: route it (first matching rule), keep one open incident per alert
/// group, throttle its timeline entries, collapse prompt cards into one feed card per interval, and on resolution
/// write the entry and nudge the commander (never resolving by itself). Runs from the inbox, so it must be
/// idempotent: the declaration key, the timeline dedupe keys and the group's state transitions make a re-run a no-op.
/// </summary>
public sealed partial class AlertService(
    IAlertGroupStore groups,
    IIncidentStore store,
    IncidentService incidents,
    IEnumerable<IChatPlatform> platforms,
    OutboxSignal outboxSignal,
    IOptions<AlertOptions> options,
    TimeProvider time,
    ILogger<AlertService> logger) : IAlertClicks
{
    /// <summary>Groups one card can carry; the rest wait for the next.</summary>
    private const int MaxGroupsPerCard = 200;
    private readonly IReadOnlyList<IChatPlatform> _platforms = platforms.ToList();

    private AlertOptions Options => options.Value;

    /// <summary>The platform alerts go to: Alerts:Platform, else the first configured.</summary>
    private IChatPlatform? Platform => Options.Platform is { Length: > 0 } name
        ? _platforms.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        : _platforms.FirstOrDefault();

    public async Task HandleAsync(string source, AlertNotification n, string deliveryId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var route = AlertRouting.Route(n.Labels, Options.Rules);
        var group = await groups.UpsertAsync(new AlertGroupSeen(Guid.CreateVersion7(now), source, n, route, now), ct);
        var incident = group.IncidentId is { } linked ? (await store.GetForDecisionAsync(linked, 0, ct))?.Incident : null;
        if (group.IncidentId is not null && incident?.Status.IsOpen() != true)
        {
            // The group's incident is over: this is a new episode, which may open a new incident.
            group = await groups.NextEpisodeAsync(group.Id, group.Episode, ct);
            incident = null;
        }

        if (n.Status == AlertStatus.Resolved)
        {
            await ResolvedAsync(group, incident, deliveryId, now, ct);
            return;
        }

        if (incident is not null)
        {
            if (await groups.TryTouchTimelineAsync(group.Id, now, Options.TimelineInterval, ct))
            {
                await RecordAsync(SourceContext(incident, source, $"alert:{deliveryId}:firing"), incident.Id, new RecordAlert("firing", AlertMessages.StillFiring(group, n), now), ct);
            }

            return;
        }

        if (group.State != AlertGroupStates.New)
        {
            // Pending, on a card, dismissed or ignored: asked once per episode; never a second card.
            return;
        }

        switch (route.Action)
        {
            case AlertActions.Ignore:
                await groups.TransitionAsync(group.Id, group.Episode, [AlertGroupStates.New], AlertGroupStates.Ignored, ct);
                break;
            case AlertActions.Declare:
                await DeclareAsync(group, n, actor: null, channelId: null, ct);
                break;
            default:
                if (await groups.TransitionAsync(group.Id, group.Episode, [AlertGroupStates.New], AlertGroupStates.Pending, ct))
                {
                    await PostCardsAsync(ct);
                }

                break;
        }
    }

    /// <summary>Posts one card for the waiting groups when the feed's interval allows; the card flusher calls it too.</summary>
    public async Task PostCardsAsync(CancellationToken ct)
    {
        if (Platform is not { } platform || platform.FeedChannelId is not { Length: > 0 } feed)
        {
            return;
        }

        // Attach offers the latest open public incidents: a card in the feed must not name a private one.
        var open = (await store.ListAsync(new IncidentQuery(Open: true, Limit: 10), ct)).Where(i => !i.IsPrivate && i.Platform == platform.Name).Take(3).ToList();
        var taken = await groups.TakeCardBatchAsync(time.GetUtcNow(), Options.CardInterval, MaxGroupsPerCard, batch =>
            new OutboxMessage($"alert-card:{batch[0].Id}:{batch[0].Episode}", Guid.Empty, platform.Name, OutboxOperations.Post, feed)
            {
                Message = AlertMessages.Card(batch, open),
            }, ct);
        if (taken.Count > 0)
        {
            Log.CardQueued(logger, taken.Count);
            outboxSignal.Notify();
        }
    }

    public async Task<CommandResult> ClickAsync(CommandContext ctx, AlertCommand command, CancellationToken ct)
    {
        if (await groups.GetAsync(command.GroupId, ct) is not { } group)
        {
            return CommandResult.Refuse(AlertMessages.Gone);
        }

        var linked = group.IncidentId is { } id ? (await store.GetForDecisionAsync(id, 0, ct))?.Incident : null;
        if (linked?.Status.IsOpen() == true && command is not DismissAlert)
        {
            return CommandResult.Refuse(AlertMessages.AlreadyDeclared(linked));
        }

        switch (command)
        {
            case DeclareFromAlert:
                var notification = new AlertNotification(group.GroupKey, group.Status, group.Title, group.Description, new Dictionary<string, string>(), [], group.Links);
                return await DeclareAsync(group, notification, ctx.Actor, ctx.ChannelId, ct) ?? CommandResult.Refuse(AlertMessages.Gone);
            case AttachAlert attach:
                var record = await store.GetForDecisionAsync(attach.IncidentId, 0, ct);
                if (record is null || !IncidentVisibility.CanSee(record, ctx.Asker))
                {
                    return CommandResult.Refuse(IncidentMessages.NoSuchIncident);
                }

                if (!record.Incident.Status.IsOpen())
                {
                    return CommandResult.Refuse(AlertMessages.NotOpen);
                }

                var now = time.GetUtcNow();
                await groups.LinkAsync(group.Id, group.Episode, record.Incident.Id, now, ct);
                // The clicker is the actor; the key is the episode's, so a second click on the card adds nothing.
                var attachCtx = ctx with { DeliveryId = $"alert:{group.Id}:{group.Episode}:attached", Viewer = Viewer.Admin };
                await RecordAsync(attachCtx, record.Incident.Id, new RecordAlert("attached", AlertMessages.Attached(group, ctx.Actor), now), ct);
                return CommandResult.Ok(AlertMessages.AttachedReply(group, record.Incident), record.Incident);
            default:
                await groups.TransitionAsync(group.Id, group.Episode, [AlertGroupStates.New, AlertGroupStates.Pending, AlertGroupStates.Carded], AlertGroupStates.Dismissed, ct);
                return CommandResult.Ok(AlertMessages.DismissedReply(group, ctx.Actor));
        }
    }

    /// <summary>
    /// Declares the group's incident through the same decision as chat. The episode's declaration key makes a
    /// repeat (a re-run, a second replica, a second click) return the one incident. The record has no impact-start
    /// field, so the alert's start goes on the timeline as the entry's time.
    /// </summary>
    private async Task<CommandResult?> DeclareAsync(AlertGroup group, AlertNotification n, UserRef? actor, string? channelId, CancellationToken ct)
    {
        if (Platform is not { } platform)
        {
            Log.NoPlatform(logger, group.Source);
            return null;
        }

        var declarer = actor ?? new UserRef(AlertActor, $"{group.Source} alerts");
        var commander = group.Route.Commander is { } c ? new List<UserRef> { new(c) } : null;
        var ctx = new CommandContext(platform.Name, AlertSurface, declarer, channelId ?? platform.FeedChannelId, group.DeclarationKey);
        // The alert's start is when the problem was detected; a rule declaring by itself is not yet acknowledged by a person.
        var declare = new DeclareIncident(group.Title, group.Route.Severity, group.Route.Type, false, group.Description, commander,
            DetectedAt: group.StartsAt ?? n.StartsAt, Acknowledged: actor is not null);
        var result = await incidents.DeclareAsync(ctx, declare, ct);
        if (result.Incident is not { } incident)
        {
            return result;
        }

        var now = time.GetUtcNow();
        await groups.LinkAsync(group.Id, group.Episode, incident.Id, now, ct);
        await RecordAsync(SourceContext(incident, group.Source, $"alert:{group.Id}:{group.Episode}:declared"), incident.Id, new RecordAlert("declared", AlertMessages.Fired(group, n), group.StartsAt ?? n.StartsAt ?? now), ct);
        Log.AlertDeclared(logger, incident.PublicId, group.Source, group.GroupKey);
        return result;
    }

    private async Task ResolvedAsync(AlertGroup group, Incident? incident, string deliveryId, DateTimeOffset now, CancellationToken ct)
    {
        if (incident is null)
        {
            // Nobody declared: the episode ends; a later firing asks again.
            await groups.NextEpisodeAsync(group.Id, group.Episode, ct);
            return;
        }

        // The incident stays open: people decide it is over, after the recovery checklist. The entry and the nudge are
        // one change: a re-run finds it applied and nudges no second time.
        await RecordAsync(SourceContext(incident, group.Source, $"alert:{deliveryId}:resolved"), incident.Id, new RecordAlert("resolved", AlertMessages.Resolved(group), now, NudgeCommander: true), ct);
    }

    /// <summary>
    /// The alert source as the actor of an entry (the audit names it), on the incident's platform, seeing every
    /// incident: the group is linked to this one, private or not, and nothing is shown to anyone by the lookup.
    /// </summary>
    private static CommandContext SourceContext(Incident incident, string source, string deliveryId) =>
        new(incident.Platform, AlertSurface, new UserRef(source, $"{source} alerts"), incident.ChannelId, deliveryId, Viewer.Admin);

    /// <summary>An alert entry through the incident's decision path (version, audit, outbox), like every other change.</summary>
    private async Task RecordAsync(CommandContext ctx, Guid incidentId, RecordAlert entry, CancellationToken ct)
    {
        var result = await incidents.ExecuteOnAsync(ctx, incidentId, entry, ct);
        if (result.Refused)
        {
            // Closed meanwhile (a person resolved it between the load and the save): the entry has no incident to go on.
            Log.EntryRefused(logger, entry.What, incidentId, result.Reply?.Text ?? "");
        }
    }

    /// <summary>Who declares when a rule declares by itself (no person clicked).</summary>
    public const string AlertActor = "alerts";

    public const string AlertSurface = "alert";
}
