using ChatOpsIncident.Slack.Outbound;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOpsIncident.Slack.Tests.Outbound;

public sealed class PostPacerTests
{
    [Fact]
    public void Reserve_AllowsABurstOfThree_ThenOnePerSecondPerChannel()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var pacer = new PostPacer(Options.Create(new SlackOptions { Http = new SlackHttpOptions { PostInterval = TimeSpan.FromSeconds(1), PostBurst = 3 } }), time);

        var waits = Enumerable.Range(0, 5).Select(_ => pacer.Reserve("C1")).ToList();
        var other = pacer.Reserve("C2");
        time.Advance(TimeSpan.FromSeconds(10));
        var later = pacer.Reserve("C1");

        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], waits);
        Assert.Equal(TimeSpan.Zero, other);
        Assert.Equal(TimeSpan.Zero, later);
    }
}
