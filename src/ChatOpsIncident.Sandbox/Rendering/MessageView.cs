using System.Globalization;
using ChatOpsIncident.Core.Chat;

namespace ChatOpsIncident.Sandbox.Rendering;

/// <summary>A button as the API shows it: <paramref name="ActionId"/> names it within its message (see <see cref="MessageView.FindAction"/>).</summary>
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
    private const string ButtonPrefix = "b";
    private const string ChecklistPrefix = "s";

    internal static MessageView From(WorkspaceMessage m, SandboxUsers users)
    {
        var body = SandboxJson.Message(m.Body);
        var form = SandboxJson.Read<SandboxForm>(m.Form);
        var buttons = body?.Actions.Select((a, i) => new ButtonView(ButtonPrefix + Num(i), a.Label, a.Style.ToString().ToLowerInvariant())).ToList() ?? [];
        var card = body is null ? null : new CardView(
            body.Title,
            body.Tone.ToString().ToLowerInvariant(),
            body.Fields,
            body.Sections.Select((s, si) => new SectionView(s.Heading, s.Text, s.Bullets,
                s.Checklist?.Select((c, ci) => new ChecklistItemJson(c.Text, c.Done, c.DoneBy, c.ActionValue is null ? null : $"{ChecklistPrefix}{Num(si)}.{Num(ci)}")).ToList())).ToList(),
            body.Links,
            body.Context);
        var reactions = m.Reactions.GroupBy(r => r.Name)
            .Select(g => new ReactionView(g.Key, Emoji.Of(g.Key), g.Count(), g.Select(r => r.UserId).ToList()))
            .ToList();
        return new MessageView(m.Id, m.Seq, m.ChannelId, m.ThreadId, m.UserId, users.NameOf(m.UserId), m.Text, m.PostedAt, m.EditedAt,
            m.EphemeralFor, m.Pinned, m.Revision, reactions, buttons, card, form is null ? null : new FormView(m.Id, form));
    }

    /// <summary>
    /// The neutral action and value behind a button of the stored message, or null when it has no such button. The
    /// client names a button and never sends its value, so a click can only be one the bot actually offered.
    /// </summary>
    internal static (string ActionId, string? Value)? FindAction(WorkspaceMessage m, string actionId)
    {
        if (SandboxJson.Message(m.Body) is not { } body || actionId.Length < 2)
        {
            return null;
        }

        if (actionId.StartsWith(ButtonPrefix, StringComparison.Ordinal) && TryNum(actionId[1..], out var b) && b < body.Actions.Count)
        {
            return (body.Actions[b].ActionId, body.Actions[b].Value);
        }

        if (actionId.StartsWith(ChecklistPrefix, StringComparison.Ordinal) && actionId[1..].Split('.') is [var si, var ci]
            && TryNum(si, out var s) && TryNum(ci, out var c) && s < body.Sections.Count
            && body.Sections[s].Checklist is { } list && c < list.Count && list[c].ActionValue is { } value)
        {
            return (ChatActions.ToggleChecklist, value);
        }

        return null;
    }

    private static string Num(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static bool TryNum(string s, out int value) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
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
