using System.Text;

namespace ChatOpsIncident.Teams.Cards;

/// <summary>
/// The one escaping of text that goes into an Adaptive Card TextBlock. TextBlocks render a Markdown subset and Teams
/// turns <c>&lt;at&gt;…&lt;/at&gt;</c> into mentions, so a title typed as <c>[login](http://evil)</c>, <c>**URGENT**</c> or
/// <c>&lt;at&gt;CEO&lt;/at&gt;</c> must arrive as those characters, not as a link, emphasis or a mention. Only the
/// adapter's own mention rendering (from neutral tokens, with an entity) may produce <c>&lt;at&gt;</c>.
/// </summary>
internal static class CardText
{
    /// <summary>
    /// Backslash-escapes the Markdown punctuation TextBlocks interpret: brackets (so no link can form, whatever follows),
    /// emphasis and code marks, and the <c>&lt;</c> of an <c>at</c> tag. Other <c>&lt;</c> stay: a TextBlock shows them
    /// as text, and usage lines such as <c>role &lt;commander|comms&gt;</c> read better unescaped.
    /// </summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\\' or '[' or ']' or '*' or '_' or '`' or '~'
                || (c == '<' && IsAtTag(text, i + 1)))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static bool IsAtTag(string text, int at)
    {
        var rest = text.AsSpan(at);
        if (rest.StartsWith("/"))
        {
            rest = rest[1..];
        }

        return rest.Length >= 2 && rest[..2].Equals("at", StringComparison.OrdinalIgnoreCase) && (rest.Length == 2 || rest[2] is '>' or ' ' or '/' or '\t');
    }
}
