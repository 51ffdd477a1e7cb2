using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOpsIncident.Core.Chat;

namespace ChatOpsIncident.Slack.Rendering;

/// <summary>Renders the core's neutral <see cref="ChatMessage"/> as Block Kit.</summary>
internal static partial class BlockKit
{
    public const int MaxBlocks = 50;
    private const int MaxSectionText = 3000;
    private const int MaxFallbackText = 4000;

    [GeneratedRegex(@"<@([A-Za-z0-9_]+)(?:\|([^>]*))?>", RegexOptions.CultureInvariant)]
    private static partial Regex Mention();

    /// <summary>Button action ids carry a "#n" suffix so they stay unique within a block; this strips it.</summary>
    public static string NeutralActionId(string actionId)
    {
        var hash = actionId.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? actionId : actionId[..hash];
    }

    /// <summary>mrkdwn: escapes &amp;, &lt;, &gt; and renders neutral mention tokens <c>&lt;@ID|name&gt;</c> as <c>&lt;@ID&gt;</c>.</summary>
    public static string Mrkdwn(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        var last = 0;
        foreach (Match m in Mention().Matches(text))
        {
            Escape(sb, text.AsSpan(last, m.Index - last));
            sb.Append("<@").Append(m.Groups[1].Value).Append('>');
            last = m.Index + m.Length;
        }

        Escape(sb, text.AsSpan(last));
        return sb.ToString();
    }

    /// <summary>plain_text cannot mention: tokens become "@name".</summary>
    public static string Plain(string text, int max) =>
        Truncate(Mention().Replace(text, m => "@" + (m.Groups[2].Success && m.Groups[2].Length > 0 ? m.Groups[2].Value : m.Groups[1].Value)), max);

    public static string FallbackText(ChatMessage message) => Truncate(Mrkdwn(message.Text), MaxFallbackText);

    public static JsonArray Render(ChatMessage message)
    {
        var blocks = new List<JsonObject>();
        if (message.Title is { Length: > 0 } title)
        {
            blocks.Add(new JsonObject { ["type"] = "header", ["text"] = PlainText(Plain(title, 150)) });
        }

        var rich = message.Title is not null || message.Sections.Count > 0 || message.Fields.Count > 0;
        if (!rich)
        {
            blocks.Add(Section(Mrkdwn(message.Text)));
        }

        foreach (var chunk in message.Fields.Chunk(10))
        {
            var fields = new JsonArray();
            foreach (var f in chunk)
            {
                fields.Add(MrkdwnText(Truncate($"*{Mrkdwn(f.Label)}*\n{Mrkdwn(f.Value)}", 2000)));
            }

            blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = fields });
        }

        foreach (var section in message.Sections)
        {
            RenderSection(section, blocks);
        }

        if (message.Links.Count > 0)
        {
            blocks.Add(Section(string.Join("  ·  ", message.Links.Select(l => $"<{l.Url}|{Mrkdwn(l.Label)}>"))));
        }

        var buttons = message.Actions.Select((a, index) => Button(a, index)).ToList();
        foreach (var chunk in buttons.Chunk(5))
        {
            blocks.Add(new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray(chunk.Cast<JsonNode>().ToArray()) });
        }

        if (message.Context is { Length: > 0 } context)
        {
            blocks.Add(new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(MrkdwnText(Truncate(Mrkdwn(context), 2000))) });
        }

        if (blocks.Count > MaxBlocks)
        {
            // Slack refuses a message with more than 50 blocks; keep the head and say what was cut.
            var kept = blocks.Take(MaxBlocks - 1).ToList();
            kept.Add(new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(MrkdwnText($"{blocks.Count - kept.Count} more blocks not shown; see the web view.")) });
            blocks = kept;
        }

        return new JsonArray(blocks.Cast<JsonNode>().ToArray());
    }

    private static void RenderSection(ChatSection section, List<JsonObject> blocks)
    {
        var head = new StringBuilder();
        if (section.Heading is { Length: > 0 } heading)
        {
            head.Append('*').Append(Mrkdwn(heading)).Append('*');
        }

        if (section.Text is { Length: > 0 } text)
        {
            if (head.Length > 0)
            {
                head.Append('\n');
            }

            head.Append(Mrkdwn(text));
        }

        if (section.Bullets is { Count: > 0 } bullets)
        {
            // Bullets go in as few sections as the 3000-character limit allows.
            var current = new StringBuilder(head.ToString());
            foreach (var bullet in bullets)
            {
                var line = "• " + Mrkdwn(bullet);
                if (current.Length > 0 && current.Length + line.Length + 1 > MaxSectionText)
                {
                    blocks.Add(Section(current.ToString()));
                    current.Clear();
                }

                if (current.Length > 0)
                {
                    current.Append('\n');
                }

                current.Append(Truncate(line, MaxSectionText));
            }

            blocks.Add(Section(current.ToString()));
        }
        else if (head.Length > 0)
        {
            blocks.Add(Section(head.ToString()));
        }

        foreach (var item in section.Checklist ?? [])
        {
            var label = item.Done
                ? $"✅ ~{Mrkdwn(item.Text)}~{(item.DoneBy is null ? "" : " — " + Mrkdwn(item.DoneBy))}"
                : $"⬜ {Mrkdwn(item.Text)}";
            var block = Section(label);
            if (item.ActionValue is not null)
            {
                block["accessory"] = Button(new ChatAction(ChatActions.ToggleChecklist, item.Done ? "Undo" : "Done", item.ActionValue), null);
            }

            blocks.Add(block);
        }
    }

    private static JsonObject Button(ChatAction action, int? index)
    {
        var button = new JsonObject
        {
            ["type"] = "button",
            ["text"] = PlainText(Plain(action.Label, 75)),
            ["action_id"] = index is null ? action.ActionId : $"{action.ActionId}#{index}",
            ["value"] = Truncate(action.Value, 2000),
        };
        if (action.Style != ActionStyle.Default)
        {
            button["style"] = action.Style == ActionStyle.Primary ? "primary" : "danger";
        }

        return button;
    }

    private static JsonObject Section(string mrkdwn) =>
        new() { ["type"] = "section", ["text"] = MrkdwnText(Truncate(mrkdwn, MaxSectionText)) };

    private static JsonObject MrkdwnText(string text) => new() { ["type"] = "mrkdwn", ["text"] = text.Length == 0 ? " " : text };

    public static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text.Length == 0 ? " " : text, ["emoji"] = true };

    private static void Escape(StringBuilder sb, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => sb.Append("&amp;"),
                '<' => sb.Append("&lt;"),
                '>' => sb.Append("&gt;"),
                _ => sb.Append(c),
            };
        }
    }

    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
