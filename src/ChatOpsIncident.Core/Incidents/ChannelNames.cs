using System.Globalization;
using System.Text;

namespace ChatOpsIncident.Core.Incidents;

public static class ChannelNames
{
    public const int MaxLength = 80;

    /// <summary><c>inc-42-checkout-5xx-after-deploy</c>: lowercase a-z, 0-9, '-' and '_', at most 80 characters.</summary>
    public static string For(string prefix, int number, string title)
    {
        var head = $"{prefix}-{number.ToString(CultureInfo.InvariantCulture)}";
        var slug = Slug(title, MaxLength - head.Length - 1);
        return slug.Length == 0 ? head : $"{head}-{slug}";
    }

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

    /// <summary>The name with a numeric suffix, still within the length limit (for name collisions).</summary>
    public static string WithSuffix(string name, int suffix)
    {
        var tail = "-" + suffix.ToString(CultureInfo.InvariantCulture);
        return (name.Length + tail.Length > MaxLength ? name[..(MaxLength - tail.Length)].TrimEnd('-') : name) + tail;
    }
}
