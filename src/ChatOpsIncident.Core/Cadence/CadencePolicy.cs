using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Cadence;

/// <summary>
/// The update-cadence rules: when a reminder, an escalation, a role nudge or a stale reminder is due, and what each
/// posts. Pure: the clock comes in as an argument, the store applies what it returns.
/// </summary>
public sealed class CadencePolicy(IncidentOptions options, IChatPlatforms platforms)
{
    /// <summary>Snooze choices on a reminder, in minutes.</summary>
    public static readonly IReadOnlyList<int> SnoozeMinutes = [10, 30, 60];

    private CadenceMessages Messages => new(options);

    /// <summary>The severity's settings; an incident whose severity was renamed in configuration falls back to the default severity.</summary>
    public SeverityOptions SeverityOf(string severity) =>
        options.FindSeverity(severity) ?? options.FindSeverity(options.DefaultSeverity) ?? options.Severities[^1];

    /// <summary>How long after a missed due time the escalation follows (the cadence times <c>EscalationGraceFraction</c>).</summary>
    public TimeSpan Grace(string severity) => Millis(SeverityOf(severity).UpdateCadence * options.EscalationGraceFraction);

    /// <summary>How often the escalation repeats while no update is posted (<c>Incident:EscalationRepeat</c>, else the cadence).</summary>
    public TimeSpan Repeat(string severity) => Millis(options.EscalationRepeat ?? SeverityOf(severity).UpdateCadence);

    public CadenceQuery Query(DateTimeOffset now) => new(
        Micros(now),
        options.Severities.Select(s => new SeverityGrace(s.Name, Grace(s.Name), Repeat(s.Name))).ToList(),
        Grace(options.DefaultSeverity),
        Repeat(options.DefaultSeverity),
        Millis(options.RoleNudgeAfter),
        Millis(options.StaleAfter));

    public DateTimeOffset? ReminderAt(Incident i, CadenceState s) =>
        i.Status.IsOpen() && i.NextUpdateDue is { } due && s.RemindedDue != due ? due : null;

    /// <summary>How many escalations were posted for the incident's current due time (0 once an update moved it).</summary>
    public static int EscalationsFor(Incident i, CadenceState s) => i.NextUpdateDue is { } due && s.EscalatedDue == due ? Math.Max(1, s.Escalations) : 0;

    /// <summary>
    /// The first escalation follows the missed due time by the grace; each further one follows the previous by the
    /// repeat, until an update moves the due time.
    /// </summary>
    public DateTimeOffset? EscalationAt(Incident i, CadenceState s) =>
        i.Status.IsOpen() && i.NextUpdateDue is { } due ? due + Grace(i.Severity) + Repeat(i.Severity) * EscalationsFor(i, s) : null;

    public DateTimeOffset? NudgeAt(Incident i, CadenceState s) =>
        i.Status.IsOpen() && s.NudgedAt is null ? i.DeclaredAt + Millis(options.RoleNudgeAfter) : null;

    public DateTimeOffset? StaleAt(Incident i, CadenceState s) =>
        i.Status.IsOpen() ? i.DeclaredAt + Millis(options.StaleAfter) * (s.StaleReminders + 1) : null;

    /// <summary>The instants at which something may fall due for this incident, ignoring what was done already (for scheduling).</summary>
    public IReadOnlyList<DateTimeOffset> UpcomingTimes(Incident i)
    {
        var fresh = new CadenceState();
        return new[] { ReminderAt(i, fresh), EscalationAt(i, fresh), NudgeAt(i, fresh) }
            .Where(t => t is not null).Select(t => t!.Value).ToList();
    }

    /// <summary>Required roles of the severity that nobody holds.</summary>
    public IReadOnlyList<string> UnfilledRoles(CadenceCandidate c) =>
        SeverityOf(c.Incident.Severity).RequiredRoles.Where(r => c.Holder(r) is null).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Decides everything due at <paramref name="now"/> for one incident. The returned state always covers what was due, so a candidate is never decided twice.</summary>
    public CadenceEffects Decide(CadenceCandidate c, DateTimeOffset now)
    {
        var i = c.Incident;
        var s = c.State;
        var outbox = new List<OutboxMessage>();
        var timeline = new List<TimelineEntry>();
        var done = CadenceDue.None;
        if (i.ChannelId is not { } channel || !i.Status.IsOpen())
        {
            return new(i.Id, i.PublicId, done, s, outbox, timeline);
        }

        if (ReminderAt(i, s) is { } remindAt && remindAt <= now)
        {
            var due = remindAt;
            var to = c.Holder(RoleKeys.Comms) ?? c.Holder(RoleKeys.Commander) ?? i.DeclaredBy;
            outbox.Add(new OutboxMessage(OutboxKeys.Reminder(i.Id, due), i.Id, i.Platform, OutboxOperations.Post, channel)
            {
                Message = Messages.Reminder(i, to, due, due + Grace(i.Severity)),
            });
            if (options.RemindByDirectMessage)
            {
                outbox.Add(new OutboxMessage($"{OutboxKeys.Reminder(i.Id, due)}:dm", i.Id, i.Platform, OutboxOperations.DirectMessage, channel)
                {
                    Users = [to],
                    Message = Messages.Reminder(i, to, due, due + Grace(i.Severity)),
                });
            }
            timeline.Add(Entry(i, TimelineKinds.Reminder, $"Status update reminder sent to {to.Mention} (due {IncidentMessages.Time(due)})", $"remind:{due.ToUnixTimeMilliseconds()}", now));
            s = s with { RemindedDue = due };
            done |= CadenceDue.Reminder;
        }

        DateTimeOffset? nextEscalation = null;
        if (EscalationAt(i, s) is { } escalateAt && escalateAt <= now)
        {
            var due = i.NextUpdateDue!.Value;
            var before = EscalationsFor(i, s);
            var repeat = Repeat(i.Severity);
            // After a long outage, post one escalation for the current miss count instead of one per missed repeat.
            var n = before + 1 + (int)Math.Min(int.MaxValue / 2, (now - escalateAt).Ticks / Math.Max(1, repeat.Ticks));
            // The first keeps its historical keys, so an escalation queued before this version is never posted again.
            var key = n == 1 ? OutboxKeys.Escalation(i.Id, due) : $"{OutboxKeys.Escalation(i.Id, due)}:{n}";
            var commander = c.Holder(RoleKeys.Commander) ?? i.DeclaredBy;
            var severity = SeverityOf(i.Severity);
            var message = Messages.Escalation(i, commander, c.Holder(RoleKeys.Comms), due, now, n);
            outbox.Add(new OutboxMessage(key, i.Id, i.Platform, OutboxOperations.Post, channel) { Message = message });
            // The commander hears it privately too: a busy channel buries a mention.
            outbox.Add(new OutboxMessage($"{key}:dm", i.Id, i.Platform, OutboxOperations.DirectMessage, channel)
            {
                Users = [commander],
                Message = Messages.EscalationDirect(i, commander, due, now, n),
            });
            if (n == 1 && !i.IsPrivate && platforms.Find(i.Platform)?.FeedChannelId is { Length: > 0 } feed && feed != channel)
            {
                outbox.Add(new OutboxMessage($"{key}:feed", i.Id, i.Platform, OutboxOperations.Post, feed) { Message = Messages.EscalationFeed(i, commander, due) });
            }

            // Each step pages once: the severity's Page at the first miss, every PageAfterMisses step the run passes.
            var pageSteps = severity.PageAfterMisses.Where(k => k > before && k <= n).ToList();
            var paged = (severity.Page && before == 0) || pageSteps.Count > 0;
            if (severity.Page && before == 0)
            {
                outbox.Add(new OutboxMessage($"{OutboxKeys.Escalation(i.Id, due)}:page", i.Id, i.Platform, OutboxOperations.Page, channel) { Text = $"{i.PublicId} ({i.Severity}): status update overdue since {IncidentMessages.Time(due)} — {i.Title}", TargetKey = PageRoutes.Severity(i.Severity) });
            }

            foreach (var k in pageSteps.Where(k => !(severity.Page && k == 1)))
            {
                outbox.Add(new OutboxMessage($"{OutboxKeys.Escalation(i.Id, due)}:page:{k}", i.Id, i.Platform, OutboxOperations.Page, channel) { Text = $"{i.PublicId} ({i.Severity}): {k} status updates missed in a row since {IncidentMessages.Time(due)} — {i.Title}", TargetKey = PageRoutes.Severity(i.Severity) });
            }

            var what = n == 1 ? "status update overdue" : $"escalation {n}, status update still overdue";
            timeline.Add(Entry(i, TimelineKinds.Escalation, $"Escalated to {commander.Mention}: {what} since {IncidentMessages.Time(due)}{(paged ? " (paged)" : "")}", n == 1 ? $"escalate:{due.ToUnixTimeMilliseconds()}" : $"escalate:{due.ToUnixTimeMilliseconds()}:{n}", now));
            s = s with { EscalatedDue = due, Escalations = n };
            nextEscalation = EscalationAt(i, s);
            done |= CadenceDue.Escalation;
        }

        if (NudgeAt(i, s) is { } nudgeAt && nudgeAt <= now)
        {
            var unfilled = UnfilledRoles(c);
            if (unfilled.Count > 0)
            {
                var who = new[] { c.Holder(RoleKeys.Commander), i.DeclaredBy }.Where(u => u is not null).Select(u => u!).DistinctBy(u => u.Id).ToList();
                outbox.Add(new OutboxMessage(OutboxKeys.Nudge(i.Id), i.Id, i.Platform, OutboxOperations.Post, channel) { Message = Messages.RoleNudge(i, who, unfilled, options.RoleNudgeAfter) });
                timeline.Add(Entry(i, TimelineKinds.Reminder, $"Nudged {string.Join(", ", who.Select(u => u.Mention))}: {string.Join(", ", unfilled.Select(Messages.RoleName))} unfilled", "nudge", now));
            }

            // Marked even when every role is filled: the nudge is checked once.
            s = s with { NudgedAt = now };
            done |= CadenceDue.Nudge;
        }

        if (StaleAt(i, s) is { } staleAt && staleAt <= now)
        {
            var period = Millis(options.StaleAfter);
            // After a long outage, post one reminder for the current age instead of one per missed period.
            var count = (int)Math.Min(int.MaxValue, (now - i.DeclaredAt).Ticks / Math.Max(1, period.Ticks));
            var commander = c.Holder(RoleKeys.Commander) ?? i.DeclaredBy;
            outbox.Add(new OutboxMessage(OutboxKeys.Stale(i.Id, count), i.Id, i.Platform, OutboxOperations.Post, channel) { Message = Messages.Stale(i, commander, now - i.DeclaredAt) });
            timeline.Add(Entry(i, TimelineKinds.Reminder, $"Stale reminder: open for {CadenceMessages.Duration(now - i.DeclaredAt)}", $"stale:{count}", now));
            s = s with { StaleReminders = Math.Max(count, s.StaleReminders + 1) };
            done |= CadenceDue.Stale;
        }

        return new(i.Id, i.PublicId, done, s, outbox, timeline) { NextEscalation = nextEscalation };
    }

    /// <summary>The reminder for one overdue action, in its incident's channel, to its owner (the commander when it has none).</summary>
    public OutboxMessage? ActionReminder(OverdueAction a, DateTimeOffset now)
    {
        if (a.Incident.ChannelId is not { } channel)
        {
            return null;
        }

        var to = a.Action.Owner ?? a.Commander ?? a.Incident.DeclaredBy;
        return new OutboxMessage(OutboxKeys.ActionReminder(a.Incident.Id, a.Action.Seq, now), a.Incident.Id, a.Incident.Platform, OutboxOperations.Post, channel)
        {
            Message = Messages.ActionReminder(a.Incident, a.Action, to, DateOnly.FromDateTime(now.UtcDateTime), platforms.Find(a.Incident.Platform)?.CommandPrefix ?? IChatPlatform.DefaultCommandPrefix),
        };
    }

    private static TimelineEntry Entry(Incident i, string kind, string text, string key, DateTimeOffset now) =>
        TimelineEntry.Now(i.Id, kind, text, now, dedupeKey: key);

    /// <summary>PostgreSQL keeps microseconds; comparing values rounded the same way keeps the store and the policy in agreement.</summary>
    public static DateTimeOffset Micros(DateTimeOffset t) => new(t.Ticks - (t.Ticks % 10), t.Offset);

    public static TimeSpan Millis(TimeSpan span) => TimeSpan.FromMilliseconds(Math.Round(span.TotalMilliseconds));
}
