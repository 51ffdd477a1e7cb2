using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Tests.Decisions;

/// <summary><c>started &lt;time&gt;</c> read in the person's time zone where the platform tells it, else UTC, and said so.</summary>
public sealed class UserTimeZoneDecisionTests
{
    // Now is 2025-03-04 10:20 UTC; INC-42 was declared at 10:00 UTC.
    private readonly DecisionBuilder _sut = new DecisionBuilder().WithCommander();

    private IncidentChange Started(string text, string? zone)
    {
        _sut.TimeZone = zone;
        var parsed = new CommandParser(Options.Create(_sut.Options)).Parse("started " + text, DecisionBuilder.Commander);
        return _sut.Decide(parsed.Command!);
    }

    [Theory]
    [InlineData("09:12", "Europe/Berlin", "2025-03-04T08:12:00Z", "2025-03-04 09:12 Europe/Berlin (UTC+01:00) = 2025-03-04 08:12 UTC")]
    [InlineData("01:30", "America/Los_Angeles", "2025-03-04T09:30:00Z", "2025-03-04 01:30 America/Los_Angeles (UTC-08:00) = 2025-03-04 09:30 UTC")]
    [InlineData("18:00", "Asia/Tokyo", "2025-03-04T09:00:00Z", "2025-03-04 18:00 Asia/Tokyo (UTC+09:00) = 2025-03-04 09:00 UTC")]
    [InlineData("2025-03-03 23:00", "Europe/Berlin", "2025-03-03T22:00:00Z", "2025-03-03 23:00 Europe/Berlin (UTC+01:00)")]
    // 23:50 in Auckland (UTC+13) is still to come today there, so it is yesterday's 23:50.
    [InlineData("23:50", "Pacific/Auckland", "2025-03-03T10:50:00Z", "2025-03-03 23:50 Pacific/Auckland (UTC+13:00)")]
    public void WallClockTime_ReadInTheUsersZone_AndTheAnswerSaysWhich(string text, string zone, string expected, string said)
    {
        var change = Started(text, zone);

        Assert.Null(change.Refusal);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), change.Incident.ImpactStartedAt);
        Assert.Contains(said, change.Reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Mars/Olympus_Mons")]
    public void ZoneNotToldOrUnknown_ReadInUtc_AndTheAnswerSaysUtc(string? zone)
    {
        var change = Started("09:12", zone);

        Assert.Equal(new DateTimeOffset(2025, 3, 4, 9, 12, 0, TimeSpan.Zero), change.Incident.ImpactStartedAt);
        Assert.Contains("read in UTC", change.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOffsetWritten_WinsOverTheUsersZone()
    {
        var change = Started("2025-03-04T09:12+02:00", "America/Los_Angeles");

        Assert.Equal(new DateTimeOffset(2025, 3, 4, 7, 12, 0, TimeSpan.Zero), change.Incident.ImpactStartedAt);
        Assert.Null(change.Reply);
    }

    [Fact]
    public void InTheUsersZone_StillRefusedAfterTheDeclaration()
    {
        // 11:05 in Berlin is 10:05 UTC: after the 10:00 declaration.
        Assert.StartsWith("2025-03-04 10:05 UTC is after INC-42 was declared", Started("11:05", "Europe/Berlin").Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void DaylightSaving_SkippedTimeUsesStandardOffset_RepeatedTimeIsTheFirst()
    {
        var berlin = UserTimeZone.Find("Europe/Berlin")!;

        Assert.Equal(new DateTimeOffset(2025, 3, 30, 1, 30, 0, TimeSpan.Zero), UserTimeZone.At(new DateTime(2025, 3, 30, 2, 30, 0), berlin).ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2025, 10, 26, 0, 30, 0, TimeSpan.Zero), UserTimeZone.At(new DateTime(2025, 10, 26, 2, 30, 0), berlin).ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 7, 0, 0, TimeSpan.Zero), UserTimeZone.At(new DateTime(2025, 7, 1, 9, 0, 0), berlin).ToUniversalTime());
    }
}
