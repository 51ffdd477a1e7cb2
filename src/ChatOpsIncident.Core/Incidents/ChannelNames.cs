using System.Globalization;
using System.Text;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>
/// What Core knows about an incident channel's name: the configured prefix, the incident number and the title. Each
/// platform turns it into a name under its own rules (length, characters, collisions).
/// </summary>
public sealed record ChannelNameRequest(string Prefix, int Number, string Title)
{
    /// <summary><c>{prefix}-{number}</c>, the part every name starts with.</summary>
    public string Head => $"{Prefix}-{Number.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// <c>inc-42-checkout-5xx-after-deploy</c>: the head, then the title as lowercase ASCII words joined by '-',
    /// cut so the whole stays within <paramref name="maxLength"/> (the head itself is never cut).
    /// </summary>
    public string Slugged(int maxLength)
    {
        var head = Head;
        var slug = Slug(Title, maxLength - head.Length - 1);
        return slug.Length == 0 ? head : $"{head}-{slug}";
    }

    /// <summary>
    /// Lowercased; a-z, 0-9 and '_' kept, every other run becomes one '-'. Accents are dropped only where the runtime
    /// can decompose them: in invariant-globalization mode an accented letter becomes a separator.
    /// </summary>
    public static string Slug(string text, int max)
    {
        var sb = new StringBuilder();
        foreach (var ch in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var c = char.ToLowerInvariant(ch);
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_')
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        var slug = sb.ToString().Trim('-');
        if (slug.Length > max)
        {
            slug = slug[..Math.Max(0, max)].TrimEnd('-');
        }

        return slug;
    }
}
