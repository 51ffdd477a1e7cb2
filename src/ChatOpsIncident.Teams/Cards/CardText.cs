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
    /// U+2060 WORD JOINER: invisible, no width, no line break. Placed inside a piece of syntax it keeps the characters
    /// from forming it, in every renderer, because the parser never sees the adjacent pair it needs.
    /// </summary>
    internal const char Joiner = '\u2060';

    /// <summary>
    /// Neutralises what TextBlocks would turn into a link or a mention, and the emphasis marks.
    /// <para>
    /// Links and <c>&lt;at&gt;</c> tags are broken with <see cref="Joiner"/>, not backslashes: Teams' renderers do not
    /// agree on backslash escapes (microsoft/AdaptiveCards#5590 "Backslash escape special characters not working as
    /// expected on iOS / Android", #4677 on backslashes in Teams, MicrosoftDocs/msteams-docs#5793 "Different escape
    /// strategies … on different operation systems"; iOS only learned <c>\*</c> in 2024,
    /// microsoft/Teams-AdaptiveCards-Mobile#83), and the Teams docs list no escape at all ("Format cards in Teams":
    /// Markdown subset, HTML not supported, so entities are not a documented way either). A joiner after every
    /// <c>]</c> means no <c>](</c>, <c>][</c> or <c>]:</c> ever reaches the parser, so no inline link, reference link or
    /// link definition can form; one after the <c>&lt;</c> of an <c>at</c> tag means no tag.
    /// </para>
    /// <para>
    /// Emphasis, code and strike marks keep a backslash: a joiner cannot stop them (it is not whitespace to a
    /// CommonMark parser), and a renderer that ignores the backslash shows bold text or a stray backslash, never a link
    /// or a mention. Other <c>&lt;</c> stay: a TextBlock shows them as text.
    /// </para>
    /// </summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\\' or '*' or '_' or '`' or '~')
            {
                sb.Append('\\').Append(c);
            }
            else if (c == ']' || (c == '<' && IsAtTag(text, i + 1)))
            {
                sb.Append(c).Append(Joiner);
            }
            else
            {
                sb.Append(c);
            }
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
