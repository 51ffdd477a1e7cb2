using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using ChatOpsIncident.Core.Chat;

namespace ChatOpsIncident.Sandbox.Rendering;

/// <summary>
/// A button as the API shows it: <paramref name="ActionId"/> names what it does (see <see cref="MessageView.FindAction"/>),
/// not where it sits, so it stays the same while the card changes around it.
/// </summary>
public sealed record ButtonView(string ActionId, string Label, string Style);

public sealed record ChecklistItemJson(string Text, bool Done, string? DoneBy, string? ActionId);

public sealed record SectionView(string? Heading, string? Text, IReadOnlyList<string>? Bullets, IReadOnlyList<ChecklistItemJson>? Checklist);

/// <summary>The bot's neutral message, as the page renders it: header, fields, sections, checklists, buttons, links.</summary>
public sealed record CardView(
    string? Title,
    string Tone,
    IReadOnlyList<ChatField> Fields,
    IReadOnlyList<SectionView> Sections,
    IReadOnlyList<ChatLink> Links,
    string? Context);

public sealed record ReactionView(string Name, string Emoji, int Count, IReadOnlyList<string> Users);

public sealed record FormView(string Id, SandboxForm Form);

/// <summary>One message of the JSON API (<c>GET /sandbox/api/channels/{id}/messages</c>).</summary>
public sealed record MessageView(
    string Id,
    long Seq,
    string ChannelId,
    string? ThreadId,
    string User,
    string UserName,
    string Text,
    DateTimeOffset Ts,
    DateTimeOffset? EditedAt,
    string? EphemeralFor,
    bool Pinned,
    long Revision,
    IReadOnlyList<ReactionView> Reactions,
    IReadOnlyList<ButtonView> Buttons,
    CardView? Card,
    FormView? Form)
{
    private const string ButtonPrefix = "b-";
    private const string ChecklistPrefix = "c-";

    internal static MessageView From(WorkspaceMessage m, SandboxUsers users)
    {
        var body = SandboxJson.Message(m.Body);
        var form = SandboxJson.Read<SandboxForm>(m.Form);
        var buttons = body?.Actions.Select(a => new ButtonView(ButtonId(a.ActionId, a.Value), a.Label, a.Style.ToString().ToLowerInvariant())).ToList() ?? [];
        var card = body is null ? null : new CardView(
            body.Title,
            body.Tone.ToString().ToLowerInvariant(),
            body.Fields,
            body.Sections.Select(s => new SectionView(s.Heading, s.Text, s.Bullets,
                s.Checklist?.Select(c => new ChecklistItemJson(c.Text, c.Done, c.DoneBy, c.ActionValue is null ? null : ChecklistId(c.ActionValue))).ToList())).ToList(),
            body.Links,
            body.Context);
        var reactions = m.Reactions.GroupBy(r => r.Name)
            .Select(g => new ReactionView(g.Key, Emoji.Of(g.Key), g.Count(), g.Select(r => r.UserId).ToList()))
            .ToList();
        return new MessageView(m.Id, m.Seq, m.ChannelId, m.ThreadId, m.UserId, users.NameOf(m.UserId), m.Text, m.PostedAt, m.EditedAt,
            m.EphemeralFor, m.Pinned, m.Revision, reactions, buttons, card, form is null ? null : new FormView(m.Id, form));
    }

    /// <summary>
    /// The neutral action and value behind a button of the stored message, or null when it has no such button (any
    /// more). The client names a button and never sends its value, so a click can only be one the bot actually offered;
    /// and the name is derived from what the button does, so a click on a button that has since gone (a claimed role,
    /// a card redrawn) finds nothing instead of whatever now sits in its place.
    /// </summary>
    internal static (string ActionId, string? Value)? FindAction(WorkspaceMessage m, string actionId)
    {
        if (!IsButtonId(actionId) || SandboxJson.Message(m.Body) is not { } body)
        {
            return null;
        }

        if (body.Actions.FirstOrDefault(a => ButtonId(a.ActionId, a.Value) == actionId) is { } button)
        {
            return (button.ActionId, button.Value);
        }

        return body.Sections.SelectMany(s => s.Checklist ?? []).FirstOrDefault(c => c.ActionValue is { } v && ChecklistId(v) == actionId) is { ActionValue: { } value }
            ? (ChatActions.ToggleChecklist, value)
            : null;
    }

    /// <summary>Whether the text has the shape of a button id at all (a malformed one is bad input, not a stale click).</summary>
    internal static bool IsButtonId([NotNullWhen(true)] string? actionId) =>
        actionId is { Length: 14 } && (actionId.StartsWith(ButtonPrefix, StringComparison.Ordinal) || actionId.StartsWith(ChecklistPrefix, StringComparison.Ordinal))
        && actionId.AsSpan(2).IndexOfAnyExcept("0123456789abcdef") < 0;

    internal static string ButtonId(string neutralActionId, string? value) => ButtonPrefix + Hash($"{neutralActionId}\n{value}");

    internal static string ChecklistId(string value) => ChecklistPrefix + Hash($"{ChatActions.ToggleChecklist}\n{value}");

    /// <summary>12 hex digits of SHA-256: short in the page, and two buttons of one card never meet by chance.</summary>
    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
}

/// <summary>The reactions the workspace offers, by Slack-style name (what the API takes) with their character.</summary>
public static class Emoji
{
    public static readonly IReadOnlyDictionary<string, string> Known = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["pushpin"] = "📌",
        ["white_check_mark"] = "✅",
        ["eyes"] = "👀",
        ["+1"] = "👍",
        ["tada"] = "🎉",
        ["fire"] = "🔥",
    };

    public static string Of(string name) => Known.TryGetValue(name, out var e) ? e : $":{name}:";

    /// <summary>A known name, or the name of a known character ("📌" → pushpin); null for anything else.</summary>
    public static string? Normalize(string? nameOrChar)
    {
        var trimmed = nameOrChar?.Trim().Trim(':');
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        return Known.ContainsKey(trimmed) ? trimmed : Known.FirstOrDefault(kv => kv.Value == trimmed).Key;
    }
}
