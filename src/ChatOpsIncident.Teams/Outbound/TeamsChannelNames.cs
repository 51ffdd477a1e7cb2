using System.Globalization;
using System.Text;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Teams.Outbound;

/// <summary>Teams channel display-name rules (Graph "Create channel"): at most 50 characters, no <c>~#%&amp;*{}+/\:&lt;&gt;?|'"</c>
/// or "..", no control characters, no leading '_' or '.', no trailing '.', and a few reserved names.</summary>
internal static class TeamsChannelNames
{
    public const int MaxLength = 50;
    private const string Forbidden = "~#%&*{}+/\\:<>?|'\"";

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "forms", "CON", "PRN", "AUX", "NUL", "desktop.ini", "_vti_",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    // Teams names have always been cut from the slug sized for 80 characters, then made valid and cut to 50; changing
    // the order would rename channels whose titles are long, so the budget stays.
    private const int SlugBudget = 80;

    /// <summary><c>inc-42-checkout-5xx-after-deploy</c>, made valid for Teams.</summary>
    public static string For(ChannelNameRequest request) => From(request.Slugged(SlugBudget));

    /// <summary>A name made valid for Teams.</summary>
    public static string From(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (Forbidden.Contains(c, StringComparison.Ordinal) || char.IsControl(c) || c is >= '\u0080' and <= '\u009f')
            {
                sb.Append('-');
            }
            else if (c == '.' && sb.Length > 0 && sb[^1] == '.')
            {
                continue;
            }
            else
            {
                sb.Append(c);
            }
        }

        var cleaned = Trim(sb.ToString());
        if (cleaned.Length > MaxLength)
        {
            cleaned = Trim(cleaned[..MaxLength]);
        }

        if (cleaned.Length == 0 || Reserved.Contains(cleaned) || cleaned.Contains("_vti_", StringComparison.OrdinalIgnoreCase))
        {
            cleaned = Trim(("incident-" + cleaned.Replace("_vti_", "-", StringComparison.OrdinalIgnoreCase))[..Math.Min(MaxLength, 9 + cleaned.Length)]);
        }

        return cleaned;
    }

    /// <summary>The name with "-2", "-3" … on a collision, still within the limit.</summary>
    public static string WithSuffix(string name, int suffix)
    {
        var tail = "-" + suffix.ToString(CultureInfo.InvariantCulture);
        var head = name.Length + tail.Length > MaxLength ? Trim(name[..(MaxLength - tail.Length)]) : name;
        return head + tail;
    }

    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength
        && !name.Any(c => Forbidden.Contains(c, StringComparison.Ordinal) || char.IsControl(c) || c is >= '\u0080' and <= '\u009f')
        && !name.Contains("..", StringComparison.Ordinal)
        && name[0] is not ('_' or '.')
        && name[^1] != '.'
        && !Reserved.Contains(name);

    private static string Trim(string s) => s.Trim().TrimStart('_', '.', '-', ' ').TrimEnd('.', '-', ' ');
}
