using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Configuration;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>What a change says: its timeline text, what it posts in the channel, the answer to the person who ran it.</summary>
public sealed partial class IncidentMessages
{
    public const string Noted = "Noted on the timeline.";
    public const string ResolvedUpdate = "The incident is resolved.";
    public const string ClosedEntry = "Closed";
    public const string PostmortemRequestedEntry = "Post-incident review draft requested";

    public static string Declared(SeverityOptions severity, IncidentTypeOptions type, Incident i) => $"Declared {severity.Name} ({type.Name}): {i.Title}";

    public string CommanderAssigned(UserRef commander) => $"{commander.Mention} is {RoleName(RoleKeys.Commander)}";

    public static string DeclaredReply(Incident i) => i.ChannelName is null
        ? $"{i.PublicId} declared."
        : $"{i.PublicId} declared: join #{i.ChannelName}{(i.ChannelUrl is null ? "" : $" ({i.ChannelUrl})")}";

    public static string ChannelOpened(ChannelInfo channel) => $"Channel #{channel.Name} opened";

    public static string DeclaredPage(Incident i) => $"{i.Severity} declared: {i.Title}";

    public string RoleAssigned(string role, UserRef user, UserRef? previous) => previous is null
        ? $"{user.Mention} is now {RoleName(role)}"
        : $"{user.Mention} is now {RoleName(role)} (was {previous.Mention})";

    public static string RoleAssignedPost(string text, UserRef actor) => $"👤 {text} (set by {actor.Mention})";

    public static string SeverityChanged(bool raised, string from, string to) => $"Severity {Direction(raised)} from {from} to {to}";

    public static string SeverityChangedPost(bool raised, string from, Incident i, UserRef actor) =>
        $"⚠️ Severity {Direction(raised)}: {from} → {i.Severity} (by {actor.Mention}). Next update due {Time(i.NextUpdateDue)}.";

    private static string Direction(bool raised) => raised ? "raised" : "lowered";

    public static string RaisedPage(Incident i) => $"Raised to {i.Severity}: {i.Title}";

    public static string TypeChanged(string from, string to) => $"Type changed from {from} to {to}";

    public static string TitleChanged(string from, string to) => $"Title changed from \"{from}\" to \"{to}\"";

    public static string TitleChangedPost(string to, UserRef actor) => $"✏️ Title: {to} (by {actor.Mention}).";

    public const string DescriptionChanged = "Description edited";

    public static string TypeChangedPost(string from, string to, UserRef actor) => $"🏷️ Type: {from} → {to} (by {actor.Mention}). The {to} runbook is on the pinned card.";

    /// <summary>To the commander, in the channel, when the type becomes a private one but the channel was made public.</summary>
    public static string BecamePrivatePost(Incident i, string type, UserRef? commander) =>
        $"🔒 {commander?.Mention ?? "Incident Commander"}: {type} incidents are private, but this channel is public. {i.PublicId} is now hidden from the incident list, the pages and the API for everyone but its people and admins, "
        + "and stakeholder channels get only a redacted line, but anyone in this channel still reads it: do not post private details here. "
        + $"Declare a private incident for them (declare {i.Severity.ToLowerInvariant()} type:{type} <title>) and link it to {i.PublicId}.";

    public static string MitigationPost(string text, UserRef actor) => $"🩹 Mitigation recorded by {actor.Mention}: {text}";

    public static string ActionEditedEntry(ActionItem a) => $"Action edited: {IncidentMessages.ActionLine(a)}";

    public static string ActionReopenedEntry(ActionItem a) => $"Action reopened: #{a.Seq} {a.Text}";

    public static string ActionEditedReply(ActionItem a) => $"Action #{a.Seq} edited: {ActionLine(a)}";

    public static string ActionReopenedReply(ActionItem a) => $"Action #{a.Seq} is open again: {a.Text}";

    public const string RecentChangesTitle = "Recent changes";

    /// <summary>The kickoff card lists at most this many changes, newest first; the rest are on the timeline.</summary>
    public const int RecentChangesShown = 10;

    /// <summary>
    /// The kickoff card's "Recent changes" section (null when none were recorded before the incident): the newest
    /// first, bounded, saying how many more the timeline holds.
    /// </summary>
    public static ChatSection? RecentChangesSection(IncidentRecord r)
    {
        if (r.PriorChanges.Count == 0)
        {
            return null;
        }

        var shown = r.PriorChanges.Take(RecentChangesShown).Select(e => e.Text).ToList();
        var more = Math.Max(r.PriorChangeCount, shown.Count) - shown.Count;
        return new ChatSection(
            RecentChangesTitle,
            more > 0 ? $"The newest {shown.Count}, and {more} more on the timeline." : null,
            shown);
    }

    public static string ChangeLine(Changes.ChangeEvent c) =>
        $"{c.Kind} {c.Service}: {c.Summary}" + (c.Author is null ? "" : $" (by {c.Author})") + $" at {Time(c.OccurredAt)}" + (c.Url is null ? "" : $" <{c.Url}>");

    public const string FreezeLiftedByResolve = "Deploy freeze lifted: the incident is resolved";

    public static string FreezeEntry(bool on) => on ? "Deploy freeze on" : "Deploy freeze lifted";

    public static string FreezePost(bool on, UserRef actor) =>
        on ? $"🧊 Deploys are frozen (by {actor.Mention}). Lift with 'freeze off'." : $"🔥 Deploy freeze lifted (by {actor.Mention}).";

    public static string UpdateEntry(IncidentStatus status, string text) => $"Status update ({status.ToWire()}): {text}";

    /// <summary>Says what each stakeholder channel got: the full update, or (private incidents) only the redacted line.</summary>
    public static string UpdatePosted(int full, int redacted, Incident i) =>
        $"Update posted{(full > 0 ? $" and sent to {full} stakeholder channel(s)" : "")}"
        + (redacted > 0 ? $"; {redacted} stakeholder channel(s) got only a redacted line (private incident)" : "")
        + $". Next update due {Time(i.NextUpdateDue)}.";

    public static string ChecklistToggled(bool done, string checklist, string item) => $"{(done ? "Checked" : "Unchecked")} {checklist}: {item}";

    public static string ResolvedOverride(int unanswered, string? reason) =>
        $"Resolved by the commander with {unanswered} recovery item(s) unanswered. Reason: {reason}";

    public static string ResolvedEntry(string? summary) => $"Resolved{(summary is null ? "" : $": {summary}")}";

    /// <summary>The resolve card in the channel; the review is the next step, so the draft is offered right there.</summary>
    public static ChatMessage ResolvedCard(Incident i, UserRef actor, string text, string? draft) =>
        new($"✅ {i.PublicId} resolved by {actor.Mention}. {text}")
        {
            Title = $"✅ Resolved: {Header(i)}",
            Tone = MessageTone.Good,
            Sections = [new(Text: text), new("Next", "Draft the review with 'postmortem', add follow-ups with 'action', then 'close'.")],
            Links = draft is { } link ? [new ChatLink("Post-incident review draft", link)] : [],
        };

    public static string SnoozedEntry(Incident i) => $"Update reminder snoozed until {Time(i.NextUpdateDue)}";

    public static string SnoozedPost(Incident i, UserRef actor) => $"😴 Update reminder snoozed by {actor.Mention} until {Time(i.NextUpdateDue)}.";

    public static string ActionAddedEntry(string line) => $"Action added: {line}";

    public static string ActionAddedPost(string line, UserRef actor) => $"📝 Action added by {actor.Mention}: {line}";

    public static string ActionDoneEntry(ActionItem item) => $"Action #{item.Seq} done: {item.Text}";

    public static string ActionDonePost(ActionItem item, UserRef actor) => $"✅ Action #{item.Seq} done (by {actor.Mention}): {item.Text}";

    public static string ClosedPost(Incident i, UserRef actor) => $"🔒 {i.PublicId} closed by {actor.Mention}. Open follow-ups keep being reminded to their owners.";

    public static string PostmortemApiPath(Incident i) => $"GET /api/incidents/{i.Id}/postmortem.md";

    /// <summary>The review draft offered in the channel; <paramref name="where"/> is the link, or the API path without a web base URL.</summary>
    public static ChatMessage PostmortemOffer(IncidentRecord record, Incident i, string? draft, string where) =>
        new($"📝 Post-incident review draft for {i.PublicId}: {where}")
        {
            Title = $"📝 Post-incident review draft: {Header(i)}",
            Sections =
            [
                new(Text: "Drafted from the record: summary, impact, key times, roles, the full timeline, updates as sent and action items, with headed prompts for root cause, contributing factors, what went well, what to improve and detection gaps."),
                new("Follow-ups", $"{record.Actions.Count(a => !a.Done)} open of {record.Actions.Count}. Add more with 'action <text> [@owner] [due:YYYY-MM-DD] [critical|high]'."),
            ],
            Links = draft is null ? [] : [new ChatLink("Open the draft", draft), new ChatLink("Download Markdown", draft + ".md")],
            Context = draft is null ? "Set Web:BaseUrl to link the web page here." : null,
        };

    public static string PostmortemReply(Incident i, string where) =>
        i.ChannelId is null ? $"The draft: {where}" : $"Posted the review draft link in the channel: {where}";
}
