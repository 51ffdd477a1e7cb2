using System.Globalization;

namespace ChatOpsIncident.Core.Review;

public static class Durations
{
    /// <summary>"45s", "12m", "1h 05m", "2d 3h 10m": short enough for a table cell, exact to the minute.</summary>
    public static string Format(TimeSpan? span)
    {
        if (span is not { } s)
        {
            return "—";
        }

        var sign = s < TimeSpan.Zero ? "-" : "";
        s = s.Duration();
        if (s < TimeSpan.FromMinutes(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{sign}{(int)s.TotalSeconds}s");
        }

        if (s < TimeSpan.FromHours(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{sign}{(int)s.TotalMinutes}m");
        }

        if (s < TimeSpan.FromDays(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{sign}{(int)s.TotalHours}h {s.Minutes:00}m");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{sign}{(int)s.TotalDays}d {s.Hours}h {s.Minutes:00}m");
    }
}
