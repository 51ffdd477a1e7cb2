using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Teams.Cards;

/// <summary>Renders the core's neutral messages as Adaptive Cards (1.5, what Teams supports for Action.Execute).</summary>
internal static partial class AdaptiveCards
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";
    public const string Version = "1.5";

    /// <summary>Verbs of the adapter's own forms (the neutral button ids are in <see cref="ChatActions"/>).</summary>
    public const string DeclareSubmit = "declare_submit";
    public const string UpdateSubmit = "update_submit";

    [GeneratedRegex(@"<@([^|>\s]+)(?:\|([^>]*))?>", RegexOptions.CultureInvariant)]
    private static partial Regex MentionToken();

    /// <summary>A message activity carrying <paramref name="message"/> as a card.</summary>
    public static JsonObject Activity(ChatMessage message) => new()
    {
        ["type"] = "message",
        ["attachments"] = new JsonArray(Attachment(Render(message))),
    };

    public static JsonObject Attachment(JsonObject card) => new()
    {
        ["contentType"] = ContentType,
        ["content"] = card,
    };

    public static JsonObject Render(ChatMessage m)
    {
        var mentions = new Mentions();
        var body = new JsonArray();
        if (m.Title is { Length: > 0 } title)
        {
            body.Add(Text(mentions.Render(title), size: "Medium", weight: "Bolder", color: Color(m.Tone)));
        }

        // Without sections the text is the message (a reminder's "@Megan a status update is due"): it must be shown,
        // fields or not, or its mentions notify nobody. With sections, the sections say it and the text is a summary.
        if (m.Sections.Count == 0)
        {
            foreach (var line in Lines(m.Text))
            {
                body.Add(Text(mentions.Render(line)));
            }
        }

        if (m.Fields.Count > 0)
        {
            body.Add(new JsonObject
            {
                ["type"] = "FactSet",
                ["facts"] = new JsonArray(m.Fields.Select(f => (JsonNode)new JsonObject { ["title"] = f.Label, ["value"] = mentions.Render(f.Value) }).ToArray()),
            });
        }

        foreach (var section in m.Sections)
        {
            if (section.Heading is { Length: > 0 } heading)
            {
                body.Add(Text(mentions.Render(heading), weight: "Bolder", separator: true));
            }

            foreach (var line in Lines(section.Text))
            {
                body.Add(Text(mentions.Render(line)));
            }

            foreach (var bullet in section.Bullets ?? [])
            {
                body.Add(Text("• " + mentions.Render(bullet), spacing: "None"));
            }

            foreach (var item in section.Checklist ?? [])
            {
                body.Add(ChecklistRow(item, mentions));
            }
        }

        if (m.Links.Count > 0)
        {
            body.Add(Text(string.Join("  ·  ", m.Links.Select(l => $"[{CardText.Escape(l.Label)}]({l.Url})"))));
        }

        if (m.Context is { Length: > 0 } context)
        {
            body.Add(Text(mentions.Render(context), size: "Small", subtle: true));
        }

        var card = Card(body, mentions);
        if (m.Actions.Count > 0)
        {
            card["actions"] = new JsonArray(m.Actions.Select(a => (JsonNode)Execute(a.Label, a.ActionId, a.Value, a.Style)).ToArray());
        }

        return card;
    }

    /// <summary>The declaration form (Teams' answer to <c>declare</c> without arguments).</summary>
    public static JsonObject DeclareForm(IncidentOptions options) => Card(new JsonArray(
        Text("🚨 Declare an incident", size: "Medium", weight: "Bolder"),
        new JsonObject { ["type"] = "Input.Text", ["id"] = "title", ["label"] = "Title", ["isRequired"] = true, ["maxLength"] = 200, ["errorMessage"] = "A title is required." },
        Choices("severity", "Severity", options.Severities.Select(s => (s.Name, $"{s.Name} — {s.Description}")), options.DefaultSeverity),
        Choices("type", "Type", options.Types.Select(t => (t.Name, t.Name)), options.DefaultType),
        new JsonObject { ["type"] = "Input.Text", ["id"] = "description", ["label"] = "What is happening?", ["isMultiline"] = true },
        new JsonObject { ["type"] = "Input.Toggle", ["id"] = "private", ["title"] = "Private incident (security, customer data)", ["valueOn"] = "true", ["valueOff"] = "false" }),
        new Mentions(),
        new JsonArray(Execute("Declare", DeclareSubmit, "", ActionStyle.Danger)));

    /// <summary>The status-update form, posted when someone presses "Post update" or types <c>update</c> alone.</summary>
    public static JsonObject UpdateForm(Incident incident) => Card(new JsonArray(
        Text($"📣 Status update: {incident.PublicId}", size: "Medium", weight: "Bolder"),
        Choices("status", "Status", [("investigating", "Investigating"), ("identified", "Identified"), ("monitoring", "Monitoring")], incident.Status.IsOpen() ? incident.Status.ToWire() : "investigating"),
        new JsonObject { ["type"] = "Input.Text", ["id"] = "text", ["label"] = "Update for responders and stakeholders", ["isMultiline"] = true, ["isRequired"] = true, ["errorMessage"] = "Write the update." }),
        new Mentions(),
        new JsonArray(Execute("Post update", UpdateSubmit, incident.Id.ToString(), ActionStyle.Primary)));

    private static JsonObject Card(JsonArray body, Mentions mentions, JsonArray? actions = null)
    {
        var msteams = new JsonObject { ["width"] = "Full" };
        if (mentions.Entities.Count > 0)
        {
            msteams["entities"] = mentions.Entities;
        }

        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = Version,
            ["body"] = body,
            ["msteams"] = msteams,
        };
        if (actions is not null)
        {
            card["actions"] = actions;
        }

        return card;
    }

    private static JsonObject ChecklistRow(ChecklistItemView item, Mentions mentions)
    {
        var label = item.Done
            ? $"✅ {mentions.Render(item.Text)}{(item.DoneBy is null ? "" : $" — {mentions.Render(item.DoneBy)}")}"
            : $"⬜ {mentions.Render(item.Text)}";
        var columns = new JsonArray(new JsonObject
        {
            ["type"] = "Column",
            ["width"] = "stretch",
            ["verticalContentAlignment"] = "Center",
            ["items"] = new JsonArray(Text(label, spacing: "None")),
        });
        if (item.ActionValue is { } value)
        {
            columns.Add(new JsonObject
            {
                ["type"] = "Column",
                ["width"] = "auto",
                ["items"] = new JsonArray(new JsonObject
                {
                    ["type"] = "ActionSet",
                    ["actions"] = new JsonArray(Execute(item.Done ? "Undo" : "Done", ChatActions.ToggleChecklist, value, ActionStyle.Default)),
                }),
            });
        }

        return new JsonObject { ["type"] = "ColumnSet", ["spacing"] = "Small", ["columns"] = columns };
    }

    /// <summary>
    /// Universal Action (Action.Execute): the click arrives as an <c>adaptiveCard/action</c> invoke whose verb is the
    /// neutral action id. The data repeats it so Action.Submit (older clients) routes the same way.
    /// </summary>
    private static JsonObject Execute(string title, string verb, string value, ActionStyle style)
    {
        var action = new JsonObject
        {
            ["type"] = "Action.Execute",
            ["title"] = title,
            ["verb"] = verb,
            ["data"] = new JsonObject { ["action"] = verb, ["value"] = value },
            ["fallback"] = new JsonObject
            {
                ["type"] = "Action.Submit",
                ["title"] = title,
                ["data"] = new JsonObject { ["action"] = verb, ["value"] = value },
            },
        };
        if (style != ActionStyle.Default)
        {
            action["style"] = style == ActionStyle.Danger ? "destructive" : "positive";
        }

        return action;
    }

    private static JsonObject Choices(string id, string label, IEnumerable<(string Value, string Title)> choices, string? value) => new()
    {
        ["type"] = "Input.ChoiceSet",
        ["id"] = id,
        ["label"] = label,
        ["style"] = "compact",
        ["value"] = value ?? "",
        ["choices"] = new JsonArray(choices.Select(c => (JsonNode)new JsonObject { ["title"] = c.Title, ["value"] = c.Value }).ToArray()),
    };

    private static JsonObject Text(string text, string? size = null, string? weight = null, string? color = null, bool subtle = false, bool separator = false, string? spacing = null)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        if (size is not null)
        {
            block["size"] = size;
        }

        if (weight is not null)
        {
            block["weight"] = weight;
        }

        if (color is not null)
        {
            block["color"] = color;
        }

        if (subtle)
        {
            block["isSubtle"] = true;
        }

        if (separator)
        {
            block["separator"] = true;
        }

        if (spacing is not null)
        {
            block["spacing"] = spacing;
        }

        return block;
    }

    private static string? Color(MessageTone tone) => tone switch
    {
        MessageTone.Danger => "Attention",
        MessageTone.Warning => "Warning",
        MessageTone.Good => "Good",
        _ => null,
    };

    private static IEnumerable<string> Lines(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>An Entra object id, or a Bot Framework account id such as <c>29:…</c> or <c>8:orgid:…</c>.</summary>
    internal static bool IsTeamsUserId(string id) =>
        Guid.TryParse(id, out _) || (id.Length > 3 && char.IsAsciiDigit(id[0]) && id.IndexOf(':', StringComparison.Ordinal) is > 0 and < 3);

    /// <summary>Neutral mention tokens become <c>&lt;at&gt;Name&lt;/at&gt;</c> plus the entity Teams needs to notify the user.</summary>
    internal sealed class Mentions
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public JsonArray Entities { get; } = [];

        /// <summary>Escapes everything but the neutral mention tokens, which become real mentions (see <see cref="CardText"/>).</summary>
        public string Render(string text)
        {
            var sb = new System.Text.StringBuilder(text.Length + 16);
            var last = 0;
            foreach (Match m in MentionToken().Matches(text))
            {
                sb.Append(CardText.Escape(text[last..m.Index])).Append(Mention(m));
                last = m.Index + m.Length;
            }

            return sb.Append(CardText.Escape(text[last..])).ToString();
        }

        private string Mention(Match m)
        {
            var id = m.Groups[1].Value;
            if (!IsTeamsUserId(id))
            {
                // Usage text such as "<@user>" is not a mention: a made-up id would make Teams refuse the message.
                return CardText.Escape(m.Value);
            }

            var name = CardText.Escape(m.Groups[2].Success && m.Groups[2].Value.Length > 0 ? m.Groups[2].Value : id);
            var tag = $"<at>{name}</at>";
            if (_seen.Add(id + "\n" + name))
            {
                Entities.Add(new JsonObject
                {
                    ["type"] = "mention",
                    ["text"] = tag,
                    ["mentioned"] = new JsonObject { ["id"] = id, ["name"] = name },
                });
            }

            return tag;
        }
    }
}
