using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Teams.Activities;

/// <summary>
/// Turns a Teams message into command text for the core grammar: the bot's own <c>&lt;at&gt;</c> mention is removed,
/// other users' mentions become the neutral token <c>&lt;@id|Name&gt;</c>.
/// </summary>
internal static partial class MentionText
{
    [GeneratedRegex(@"<at>(.*?)</at>", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex AtTag();

    [GeneratedRegex(@"<[^>]+>", RegexOptions.CultureInvariant)]
    private static partial Regex AnyTag();

    private const char PlaceholderStart = '\uE000';
    private const char PlaceholderEnd = '\uE001';

    [GeneratedRegex(@"[ \t\u00a0]+", RegexOptions.CultureInvariant)]
    private static partial Regex Blanks();

    /// <param name="resolveId">Maps a mentioned account to the user id the core stores (AAD object id when known).</param>
    public static string ToCommandText(Activity activity, Func<ChannelAccount, string>? resolveId = null)
    {
        // Mentions come only from the activity's entities: their tokens are held as placeholders (characters no client
        // sends, plus a per-call nonce that an HTML-encoded forgery cannot guess) until the user's text is stripped and
        // decoded, so a typed "&lt;@id|Name&gt;" cannot become a token.
        var text = activity.Text ?? "";
        var nonce = Guid.NewGuid().ToString("N");
        var tokens = new List<(string Placeholder, string Token)>();
        var botId = activity.Recipient?.Id;
        resolveId ??= a => a.AadObjectId ?? a.Id ?? "";
        foreach (var entity in activity.Entities ?? [])
        {
            if (!string.Equals(entity.Type, "mention", StringComparison.OrdinalIgnoreCase) || entity.Mentioned?.Id is null)
            {
                continue;
            }

            var isBot = entity.Mentioned.Id == botId;
            var name = entity.Mentioned.Name ?? Inner(entity.Text) ?? entity.Mentioned.Id;
            string replacement;
            if (isBot)
            {
                replacement = " ";
            }
            else
            {
                var placeholder = $"{PlaceholderStart}{nonce}:{tokens.Count}{PlaceholderEnd}";
                tokens.Add((placeholder, Token(resolveId(entity.Mentioned), name)));
                replacement = $" {placeholder} ";
            }

            text = ReplaceMention(text, entity.Text, name, replacement);
        }

        // Mentions the client did not describe with an entity cannot be trusted to name anyone: keep their text.
        text = AtTag().Replace(text, m => m.Groups[1].Value);
        text = text.Replace("<br>", "\n", StringComparison.OrdinalIgnoreCase).Replace("<br/>", "\n", StringComparison.OrdinalIgnoreCase);
        text = AnyTag().Replace(text, "");
        text = WebUtility.HtmlDecode(text);
        // What is left is the user's own text: no '<' in it may open a mention token for the grammar.
        text = text.Replace("<@", "@", StringComparison.Ordinal);
        foreach (var (placeholder, token) in tokens)
        {
            text = text.Replace(placeholder, token, StringComparison.Ordinal);
        }

        text = text.Replace(PlaceholderStart, ' ').Replace(PlaceholderEnd, ' ');
        return Blanks().Replace(text, " ").Trim();
    }

    /// <summary>The neutral mention token for a Teams user.</summary>
    public static string Token(string id, string? name) => new UserRef(id, Clean(name)).Mention;

    /// <summary>The display name as the grammar's token allows it (no '&lt;', '&gt;' or '|').</summary>
    public static string? Clean(string? name)
    {
        if (name is null)
        {
            return null;
        }

        var sb = new StringBuilder(name.Length);
        foreach (var c in name.Trim())
        {
            if (c is not ('<' or '>' or '|') && !char.IsControl(c))
            {
                sb.Append(c);
            }
        }

        return sb.Length == 0 ? null : sb.ToString();
    }

    private static string? Inner(string? entityText) =>
        entityText is null ? null : AtTag().Match(entityText) is { Success: true } m ? m.Groups[1].Value : null;

    private static string ReplaceMention(string text, string? entityText, string name, string replacement)
    {
        // The entity's text is what Teams put in the message; use it when it matches exactly.
        if (!string.IsNullOrEmpty(entityText))
        {
            var at = text.IndexOf(entityText, StringComparison.Ordinal);
            if (at >= 0)
            {
                return string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + entityText.Length));
            }
        }

        // Some clients (and the docs' own sample) put "<at>@Name</at>" in the entity but "<at>Name</at>" in the text.
        var wanted = Normalize(Inner(entityText) ?? name);
        var replaced = false;
        return AtTag().Replace(text, m =>
        {
            if (replaced || !string.Equals(Normalize(m.Groups[1].Value), wanted, StringComparison.OrdinalIgnoreCase))
            {
                return m.Value;
            }

            replaced = true;
            return replacement;
        });
    }

    private static string Normalize(string name) => WebUtility.HtmlDecode(name).Trim().TrimStart('@').Trim();
}
