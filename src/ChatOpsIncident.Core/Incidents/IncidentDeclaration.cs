using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Storage;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>
/// The two halves of a declaration as pure decisions: the new incident with its first records, and, once the
/// platform has a channel, what opening it queues. <see cref="IncidentService"/> runs them against the store.
/// </summary>
internal static class IncidentDeclaration
{
    /// <summary>A new incident, its commander (the one named, else the declarer) and its first timeline entries.</summary>
    /// <param name="recentChanges">The changes of the window before the declaration: each lands on the timeline when it
    /// happened, and the kickoff card lists them under "Recent changes".</param>
    public static (Incident Incident, ChangeSet Set) Declare(DeclareIncident declare, CommandContext ctx, string platform, DateTimeOffset now, IncidentOptions options, IReadOnlyList<Changes.ChangeEvent>? recentChanges = null)
    {
        var messages = new IncidentMessages(options);
        var severity = options.FindSeverity(declare.Severity ?? options.DefaultSeverity)!;
        var type = options.FindType(declare.Type ?? options.DefaultType)!;
        var commander = declare.Commander is { Count: > 0 } named ? named[0] : ctx.Actor;
        var incident = new Incident
        {
            Id = Guid.CreateVersion7(now),
            Title = declare.Title.Trim(),
            Severity = severity.Name,
            Type = type.Name,
            Status = declare.Triage ? IncidentStatus.Triage : IncidentStatus.Investigating,
            IsPrivate = declare.Private || type.Private,
            Drill = declare.Drill,
            Description = declare.Description,
            Platform = platform,
            OriginChannelId = ctx.ChannelId,
            DeclaredBy = ctx.Actor,
            DeclaredAt = now,
            // Detection is the first alert's time, else the declaration; a person declaring is the first human act.
            DetectedAt = declare.DetectedAt is { } detected && detected < now ? detected : now,
            // An alert's start is also the best first guess of when the impact began (`started` corrects it).
            ImpactStartedAt = declare.DetectedAt is { } began && began < now ? began : null,
            AcknowledgedAt = declare.Acknowledged ? now : null,
            NextUpdateDue = now + severity.UpdateCadence,
        };
        var set = new ChangeSet();
        set.Timeline.Add(TimelineEntry.Now(incident.Id, TimelineKinds.Declared, IncidentMessages.Declared(severity, type, incident), now, ctx.Actor, OutboxKeys.CommandEntry(ctx.DeliveryId)));
        set.RolesAssigned.Add(new RoleAssignment(incident.Id, RoleKeys.Commander, commander, now, ctx.Actor));
        set.Timeline.Add(TimelineEntry.Now(incident.Id, TimelineKinds.Role, messages.CommanderAssigned(commander), now, ctx.Actor));
        foreach (var change in recentChanges ?? [])
        {
            // At or before the declaration (a change stamped a little ahead is clamped), so the kickoff finds it.
            var at = change.OccurredAt < now ? change.OccurredAt : now;
            set.Timeline.Add(TimelineEntry.Now(incident.Id, TimelineKinds.Change, IncidentMessages.ChangeLine(change), now) with { OccurredAt = at });
        }

        set.Audit.Add(IncidentChange.AuditOf(incident.Id, ctx, now, "incident", null, $"declared {severity.Name} {type.Name}"));
        set.Audit.Add(IncidentChange.AuditOf(incident.Id, ctx, now, $"role:{RoleKeys.Commander}", null, commander.Id));
        return (incident, set);
    }

    /// <summary>What Core knows of the channel's name; the platform applies its own rules.</summary>
    /// <remarks>A drill's channel says so in its name (<c>drill-inc-7-…</c>), where people pick channels from a list.</remarks>
    public static ChannelNameRequest ChannelName(Incident incident, IncidentOptions options) =>
        new(incident.Drill ? $"{DrillChannelPrefix}-{options.ChannelPrefix}" : options.ChannelPrefix, incident.Number, incident.Title);

    public const string DrillChannelPrefix = "drill";

    /// <summary>
    /// The incident with its new channel, and what that queues: the invitations, the pinned kickoff card, the topic,
    /// the announcement in the feed (never for a private incident) and the page for a paging severity.
    /// </summary>
    public static (Incident Incident, ChangeSet Set) OpenChannel(IncidentRecord record, ChannelInfo channel, string? feedChannelId, DateTimeOffset now, IncidentOptions options)
    {
        var messages = new IncidentMessages(options);
        var i = record.Incident.Copy();
        i.ChannelId = channel.Id;
        i.ChannelName = channel.Name;
        i.ChannelUrl = channel.Url;
        var set = new ChangeSet();
        // The key is fixed, not per delivery: however many times the channel step runs, it is recorded once.
        set.Timeline.Add(TimelineEntry.Now(i.Id, TimelineKinds.Channel, IncidentMessages.ChannelOpened(channel), now, dedupeKey: "channel-opened"));
        var users = record.CurrentRoles.Select(r => r.Holder).Append(i.DeclaredBy).DistinctBy(u => u.Id).ToList();
        var withChannel = record with { Incident = i };
        set.Outbox.Add(new OutboxMessage(OutboxKeys.Incident(i.Id, "invite"), i.Id, i.Platform, OutboxOperations.Invite, channel.Id) { Users = users });
        set.Outbox.Add(new OutboxMessage(OutboxKeys.Incident(i.Id, "kickoff"), i.Id, i.Platform, OutboxOperations.Post, channel.Id) { Message = messages.Kickoff(withChannel), Pin = true });
        set.Outbox.Add(new OutboxMessage(OutboxKeys.Incident(i.Id, "topic"), i.Id, i.Platform, OutboxOperations.Topic, channel.Id) { Text = messages.Topic(withChannel) });
        if (!i.IsPrivate && feedChannelId is { Length: > 0 } feed)
        {
            set.Outbox.Add(new OutboxMessage(OutboxKeys.Incident(i.Id, "announce"), i.Id, i.Platform, OutboxOperations.Post, feed) { Message = messages.Announcement(withChannel) });
        }

        if (options.FindSeverity(i.Severity) is { } sev && sev.NotifiesStakeholdersOn(StakeholderMoments.Declare))
        {
            // The stakeholders hear of it as it opens, under the same privacy rule as its updates; the feed has its announcement.
            var (full, redacted) = IncidentChange.StakeholderChannels(i, sev);
            foreach (var target in full.Where(c => c != feedChannelId))
            {
                set.Outbox.Add(new OutboxMessage(OutboxKeys.Incident(i.Id, $"stakeholder-declared:{target}"), i.Id, i.Platform, OutboxOperations.Post, target) { Message = messages.StakeholderDeclared(i) });
            }

            foreach (var target in redacted.Where(c => c != feedChannelId))
            {
                set.Outbox.Add(new OutboxMessage(OutboxKeys.Incident(i.Id, $"stakeholder-declared:{target}"), i.Id, i.Platform, OutboxOperations.Post, target) { Message = IncidentMessages.RedactedStakeholderNotice(i, $"A private {i.Severity} incident was declared.") });
            }
        }

        var pages = options.FindSeverity(i.Severity) is { Page: true };
        if (pages)
        {
            set.Outbox.Add(new OutboxMessage(OutboxKeys.Incident(i.Id, "page:declared"), i.Id, i.Platform, OutboxOperations.Page, channel.Id) { Text = IncidentMessages.DeclaredPage(i), TargetKey = PageRoutes.Severity(i.Severity) });
        }

        if (pages && i.AcknowledgedAt is not null)
        {
            // A person declared it: someone has it already, so the alert just opened is acknowledged behind it (the
            // same key the first human act uses on an alert-opened incident: one acknowledge per incident).
            set.Outbox.Add(new OutboxMessage(OutboxKeys.Incident(i.Id, "page-ack"), i.Id, i.Platform, OutboxOperations.PageAcknowledge, channel.Id));
        }

        return (i, set);
    }
}
