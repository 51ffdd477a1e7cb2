using ChatOpsIncident.Core.Chat;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>Acknowledging, giving roles back, role briefings and pages from chat.</summary>
public sealed partial class IncidentMessages
{
    public static string AlreadyAcknowledged(Incident i, DateTimeOffset at) => $"{i.PublicId} was already acknowledged at {Time(at)}.";

    public static string AcknowledgedEntry(UserRef by) => $"Acknowledged by {by.Mention}";

    public static string AcknowledgedPost(UserRef by) => $"👀 {by.Mention} acknowledged the incident.";

    public string HoldsNoRole(UserRef user) => $"{user.Mention} holds no role on this incident.";

    public string RoleUnassigned(string role, UserRef holder, UserRef by) => holder.Id == by.Id
        ? $"{holder.Mention} is no longer {RoleName(role)}"
        : $"{holder.Mention} is no longer {RoleName(role)} (unassigned by {by.Mention})";

    public static string PagedEntry(string? service, string reason, UserRef by) =>
        $"{by.Mention} paged {(service is null ? "the on-call" : service)}: {reason}";

    /// <summary>The role's description, sent to its new holder alone: what the role asks of them on this incident.</summary>
    public ChatMessage RoleBriefing(Incident i, string role, UserRef by)
    {
        var r = options.FindRole(role);
        var links = i.ChannelUrl is null ? [] : new[] { new ChatLink($"#{i.ChannelName}", i.ChannelUrl) };
        return new ChatMessage($"You are now {RoleName(role)} on {Header(i)} (set by {by.Mention}). {r?.Description}".TrimEnd())
        {
            Title = $"👤 You are {RoleName(role)}: {Header(i)}",
            Tone = MessageTone.Info,
            Fields = [new("Severity", i.Severity), new("Status", i.Status.ToWire())],
            Sections = string.IsNullOrWhiteSpace(r?.Description) ? [] : [new("What the role does", r!.Description)],
            Links = links,
            Context = $"Give it back with 'unassign {role}' or 'leave' in #{i.ChannelName}.",
        };
    }

    /// <summary>The kickoff's Acknowledge button: only on an incident no person has acted on yet (opened by an alert).</summary>
    public static ChatAction? AcknowledgeAction(Incident i) =>
        i.AcknowledgedAt is null && i.Status.IsOpen()
            ? new ChatAction(ChatActions.Acknowledge, "Acknowledge", Interactions.ButtonValues.Incident(i.Id), ActionStyle.Primary)
            : null;

    /// <summary>A new incident, as a stakeholder channel reads it: what, how bad, where to follow.</summary>
    public ChatMessage StakeholderDeclared(Incident i)
    {
        var links = i.ChannelUrl is null || i.IsPrivate ? [] : new[] { new ChatLink($"#{i.ChannelName}", i.ChannelUrl) };
        return new ChatMessage($"[{i.Severity}] {i.PublicId} {i.Title} — declared")
        {
            Title = $"🚨 [{i.Severity}] declared: {Header(i)}",
            Tone = MessageTone.Danger,
            Fields = [new("Status", i.Status.ToWire()), new("Severity", i.Severity), new("Impact", options.FindSeverity(i.Severity)?.Description ?? i.Severity)],
            Links = links,
            Context = $"First update by {Time(i.NextUpdateDue)}",
        };
    }

    public ChatMessage StakeholderSeverityChanged(Incident i, string old, bool raised)
    {
        var links = i.ChannelUrl is null || i.IsPrivate ? [] : new[] { new ChatLink($"#{i.ChannelName}", i.ChannelUrl) };
        return new ChatMessage($"[{i.Severity}] {i.PublicId} {i.Title} — severity {(raised ? "raised" : "lowered")} from {old} to {i.Severity}")
        {
            Title = $"{(raised ? "⬆️" : "⬇️")} [{i.Severity}] severity {(raised ? "raised" : "lowered")}: {Header(i)}",
            Tone = raised ? MessageTone.Danger : MessageTone.Warning,
            Fields = [new("Severity", $"{old} → {i.Severity}"), new("Status", i.Status.ToWire()), new("Impact", options.FindSeverity(i.Severity)?.Description ?? i.Severity)],
            Links = links,
            Context = $"Next update by {Time(i.NextUpdateDue)}",
        };
    }

    /// <summary>What a channel not cleared for private incidents learns: that one exists and moved (no number, title or channel).</summary>
    public static ChatMessage RedactedStakeholderNotice(Incident i, string text) =>
        new(text) { Title = text, Tone = MessageTone.Warning };
}
