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

    public CadenceQuery Query(DateTimeOffset now) => new(
        Micros(now),
        options.Severities.Select(s => new SeverityGrace(s.Name, Grace(s.Name))).ToList(),
        Grace(options.DefaultSeverity),
        Millis(options.RoleNudgeAfter),
        Millis(options.StaleAfter));

    public DateTimeOffset? ReminderAt(Incident i, CadenceState s) =>
        i.Status.IsOpen() && i.NextUpdateDue is { } due && s.RemindedDue != due ? due : null;

    public DateTimeOffset? EscalationAt(Incident i, CadenceState s) =>
        i.Status.IsOpen() && i.NextUpdateDue is { } due && s.EscalatedDue != due ? due + Grace(i.Severity) : null;

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
            timeline.Add(Entry(i, TimelineKinds.Reminder, $"Status update reminder sent to {to.Mention} (due {IncidentMessages.Time(due)})", $"remind:{due.ToUnixTimeMilliseconds()}", now));
            s = s with { RemindedDue = due };
            done |= CadenceDue.Reminder;
        }

        if (EscalationAt(i, s) is { } escalateAt && escalateAt <= now)
        {
            var due = i.NextUpdateDue!.Value;
            var key = OutboxKeys.Escalation(i.Id, due);
            var commander = c.Holder(RoleKeys.Commander) ?? i.DeclaredBy;
            var severity = SeverityOf(i.Severity);
            outbox.Add(new OutboxMessage(key, i.Id, i.Platform, OutboxOperations.Post, channel) { Message = Messages.Escalation(i, commander, c.Holder(RoleKeys.Comms), due, now) });
            if (!i.IsPrivate && platforms.Find(i.Platform)?.FeedChannelId is { Length: > 0 } feed && feed != channel)
            {
                outbox.Add(new OutboxMessage($"{key}:feed", i.Id, i.Platform, OutboxOperations.Post, feed) { Message = Messages.EscalationFeed(i, commander, due) });
            }

            if (severity.Page)
            {
                outbox.Add(new OutboxMessage($"{key}:page", i.Id, i.Platform, OutboxOperations.Page, channel) { Text = $"{i.PublicId} ({i.Severity}): status update overdue since {IncidentMessages.Time(due)} — {i.Title}" });
            }

            timeline.Add(Entry(i, TimelineKinds.Escalation, $"Escalated to {commander.Mention}: status update overdue since {IncidentMessages.Time(due)}{(severity.Page ? " (paged)" : "")}", $"escalate:{due.ToUnixTimeMilliseconds()}", now));
            s = s with { EscalatedDue = due };
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

        return new(i.Id, i.PublicId, done, s, outbox, timeline);
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
