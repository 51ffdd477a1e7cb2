using System.Globalization;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>A person's time zone as the chat platform names it (an IANA id such as <c>Europe/Berlin</c>).</summary>
public static class UserTimeZone
{
    /// <summary>The zone for <paramref name="id"/>, or null when there is none or this machine does not know it (read in UTC then).</summary>
    public static TimeZoneInfo? Find(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    /// <summary>
    /// A wall-clock time in <paramref name="zone"/>. A time the clocks skipped (spring forward) is read with the zone's
    /// standard offset; one they passed twice (fall back) as the first of the two, the one people usually mean.
    /// </summary>
    public static DateTimeOffset At(DateTime local, TimeZoneInfo zone)
    {
        var wall = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var offset = zone.IsInvalidTime(wall) ? zone.BaseUtcOffset
            : zone.IsAmbiguousTime(wall) ? zone.GetAmbiguousTimeOffsets(wall).Max()
            : zone.GetUtcOffset(wall);
        return new DateTimeOffset(wall, offset);
    }

    /// <summary>+01:00, -07:00, +00:00.</summary>
    public static string Offset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}
