using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatOpsIncident.Core.Commands;

/// <summary>The lifecycle verbs: the exits from triage and after (accept, decline, cancel, reopen, merge) and key times.</summary>
public sealed partial class CommandParser
{
    [GeneratedRegex(@"^(?:INC-)?(\d+)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex IncidentNumberPattern();

    private static ParseResult Reason(string rest, string name, Func<string, IncidentCommand> make) =>
        rest.Length == 0 ? ParseResult.Fail($"'{name}' needs a reason. {Usage(name)}") : ParseResult.Success(make(rest));

    /// <summary>INC-42, inc-42 or 42.</summary>
    public static int? ParseIncidentNumber(string token)
    {
        var m = IncidentNumberPattern().Match(token.TrimStart('#'));
        return m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
    }

    private static ParseResult ParseMerge(List<string> args) =>
        args.Count == 1 && ParseIncidentNumber(args[0]) is { } n
            ? ParseResult.Success(new Merge(n))
            : ParseResult.Fail($"'merge' needs the incident this one duplicates. {Usage("merge")}");

    /// <summary><c>09:12</c>, <c>2026-12-01 09:12</c>, or ISO 8601 (<c>2026-12-01T09:12Z</c>, with an offset or without: UTC).</summary>
    private static ParseResult ParseStarted(List<string> args)
    {
        var text = string.Join(' ', args).Trim();
        if (TimeOnly.TryParseExact(text, ["H:mm", "HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return ParseResult.Success(new SetImpactStarted(null, time, TimeSpan.Zero, InUserZone: true));
        }

        string[] formats = ["yyyy-MM-dd HH:mm", "yyyy-MM-dd H:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF"];
        if (DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return ParseResult.Success(new SetImpactStarted(DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local), TimeSpan.Zero, InUserZone: true));
        }

        string[] zoned = ["yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mmK", "yyyy-MM-dd HH:mm:ssK"];
        if (DateTimeOffset.TryParseExact(text, zoned, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            return ParseResult.Success(new SetImpactStarted(DateOnly.FromDateTime(at.DateTime), TimeOnly.FromDateTime(at.DateTime), at.Offset));
        }

        return ParseResult.Fail($"'{text}' is not a time: write 09:12, 2026-12-01 09:12 or 2026-12-01T09:12Z (your time zone where the platform tells it, else UTC, unless an offset is given). {Usage("started")}");
    }
}
