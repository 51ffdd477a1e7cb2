using System.Globalization;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Cadence;

/// <summary>The neutral messages the scheduler posts; adapters render them.</summary>
public sealed class CadenceMessages(IncidentOptions options)
{
    public string RoleName(string key) => options.FindRole(key)?.Name ?? key;

    /// <summary>"2 h 5 min", "3 d 4 h", "45 s": short and readable in a chat line.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        if (span.TotalDays >= 1)
        {
            return span.Hours == 0 ? $"{(int)span.TotalDays} d" : $"{(int)span.TotalDays} d {span.Hours} h";
        }

        if (span.TotalHours >= 1)
        {
            return span.Minutes == 0 ? $"{(int)span.TotalHours} h" : $"{(int)span.TotalHours} h {span.Minutes} min";
        }

        return span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes} min" : $"{Math.Max(0, (int)span.TotalSeconds)} s";
    }

    private static ChatAction PostUpdate(Incident i) => new(ChatActions.OpenUpdateForm, "Post update", Interactions.ButtonValues.Incident(i.Id), ActionStyle.Primary);

    public ChatMessage Reminder(Incident i, UserRef to, DateTimeOffset due, DateTimeOffset escalatesAt)
    {
        var actions = new List<ChatAction> { PostUpdate(i) };
        actions.AddRange(CadencePolicy.SnoozeMinutes.Select(m => new ChatAction(ChatActions.Snooze, $"Snooze {m} min", Interactions.ButtonValues.Snooze(i.Id, m))));
        return new ChatMessage($"{to.Mention} a status update on {i.PublicId} was due at {IncidentMessages.Time(due)}. Post one now, or snooze this reminder.")
        {
            Title = $"⏰ Status update due: {IncidentMessages.Header(i)}",
            Tone = MessageTone.Warning,
            Fields = [new("Severity", i.Severity), new("Status", i.Status.ToWire()), new("Due", IncidentMessages.Time(due))],
            Actions = actions,
            Context = $"Escalates to the Incident Commander at {IncidentMessages.Time(escalatesAt)} if no update is posted.",
        };
    }

    public ChatMessage Escalation(Incident i, UserRef commander, UserRef? comms, DateTimeOffset due, DateTimeOffset now, int count = 1)
    {
        var overdue = Duration(now - due);
        var text = $"{commander.Mention} no status update on {i.PublicId} for {overdue} past its due time ({IncidentMessages.Time(due)})."
            + (comms is null || comms.Id == commander.Id ? "" : $" {comms.Mention} was reminded.")
            + " Post one, hand Communications to someone who can, or lower the severity.";
        return new ChatMessage(text)
        {
            Title = $"🚨 Status update overdue: {IncidentMessages.Header(i)}",
            Tone = MessageTone.Danger,
            Fields = count == 1 ? [new("Severity", i.Severity), new("Overdue", overdue)] : [new("Severity", i.Severity), new("Overdue", overdue), new("Escalation", count.ToString(CultureInfo.InvariantCulture))],
            Actions = [PostUpdate(i)],
        };
    }

    /// <summary>The escalation as the commander reads it in a direct message: which incident, where, and what to do.</summary>
    public ChatMessage EscalationDirect(Incident i, UserRef commander, DateTimeOffset due, DateTimeOffset now, int count)
    {
        var links = i.ChannelUrl is null ? [] : new[] { new ChatLink($"#{i.ChannelName}", i.ChannelUrl) };
        var nth = count == 1 ? "" : $" (escalation {count})";
        return new ChatMessage($"{commander.Mention} you are the Incident Commander of {i.PublicId} and no status update has been posted for {Duration(now - due)} past its due time{nth}. Post one in #{i.ChannelName}, or hand Communications to someone who can.")
        {
            Title = $"🚨 Status update overdue: {IncidentMessages.Header(i)}",
            Tone = MessageTone.Danger,
            Fields = [new("Severity", i.Severity), new("Overdue", Duration(now - due))],
            Links = links,
            Actions = [PostUpdate(i)],
        };
    }

    public ChatMessage EscalationFeed(Incident i, UserRef commander, DateTimeOffset due)
    {
        var links = i.ChannelUrl is null ? [] : new[] { new ChatLink($"#{i.ChannelName}", i.ChannelUrl) };
        return new ChatMessage($"{i.PublicId} ({i.Severity}) {i.Title}: no status update since it was due at {IncidentMessages.Time(due)}. Commander: {commander.Mention}.")
        {
            Title = $"🚨 {i.Severity} status update overdue: {IncidentMessages.Header(i)}",
            Tone = MessageTone.Danger,
            Fields = [new("Severity", i.Severity), new("Status", i.Status.ToWire()), new("Commander", commander.Mention), new("Due", IncidentMessages.Time(due))],
            Links = links,
        };
    }

    public ChatMessage RoleNudge(Incident i, IReadOnlyList<UserRef> to, IReadOnlyList<string> unfilled, TimeSpan after)
    {
        var names = string.Join(", ", unfilled.Select(RoleName));
        return new ChatMessage($"{string.Join(" ", to.Select(u => u.Mention))} {i.PublicId} ({i.Severity}) still has nobody as {names}, {Duration(after)} after it was declared. Assign with 'role <role> @user', or claim below.")
        {
            Title = $"👥 Roles still open: {IncidentMessages.Header(i)}",
            Tone = MessageTone.Warning,
            Sections = [new("Unfilled", Bullets: unfilled.Select(r => $"{RoleName(r)}: {options.FindRole(r)?.Description ?? ""}".TrimEnd(' ', ':')).ToList())],
            Actions = unfilled.Select(r => new ChatAction(ChatActions.ClaimRole, $"I'm {RoleName(r)}", Interactions.ButtonValues.ClaimRole(i.Id, r))).ToList(),
        };
    }

    public ChatMessage Stale(Incident i, UserRef commander, TimeSpan age) =>
        new($"{commander.Mention} {i.PublicId} has been open for {Duration(age)} (since {IncidentMessages.Time(i.DeclaredAt)}). Is it still an incident? Resolve it, lower the severity, or post an update.")
        {
            Title = $"🕰️ Open for {Duration(age)}: {IncidentMessages.Header(i)}",
            Tone = MessageTone.Warning,
            Fields = [new("Severity", i.Severity), new("Status", i.Status.ToWire())],
            Actions = [PostUpdate(i), new(ChatActions.Resolve, "Resolve", Interactions.ButtonValues.Incident(i.Id))],
        };

    public ChatMessage ActionReminder(Incident i, ActionItem a, UserRef to, DateOnly today, string prefix = IChatPlatform.DefaultCommandPrefix)
    {
        if (a.DueDate is null)
        {
            return UndatedActionReminder(i, a, to, prefix);
        }

        var due = a.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "not set";
        var late = a.DueDate is { } d ? today.DayNumber - d.DayNumber : 0;
        return new ChatMessage($"{to.Mention} follow-up #{a.Seq} of {i.PublicId} was due {due} ({late} day(s) ago): {a.Text}. Mark it done with 'done {a.Seq}'.")
        {
            Title = $"📝 Follow-up overdue: {i.PublicId} #{a.Seq}",
            Tone = a.Priority == ActionPriority.Critical ? MessageTone.Danger : MessageTone.Warning,
            Fields = [new("Owner", a.Owner?.Mention ?? "no owner"), new("Due", due), new("Priority", a.Priority.ToString().ToLowerInvariant())],
            Sections = [new(Text: a.Text)],
            Context = a.Owner is null ? "This action has no owner: assign one with 'action' or take it." : $"Reminded every {Duration(options.ActionReminderInterval)} until it is done ({IncidentMessages.Header(i)}).",
        };
    }

    /// <summary>An action without a due date never falls overdue: once a week its owner is asked to date it or finish it.</summary>
    private ChatMessage UndatedActionReminder(Incident i, ActionItem a, UserRef to, string prefix) =>
        new($"{to.Mention} follow-up #{a.Seq} of {i.PublicId} has no due date: {a.Text}. Set one with `{prefix} action {a.Seq} due:YYYY-MM-DD`, or mark it done with `{prefix} done {a.Seq}`.")
        {
            Title = $"📝 Follow-up without a due date: {i.PublicId} #{a.Seq}",
            Tone = a.Priority == ActionPriority.Critical ? MessageTone.Danger : MessageTone.Warning,
            Fields = [new("Owner", a.Owner?.Mention ?? "no owner"), new("Due", "not set"), new("Priority", a.Priority.ToString().ToLowerInvariant())],
            Sections = [new(Text: a.Text)],
            Context = $"Reminded every {Duration(options.UndatedActionReminderInterval)} until it has a due date or is done ({IncidentMessages.Header(i)})."
                + (a.Owner is null ? $" It has no owner: `{prefix} action {a.Seq} @someone`." : ""),
        };
}
