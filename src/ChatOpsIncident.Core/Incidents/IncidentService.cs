using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>
/// Decides every command. State changes, their timeline entries, audit records and outbound messages are saved in one
/// transaction; the outbox delivers the messages. Adapters call this and render what it returns.
/// </summary>
public sealed partial class IncidentService(
    IIncidentStore store,
    IChatPlatforms platforms,
    IOptions<IncidentOptions> options,
    TimeProvider time,
    IEnumerable<IIncidentObserver> observers,
    Processing.OutboxSignal outboxSignal,
    ILogger<IncidentService> logger,
    Review.IReviewLinks? reviewLinks = null)
{
    // Conflicts come from people acting on one incident at once; a few jittered retries absorb a busy channel.
    private const int MaxConflictRetries = 20;
    private IncidentOptions Options => options.Value;
    private IncidentMessages Messages => new(Options);

    public async Task<CommandResult> ExecuteAsync(CommandContext ctx, IncidentCommand command, CancellationToken ct)
    {
        switch (command)
        {
            case ShowHelp help:
                return CommandResult.Ok(help.Topic is null ? CommandParser.HelpText() : CommandParser.Usage(help.Topic));
            case ListIncidents:
                return new(Messages.IncidentList(await store.ListAsync(new IncidentQuery(Open: true), ct)));
            case DeclareIncident declare:
                return await DeclareAsync(ctx, declare, ct);
            case OpenDeclareForm:
                return new(null, Form: command);
        }

        var incident = ctx.ChannelId is null ? null : await store.FindByChannelAsync(ctx.Platform, ctx.ChannelId, ct);
        if (incident is null)
        {
            return CommandResult.Refuse("This command works inside an incident channel. Use 'list' to find open incidents, or 'declare' to start one.");
        }

        return command switch
        {
            OpenUpdateForm when incident.Status.IsOpen() => new(null, incident, command),
            OpenUpdateForm => CommandResult.Refuse($"{incident.PublicId} is {incident.Status.ToWire()}; there is no update to post."),
            ShowStatus => await ReadAsync(incident.Id, r => Messages.Status(r), ct),
            ShowTimeline => await ReadAsync(incident.Id, r => Messages.Timeline(r), ct),
            ListActions => await ReadAsync(incident.Id, r => Messages.Actions(r), ct),
            _ => await ChangeAsync(ctx, incident.Id, command, ct),
        };
    }

    /// <summary>Runs a command against a known incident (buttons, forms, the web and the API address it by id).</summary>
    public Task<CommandResult> ExecuteOnAsync(CommandContext ctx, Guid incidentId, IncidentCommand command, CancellationToken ct) =>
        ChangeAsync(ctx, incidentId, command, ct);

    private async Task<CommandResult> ReadAsync(Guid id, Func<IncidentRecord, ChatMessage> render, CancellationToken ct)
    {
        var record = await store.GetAsync(id, ct) ?? throw new InvalidOperationException($"Incident {id} vanished");
        return new(render(record), record.Incident);
    }

    private async Task<CommandResult> ChangeAsync(CommandContext ctx, Guid incidentId, IncidentCommand command, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var record = await store.GetAsync(incidentId, ct);
            if (record is null)
            {
                return CommandResult.Refuse("That incident does not exist.");
            }

            var change = new Change(record, ctx, time.GetUtcNow(), Options, reviewLinks ?? new Review.NoReviewLinks());
            var refusal = Decide(change, command);
            if (refusal is not null)
            {
                return new(change.RefusalMessage ?? ChatMessage.Plain(refusal), record.Incident, Refused: true);
            }

            var outcome = await store.SaveAsync(change.Incident, change.Set, ct);
            switch (outcome)
            {
                case SaveOutcome.Saved:
                    Log.CommandApplied(logger, command.GetType().Name, change.Incident.PublicId, ctx.Surface);
                    await NotifyAsync(change.Incident, ct);
                    return new(change.Reply is null ? null : ChatMessage.Plain(change.Reply), change.Incident);
                case SaveOutcome.AlreadyApplied:
                    return new(ChatMessage.Plain("Done (already applied)."), record.Incident);
                case SaveOutcome.Conflict when attempt < MaxConflictRetries:
                    Log.Conflict(logger, record.Incident.PublicId, attempt);
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * Math.Min(attempt, 5))), ct);
                    continue;
                default:
                    return CommandResult.Refuse("The incident is changing too fast right now; please try again.");
            }
        }
    }

    private async Task NotifyAsync(Incident incident, CancellationToken ct)
    {
        outboxSignal.Notify();
        foreach (var observer in observers)
        {
            await observer.IncidentChangedAsync(incident, ct);
        }
    }

    /// <summary>Applies <paramref name="command"/> to the change, or returns why it is refused.</summary>
    private string? Decide(Change c, IncidentCommand command)
    {
        var i = c.Incident;
        var open = i.Status.IsOpen();
        switch (command)
        {
            case AssignRole or Handoff when i.Status == IncidentStatus.Closed:
                return $"{i.PublicId} is closed.";
            case AssignRole assign:
                return c.AssignRole(assign.Role, assign.User, handoff: false);
            case Handoff handoff:
                return c.AssignRole(handoff.Role, handoff.User, handoff: true);
            case ChangeSeverity sev:
                if (!open)
                {
                    return $"{i.PublicId} is {i.Status.ToWire()}; its severity is final.";
                }

                if (string.Equals(sev.Severity, i.Severity, StringComparison.OrdinalIgnoreCase))
                {
                    return $"{i.PublicId} is already {i.Severity}.";
                }

                c.ChangeSeverity(sev.Severity);
                return null;
            case ChangeType type:
                if (string.Equals(type.Type, i.Type, StringComparison.OrdinalIgnoreCase))
                {
                    return $"{i.PublicId} is already of type {i.Type}.";
                }

                c.ChangeType(type.Type);
                return null;
            case PostStatusUpdate update:
                if (!open)
                {
                    return $"{i.PublicId} is {i.Status.ToWire()}; updates are closed. Use 'note' to add to the record.";
                }

                c.PostUpdate(update.Status ?? i.Status, update.Text);
                return null;
            case AddNote note:
                c.Timeline(TimelineKinds.Note, note.Text);
                c.Reply = "Noted on the timeline.";
                return null;
            case RecordMitigation mitigation:
                if (!open)
                {
                    return $"{i.PublicId} is {i.Status.ToWire()}.";
                }

                c.Mitigate(mitigation.Text);
                return null;
            case SetFreeze freeze:
                if (freeze.On && !open)
                {
                    return $"{i.PublicId} is {i.Status.ToWire()}; a freeze would never be lifted by it.";
                }

                if (i.DeployFreeze == freeze.On)
                {
                    return freeze.On ? "Deploys are already frozen." : "Deploys are not frozen.";
                }

                c.Freeze(freeze.On);
                return null;
            case AddAction action:
                if (i.Status == IncidentStatus.Closed && action.Priority == ActionPriority.Critical && (action.Owner is null || action.Due is null))
                {
                    return "A critical action on a closed incident needs an owner and a due date.";
                }

                c.AddAction(action);
                return null;
            case CompleteAction done:
                return c.CompleteAction(done.Number);
            case ToggleChecklistItem toggle:
                return c.ToggleChecklist(toggle.Checklist, toggle.Index);
            case Resolve resolve:
                return c.Resolve(resolve);
            case Close:
                return c.Close();
            case Postmortem:
                c.OfferPostmortem();
                return null;
            case SnoozeReminder snooze:
                return c.Snooze(snooze.For);
            default:
                return $"'{command.GetType().Name}' is not supported here.";
        }
    }

    public async Task<CommandResult> DeclareAsync(CommandContext ctx, DeclareIncident declare, CancellationToken ct)
    {
        if (platforms.Find(ctx.Platform) is not { } platform)
        {
            return CommandResult.Refuse($"The {ctx.Platform} integration is not configured.");
        }

        var now = time.GetUtcNow();
        var severity = Options.FindSeverity(declare.Severity ?? Options.DefaultSeverity)!;
        var type = Options.FindType(declare.Type ?? Options.DefaultType)!;
        var commander = declare.Commander is { Count: > 0 } named ? named[0] : ctx.Actor;
        var incident = new Incident
        {
            Id = Guid.CreateVersion7(now),
            Title = declare.Title.Trim(),
            Severity = severity.Name,
            Type = type.Name,
            Status = IncidentStatus.Investigating,
            IsPrivate = declare.Private || type.Private,
            Description = declare.Description,
            Platform = platform.Name,
            OriginChannelId = ctx.ChannelId,
            DeclaredBy = ctx.Actor,
            DeclaredAt = now,
            AcknowledgedAt = now,
            NextUpdateDue = now + severity.UpdateCadence,
        };
        var set = new ChangeSet();
        set.Timeline.Add(new TimelineEntry
        {
            IncidentId = incident.Id,
            Kind = TimelineKinds.Declared,
            OccurredAt = now,
            RecordedAt = now,
            Author = ctx.Actor,
            Text = $"Declared {severity.Name} ({type.Name}): {incident.Title}",
            DedupeKey = $"cmd:{ctx.DeliveryId}",
        });
        set.RolesAssigned.Add(new RoleAssignment(incident.Id, RoleKeys.Commander, commander, now, ctx.Actor));
        set.Timeline.Add(new TimelineEntry
        {
            IncidentId = incident.Id,
            Kind = TimelineKinds.Role,
            OccurredAt = now,
            RecordedAt = now,
            Author = ctx.Actor,
            Text = $"{commander.Mention} is {Messages.RoleName(RoleKeys.Commander)}",
        });
        set.Audit.Add(Audit(incident.Id, ctx, now, "incident", null, $"declared {severity.Name} {type.Name}"));
        set.Audit.Add(Audit(incident.Id, ctx, now, $"role:{RoleKeys.Commander}", null, commander.Id));

        var (saved, created) = await store.CreateAsync(incident, set, $"{ctx.Platform}:{ctx.DeliveryId}", ct);
        if (created)
        {
            Log.Declared(logger, saved.PublicId, saved.Severity, ctx.Surface);
            await NotifyAsync(saved, ct);
        }

        await OpenChannelAsync(platform, saved.Id, ct);
        var record = await store.GetAsync(saved.Id, ct);
        var final = record!.Incident;
        return new(ChatMessage.Plain(final.ChannelName is null
            ? $"{final.PublicId} declared."
            : $"{final.PublicId} declared: join #{final.ChannelName}{(final.ChannelUrl is null ? "" : $" ({final.ChannelUrl})")}"), final);
    }

    /// <summary>
    /// The slow half of a declaration: create the channel, then queue the invite, topic, kickoff and announcement.
    /// Safe to run again after a crash at any step.
    /// </summary>
    public async Task OpenChannelAsync(IChatPlatform platform, Guid incidentId, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= MaxConflictRetries; attempt++)
        {
            var record = await store.GetAsync(incidentId, ct) ?? throw new InvalidOperationException($"Incident {incidentId} vanished");
            var i = record.Incident;
            if (i.ChannelId is not null)
            {
                return;
            }

            var channel = await platform.CreateChannelAsync(i, ChannelNames.For(Options.ChannelPrefix, i.Number, i.Title), i.IsPrivate, ct);
            var now = time.GetUtcNow();
            i.ChannelId = channel.Id;
            i.ChannelName = channel.Name;
            i.ChannelUrl = channel.Url;
            var set = new ChangeSet();
            set.Timeline.Add(new TimelineEntry
            {
                IncidentId = i.Id,
                Kind = TimelineKinds.Channel,
                OccurredAt = now,
                RecordedAt = now,
                Text = $"Channel #{channel.Name} opened",
                DedupeKey = "channel-opened",
            });
            var users = record.CurrentRoles.Select(r => r.Holder).Append(i.DeclaredBy).DistinctBy(u => u.Id).ToList();
            var withChannel = record with { Incident = i };
            set.Outbox.Add(new OutboxMessage($"inc:{i.Id}:invite", i.Id, i.Platform, OutboxOperations.Invite, channel.Id) { Users = users });
            set.Outbox.Add(new OutboxMessage($"inc:{i.Id}:kickoff", i.Id, i.Platform, OutboxOperations.Post, channel.Id) { Message = Messages.Kickoff(withChannel), Pin = true });
            set.Outbox.Add(new OutboxMessage($"inc:{i.Id}:topic", i.Id, i.Platform, OutboxOperations.Topic, channel.Id) { Text = Messages.Topic(withChannel) });
            if (!i.IsPrivate && platform.FeedChannelId is { Length: > 0 } feed)
            {
                set.Outbox.Add(new OutboxMessage($"inc:{i.Id}:announce", i.Id, i.Platform, OutboxOperations.Post, feed) { Message = Messages.Announcement(withChannel) });
            }

            if (Options.FindSeverity(i.Severity) is { Page: true })
            {
                set.Outbox.Add(new OutboxMessage($"inc:{i.Id}:page:declared", i.Id, i.Platform, OutboxOperations.Page, channel.Id) { Text = $"{i.Severity} declared: {i.Title}" });
            }

            var outcome = await store.SaveAsync(i, set, ct);
            if (outcome != SaveOutcome.Conflict)
            {
                outboxSignal.Notify();
                return;
            }
        }
    }

    private static AuditRecord Audit(Guid incidentId, CommandContext ctx, DateTimeOffset at, string field, string? oldValue, string? newValue) =>
        new(0, incidentId, at, ctx.Actor.Id, ctx.Surface, field, oldValue, newValue);

    /// <summary>One command's worth of change, built against a loaded record.</summary>
    private sealed class Change(IncidentRecord record, CommandContext ctx, DateTimeOffset now, IncidentOptions options, Review.IReviewLinks links)
    {
        private bool _keyed;

        public Incident Incident { get; } = Clone(record.Incident);
        public ChangeSet Set { get; } = new();
        public string? Reply { get; set; }
        public ChatMessage? RefusalMessage { get; private set; }
        private IncidentMessages Messages { get; } = new(options);

        private static Incident Clone(Incident i) => new()
        {
            Id = i.Id, Number = i.Number, Title = i.Title, Severity = i.Severity, Type = i.Type, Status = i.Status,
            IsPrivate = i.IsPrivate, Description = i.Description, Summary = i.Summary, Platform = i.Platform,
            ChannelId = i.ChannelId, ChannelName = i.ChannelName, ChannelUrl = i.ChannelUrl, OriginChannelId = i.OriginChannelId,
            DeclaredBy = i.DeclaredBy, DeclaredAt = i.DeclaredAt, AcknowledgedAt = i.AcknowledgedAt, MitigatedAt = i.MitigatedAt,
            ResolvedAt = i.ResolvedAt, ClosedAt = i.ClosedAt, LastUpdateAt = i.LastUpdateAt, NextUpdateDue = i.NextUpdateDue,
            DeployFreeze = i.DeployFreeze, Version = i.Version,
        };

        /// <summary>Adds a timeline entry; the first one carries the delivery's dedupe key.</summary>
        public void Timeline(string kind, string text, string? postText = null)
        {
            Set.Timeline.Add(new TimelineEntry
            {
                IncidentId = Incident.Id,
                Kind = kind,
                OccurredAt = now,
                RecordedAt = now,
                Author = ctx.Actor,
                Text = text,
                DedupeKey = _keyed ? null : $"cmd:{ctx.DeliveryId}",
            });
            _keyed = true;
            if (postText is not null)
            {
                Post(ChatMessage.Plain(postText));
            }
        }

        public void Audit(string field, string? oldValue, string? newValue) =>
            Set.Audit.Add(IncidentService.Audit(Incident.Id, ctx, now, field, oldValue, newValue));

        public void Post(ChatMessage message, string suffix = "post")
        {
            if (Incident.ChannelId is null)
            {
                return;
            }

            Set.Outbox.Add(new OutboxMessage($"cmd:{ctx.Platform}:{ctx.DeliveryId}:{suffix}", Incident.Id, Incident.Platform, OutboxOperations.Post, Incident.ChannelId) { Message = message });
        }

        /// <summary>Refreshes the pinned kickoff card and topic after roles, severity, type or status change.</summary>
        private void RefreshKickoff()
        {
            if (Incident.ChannelId is null)
            {
                return;
            }

            var after = Project();
            Set.Outbox.Add(new OutboxMessage($"cmd:{ctx.Platform}:{ctx.DeliveryId}:kickoff", Incident.Id, Incident.Platform, OutboxOperations.Update, Incident.ChannelId)
            {
                Message = Messages.Kickoff(after),
                TargetKey = $"inc:{Incident.Id}:kickoff",
            });
            Set.Outbox.Add(new OutboxMessage($"cmd:{ctx.Platform}:{ctx.DeliveryId}:topic", Incident.Id, Incident.Platform, OutboxOperations.Topic, Incident.ChannelId) { Text = Messages.Topic(after) });
        }

        /// <summary>The record as it will be after this change.</summary>
        private IncidentRecord Project()
        {
            var roles = record.Roles
                .Select(r => Set.RolesRelieved.Contains(r.Role) && r.RelievedAt is null ? r with { RelievedAt = now } : r)
                .Concat(Set.RolesAssigned).ToList();
            var checklists = record.Checklists
                .Where(c => !Set.Checklist.Any(n => n.Checklist == c.Checklist && n.Index == c.Index))
                .Concat(Set.Checklist).ToList();
            return record with { Incident = Incident, Roles = roles, Checklists = checklists };
        }

        public string? AssignRole(string role, UserRef user, bool handoff)
        {
            var current = record.Holder(role);
            if (current?.Id == user.Id)
            {
                return $"{user.Mention} already holds {Messages.RoleName(role)}.";
            }

            if (handoff && current is null)
            {
                return $"Nobody holds {Messages.RoleName(role)} yet; use 'role {role} @user' to assign it.";
            }

            if (current is not null)
            {
                Set.RolesRelieved.Add(role);
            }

            Set.RolesAssigned.Add(new RoleAssignment(Incident.Id, role, user, now, ctx.Actor));
            if (role == RoleKeys.Commander && Incident.AcknowledgedAt is null)
            {
                Incident.AcknowledgedAt = now;
            }

            var text = current is null
                ? $"{user.Mention} is now {Messages.RoleName(role)}"
                : $"{user.Mention} is now {Messages.RoleName(role)} (was {current.Mention})";
            Timeline(TimelineKinds.Role, text, $"👤 {text} (set by {ctx.Actor.Mention})");
            Audit($"role:{role}", current?.Id, user.Id);
            if (handoff)
            {
                Post(Handover(role, current!, user), "handoff");
            }

            if (Incident.ChannelId is not null)
            {
                Set.Outbox.Add(new OutboxMessage($"cmd:{ctx.Platform}:{ctx.DeliveryId}:invite", Incident.Id, Incident.Platform, OutboxOperations.Invite, Incident.ChannelId) { Users = [user] });
            }

            RefreshKickoff();
            return null;
        }

        private ChatMessage Handover(string role, UserRef from, UserRef to)
        {
            var last = record.Updates.LastOrDefault();
            var open = record.Actions.Where(a => !a.Done).Select(IncidentMessages.ActionLine).ToList();
            var recent = record.Timeline.Where(e => e.RemovedAt is null).OrderBy(e => e.OccurredAt).TakeLast(5)
                .Select(e => $"{IncidentMessages.Time(e.OccurredAt)} {e.Text}").ToList();
            return new ChatMessage($"Handoff briefing for {to.Mention}: {Messages.RoleName(role)} passes from {from.Mention}")
            {
                Title = $"🤝 Handoff: {Messages.RoleName(role)} → {to.Display}",
                Fields = [new("Severity", Incident.Severity), new("Status", Incident.Status.ToWire()), new("Next update due", IncidentMessages.Time(Incident.NextUpdateDue))],
                Sections =
                [
                    new("Last status update", last?.Text ?? "none yet"),
                    new("Recent timeline", Bullets: recent),
                    new("Open actions", open.Count == 0 ? "none" : null, open.Count == 0 ? null : open),
                ],
            };
        }

        public void ChangeSeverity(string severity)
        {
            var old = Incident.Severity;
            var sev = options.FindSeverity(severity)!;
            Incident.Severity = sev.Name;
            // The cadence restarts from the last update (or declaration) under the new severity.
            Incident.NextUpdateDue = (Incident.LastUpdateAt ?? Incident.DeclaredAt) + sev.UpdateCadence;
            var direction = options.SeverityRank(sev.Name) < options.SeverityRank(old) ? "raised" : "lowered";
            Timeline(TimelineKinds.Severity, $"Severity {direction} from {old} to {sev.Name}", $"⚠️ Severity {direction}: {old} → {sev.Name} (by {ctx.Actor.Mention}). Next update due {IncidentMessages.Time(Incident.NextUpdateDue)}.");
            Audit("severity", old, sev.Name);
            if (sev.Page && !(options.FindSeverity(old)?.Page ?? false) && Incident.ChannelId is not null)
            {
                Set.Outbox.Add(new OutboxMessage($"cmd:{ctx.Platform}:{ctx.DeliveryId}:page", Incident.Id, Incident.Platform, OutboxOperations.Page, Incident.ChannelId) { Text = $"Raised to {sev.Name}: {Incident.Title}" });
            }

            RefreshKickoff();
        }

        public void ChangeType(string type)
        {
            var old = Incident.Type;
            Incident.Type = options.FindType(type)!.Name;
            Timeline(TimelineKinds.Type, $"Type changed from {old} to {Incident.Type}", $"🏷️ Type: {old} → {Incident.Type} (by {ctx.Actor.Mention}). The {Incident.Type} runbook is on the pinned card.");
            Audit("type", old, Incident.Type);
            RefreshKickoff();
        }

        public void PostUpdate(IncidentStatus status, string text)
        {
            var old = Incident.Status;
            Incident.Status = status;
            Incident.LastUpdateAt = now;
            Incident.NextUpdateDue = now + options.FindSeverity(Incident.Severity)!.UpdateCadence;
            if (status == IncidentStatus.Monitoring && Incident.MitigatedAt is null)
            {
                Incident.MitigatedAt = now;
            }

            var update = new StatusUpdate(0, Incident.Id, status, text, ctx.Actor, now);
            Set.Updates.Add(update);
            Timeline(TimelineKinds.Update, $"Status update ({status.ToWire()}): {text}");
            if (old != status)
            {
                Audit("status", old.ToWire(), status.ToWire());
                RefreshKickoff();
            }

            Post(Messages.InternalUpdate(Incident, update), "update");
            FanOut(update);
            Reply = $"Update posted{(StakeholderChannels().Count > 0 ? $" and sent to {StakeholderChannels().Count} stakeholder channel(s)" : "")}. Next update due {IncidentMessages.Time(Incident.NextUpdateDue)}.";
        }

        private List<string> StakeholderChannels() =>
            options.FindSeverity(Incident.Severity)?.Stakeholders.Where(s => !string.IsNullOrWhiteSpace(s) && s != Incident.ChannelId).Distinct().ToList() ?? [];

        private void FanOut(StatusUpdate update)
        {
            foreach (var channel in StakeholderChannels())
            {
                Set.Outbox.Add(new OutboxMessage($"cmd:{ctx.Platform}:{ctx.DeliveryId}:stakeholder:{channel}", Incident.Id, Incident.Platform, OutboxOperations.Post, channel)
                {
                    Message = Messages.StakeholderUpdate(Incident, update),
                });
            }
        }

        public void Mitigate(string text)
        {
            Incident.MitigatedAt ??= now;
            Timeline(TimelineKinds.Mitigation, text, $"🩹 Mitigation recorded by {ctx.Actor.Mention}: {text}");
            Audit("mitigation", null, text);
        }

        public void Freeze(bool on)
        {
            Incident.DeployFreeze = on;
            Timeline(TimelineKinds.Freeze, on ? "Deploy freeze on" : "Deploy freeze lifted", on ? $"🧊 Deploys are frozen (by {ctx.Actor.Mention}). Lift with 'freeze off'." : $"🔥 Deploy freeze lifted (by {ctx.Actor.Mention}).");
            Audit("deploy_freeze", (!on).ToString(), on.ToString());
            RefreshKickoff();
        }

        public void AddAction(AddAction a)
        {
            var seq = record.Actions.Count == 0 ? 1 : record.Actions.Max(x => x.Seq) + 1;
            var item = new ActionItem
            {
                IncidentId = Incident.Id,
                Seq = seq,
                Text = a.Text,
                Owner = a.Owner,
                DueDate = a.Due,
                Priority = a.Priority,
                CreatedAt = now,
                CreatedBy = ctx.Actor,
            };
            Set.ActionsAdded.Add(item);
            var line = IncidentMessages.ActionLine(item);
            Timeline(TimelineKinds.Action, $"Action added: {line}", $"📝 Action added by {ctx.Actor.Mention}: {line}");
            Audit($"action:{seq}", null, a.Text);
        }

        public string? CompleteAction(int number)
        {
            var item = record.Actions.FirstOrDefault(a => a.Seq == number);
            if (item is null)
            {
                return $"There is no action #{number}. Use 'actions' to list them.";
            }

            if (item.Done)
            {
                return $"Action #{number} is already done.";
            }

            Set.ActionsCompleted.Add(item with { DoneAt = now, DoneBy = ctx.Actor });
            Timeline(TimelineKinds.Action, $"Action #{number} done: {item.Text}", $"✅ Action #{number} done (by {ctx.Actor.Mention}): {item.Text}");
            Audit($"action:{number}", "open", "done");
            return null;
        }

        public string? ToggleChecklist(string checklist, int index)
        {
            IReadOnlyList<string> items = checklist switch
            {
                IncidentMessages.TriageChecklist => options.TriageChecklist,
                IncidentMessages.RecoveryChecklist => options.RecoveryChecklistFor(Incident.Severity),
                IncidentMessages.RunbookChecklist => options.FindType(Incident.Type)?.Runbook ?? [],
                _ => [],
            };
            if (index < 0 || index >= items.Count)
            {
                return "That checklist item no longer exists.";
            }

            var state = record.Checklists.FirstOrDefault(x => x.Checklist == checklist && x.Index == index);
            var done = state?.DoneAt is null;
            Set.Checklist.Add(new ChecklistItemState(Incident.Id, checklist, index, items[index], done ? ctx.Actor : null, done ? now : null));
            Timeline(TimelineKinds.Checklist, $"{(done ? "Checked" : "Unchecked")} {checklist}: {items[index]}");
            Audit($"checklist:{checklist}:{index}", done ? "open" : "done", done ? "done" : "open");
            if (checklist != IncidentMessages.RecoveryChecklist)
            {
                RefreshKickoff();
            }

            return null;
        }

        public string? Resolve(Resolve resolve)
        {
            if (!Incident.Status.IsOpen())
            {
                return $"{Incident.PublicId} is already {Incident.Status.ToWire()}.";
            }

            var items = options.RecoveryChecklistFor(Incident.Severity);
            var unanswered = items.Where((_, index) => record.Checklists.FirstOrDefault(x => x.Checklist == IncidentMessages.RecoveryChecklist && x.Index == index)?.DoneAt is null).ToList();
            if (unanswered.Count > 0 && !resolve.Force)
            {
                // Nothing changes yet: the answer is the interactive checklist, to be ticked before resolving.
                RefusalMessage = Messages.RecoveryChecklistMessage(record, unanswered.Count);
                return $"Answer the recovery checklist first ({unanswered.Count} of {items.Count} open: {string.Join("; ", unanswered)}). The commander can override: resolve --force <reason>.";
            }

            if (resolve.Force && unanswered.Count > 0 && record.Holder(RoleKeys.Commander)?.Id != ctx.Actor.Id)
            {
                return "Only the Incident Commander can resolve with recovery items unanswered.";
            }

            var old = Incident.Status;
            Incident.Status = IncidentStatus.Resolved;
            Incident.ResolvedAt = now;
            Incident.MitigatedAt ??= now;
            Incident.NextUpdateDue = null;
            Incident.Summary = resolve.Summary ?? Incident.Summary;
            if (Incident.DeployFreeze)
            {
                Incident.DeployFreeze = false;
            }

            var text = resolve.Force && unanswered.Count > 0
                ? $"Resolved by the commander with {unanswered.Count} recovery item(s) unanswered. Reason: {resolve.ForceReason}"
                : $"Resolved{(resolve.Summary is null ? "" : $": {resolve.Summary}")}";
            Timeline(TimelineKinds.Resolved, text);
            Audit("status", old.ToWire(), IncidentStatus.Resolved.ToWire());
            if (resolve.Force && unanswered.Count > 0)
            {
                Audit("recovery_override", string.Join("; ", unanswered), resolve.ForceReason);
            }

            var update = new StatusUpdate(0, Incident.Id, IncidentStatus.Resolved, resolve.Summary ?? "The incident is resolved.", ctx.Actor, now);
            Set.Updates.Add(update);
            Post(new ChatMessage($"✅ {Incident.PublicId} resolved by {ctx.Actor.Mention}. {text}")
            {
                Title = $"✅ Resolved: {IncidentMessages.Header(Incident)}",
                Tone = MessageTone.Good,
                Sections = [new(Text: text), new("Next", "Draft the review with 'postmortem', add follow-ups with 'action', then 'close'.")],
                // The review is the next step: offer the draft right where people read that the incident is over.
                Links = links.Postmortem(Incident) is { } draft ? [new ChatLink("Post-incident review draft", draft)] : [],
            }, "resolved");
            FanOut(update);
            RefreshKickoff();
            return null;
        }

        public string? Close()
        {
            if (Incident.Status == IncidentStatus.Closed)
            {
                return $"{Incident.PublicId} is already closed.";
            }

            if (Incident.Status != IncidentStatus.Resolved)
            {
                return $"Resolve {Incident.PublicId} before closing it.";
            }

            var missing = record.Actions.Where(a => a.Priority == ActionPriority.Critical && !a.Done && (a.Owner is null || a.DueDate is null)).ToList();
            if (missing.Count > 0)
            {
                return "Critical actions need an owner and a due date before closing:\n" + string.Join("\n", missing.Select(IncidentMessages.ActionLine));
            }

            Incident.Status = IncidentStatus.Closed;
            Incident.ClosedAt = now;
            Timeline(TimelineKinds.Closed, "Closed", $"🔒 {Incident.PublicId} closed by {ctx.Actor.Mention}. Open follow-ups keep being reminded to their owners.");
            Audit("status", IncidentStatus.Resolved.ToWire(), IncidentStatus.Closed.ToWire());
            RefreshKickoff();
            return null;
        }

        /// <summary>Posts a link to the review draft in the channel (the draft itself is rendered on read, always current).</summary>
        public void OfferPostmortem()
        {
            var draft = links.Postmortem(Incident);
            var where = draft ?? $"GET /api/incidents/{Incident.Id}/postmortem.md";
            Timeline(TimelineKinds.Note, "Post-incident review draft requested");
            Post(new ChatMessage($"📝 Post-incident review draft for {Incident.PublicId}: {where}")
            {
                Title = $"📝 Post-incident review draft: {IncidentMessages.Header(Incident)}",
                Sections =
                [
                    new(Text: "Drafted from the record: summary, impact, key times, roles, the full timeline, updates as sent and action items, with headed prompts for root cause, contributing factors, what went well, what to improve and detection gaps."),
                    new("Follow-ups", $"{record.Actions.Count(a => !a.Done)} open of {record.Actions.Count}. Add more with 'action <text> [@owner] [due:YYYY-MM-DD] [critical|high]'."),
                ],
                Links = draft is null ? [] : [new ChatLink("Open the draft", draft), new ChatLink("Download Markdown", draft + ".md")],
                Context = draft is null ? "Set Web:BaseUrl to link the web page here." : null,
            }, "postmortem");
            Reply = Incident.ChannelId is null ? $"The draft: {where}" : $"Posted the review draft link in the channel: {where}";
        }

        public string? Snooze(TimeSpan by)
        {
            if (!Incident.Status.IsOpen())
            {
                return $"{Incident.PublicId} is {Incident.Status.ToWire()}; there is no reminder to snooze.";
            }

            if (by <= TimeSpan.Zero || by > TimeSpan.FromHours(4))
            {
                return "Snooze for between 1 minute and 4 hours.";
            }

            var old = Incident.NextUpdateDue;
            Incident.NextUpdateDue = now + by;
            Timeline(TimelineKinds.Reminder, $"Update reminder snoozed until {IncidentMessages.Time(Incident.NextUpdateDue)}", $"😴 Update reminder snoozed by {ctx.Actor.Mention} until {IncidentMessages.Time(Incident.NextUpdateDue)}.");
            Audit("next_update_due", IncidentMessages.Time(old), IncidentMessages.Time(Incident.NextUpdateDue));
            return null;
        }
    }
}

/// <summary>Ticks or unticks a checklist item (buttons on the kickoff card and the recovery checklist).</summary>
public sealed record ToggleChecklistItem(string Checklist, int Index) : IncidentCommand;

/// <summary>Postpones the next update reminder.</summary>
public sealed record SnoozeReminder(TimeSpan For) : IncidentCommand;

/// <summary>Told after every saved change (the cadence scheduler listens).</summary>
public interface IIncidentObserver
{
    Task IncidentChangedAsync(Incident incident, CancellationToken ct);
}
