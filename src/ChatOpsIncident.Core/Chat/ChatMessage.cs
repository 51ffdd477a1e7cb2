using System.Text.Json.Serialization;

namespace ChatOpsIncident.Core.Chat;

public enum MessageTone
{
    Info,
    Good,
    Warning,
    Danger,
}

public enum ActionStyle
{
    Default,
    Primary,
    Danger,
}

/// <summary>A labelled value, e.g. "Severity: SEV2".</summary>
public sealed record ChatField(string Label, string Value);

/// <summary>One item of a checklist, ticked by a button whose value is <see cref="ActionValue"/>.</summary>
public sealed record ChecklistItemView(string Text, bool Done, string? DoneBy, string? ActionValue);

/// <summary>A section: an optional heading, plain text (may hold mention tokens), a list or a checklist.</summary>
public sealed record ChatSection(
    string? Heading = null,
    string? Text = null,
    IReadOnlyList<string>? Bullets = null,
    IReadOnlyList<ChecklistItemView>? Checklist = null);

/// <summary>A button. <see cref="ActionId"/> is one of <see cref="ChatActions"/>; the value carries its arguments.</summary>
public sealed record ChatAction(string ActionId, string Label, string Value, ActionStyle Style = ActionStyle.Default);

public sealed record ChatLink(string Label, string Url);

/// <summary>
/// A platform-neutral message. Slack renders it as Block Kit, Teams as an Adaptive Card. Text is plain;
/// users appear as the neutral mention token <c>&lt;@ID|name&gt;</c>, which each adapter renders.
/// </summary>
public sealed record ChatMessage(string Text)
{
    public string? Title { get; init; }
    public MessageTone Tone { get; init; } = MessageTone.Info;
    public IReadOnlyList<ChatField> Fields { get; init; } = [];
    public IReadOnlyList<ChatSection> Sections { get; init; } = [];
    public IReadOnlyList<ChatAction> Actions { get; init; } = [];
    public IReadOnlyList<ChatLink> Links { get; init; } = [];
    /// <summary>Small print under the message (ids, next update due).</summary>
    public string? Context { get; init; }
    /// <summary>
    /// The incident the message is about, set from the outbox item when it is sent (never stored with it): adapters
    /// that keep their posted messages record it, so a click on the message can act only on that incident.
    /// </summary>
    [JsonIgnore]
    public Guid? IncidentId { get; init; }

    public static ChatMessage Plain(string text) => new(text);
}

/// <summary>The neutral action ids buttons carry; adapters route clicks on them back to the core.</summary>
public static class ChatActions
{
    /// <summary>Value: <c>{incidentId}|{role}</c>. The clicking user takes the role.</summary>
    public const string ClaimRole = "claim_role";
    /// <summary>Value: <c>{incidentId}|{checklist}|{index}</c>. Ticks or unticks a checklist item.</summary>
    public const string ToggleChecklist = "toggle_checklist";
    /// <summary>Value: <c>{incidentId}</c>. Opens the status-update form (the adapter owns forms).</summary>
    public const string OpenUpdateForm = "open_update_form";
    /// <summary>Value: <c>{incidentId}|{minutes}</c>. Postpones the next update reminder.</summary>
    public const string Snooze = "snooze";
    /// <summary>Value: <c>{incidentId}</c>. Starts resolution (shows the recovery checklist).</summary>
    public const string Resolve = "resolve";
    /// <summary>Value: <c>{incidentId}</c>. Acknowledges an alert-opened incident (sets its acknowledged time once).</summary>
    public const string Acknowledge = "acknowledge";
    /// <summary>Value: <c>{alertGroupId}</c>. Declares the alert group's incident.</summary>
    public const string AlertDeclare = "alert_declare";
    /// <summary>Value: <c>{alertGroupId}|{incidentId}</c>. Links the alert group to an open incident.</summary>
    public const string AlertAttach = "alert_attach";
    /// <summary>Value: <c>{alertGroupId}</c>. Dismisses the alert group until it fires again after resolving.</summary>
    public const string AlertDismiss = "alert_dismiss";
}

public sealed record PostedMessage(string ChannelId, string MessageId, string? Permalink = null);

public sealed record ChannelInfo(string Id, string Name, string? Url);
