using ChatOpsIncident.Slack.Outbound;

namespace ChatOpsIncident.Slack.Tests.Outbound;

/// <summary>Issue 13, "the Slack response_url the bot posts to may be any host": only Slack:ResponseUrlPrefixes.</summary>
public sealed class ResponseUrlsTests
{
    [Theory]
    [InlineData("https://hooks.slack.com/commands/T111/1234/abcd", true)]
    [InlineData("https://hooks.slack.com/actions/T111/1234/abcd", true)]
    [InlineData("https://HOOKS.SLACK.COM/commands/T111/1234/abcd", true)]
    [InlineData("http://hooks.slack.com/commands/T111/1234/abcd", false)]
    [InlineData("https://hooks.slack.com.evil.example/commands/x", false)]
    [InlineData("https://hooks.slack.com@evil.example/commands/x", false)]
    [InlineData("https://evil.example/https://hooks.slack.com/", false)]
    [InlineData("https://hooks.slack.com:8443/commands/x", false)]
    [InlineData("https://evil.example/commands/x", false)]
    public void DefaultPrefix_IsSlacksHooks(string url, bool allowed)
    {
        Assert.Equal(allowed, ResponseUrls.IsAllowed(new Uri(url), SlackOptions.DefaultResponseUrlPrefixes));
    }

    [Fact]
    public void PrefixWithoutPath_StillEndsAtTheHost()
    {
        Assert.False(ResponseUrls.IsAllowed(new Uri("https://hooks.slack.com.evil.example/x"), ["https://hooks.slack.com"]));
        Assert.True(ResponseUrls.IsAllowed(new Uri("https://hooks.slack.com/x"), ["https://hooks.slack.com"]));
    }

    [Fact]
    public void ConfiguredPrefix_ReplacesTheDefault()
    {
        Assert.True(ResponseUrls.IsAllowed(new Uri("http://127.0.0.1:5055/respond/cmd"), ["http://127.0.0.1:5055/respond/"]));
        Assert.False(ResponseUrls.IsAllowed(new Uri("http://127.0.0.1:5055/collect/cmd"), ["http://127.0.0.1:5055/respond/"]));
        Assert.False(ResponseUrls.IsAllowed(null, ["http://127.0.0.1:5055/respond/"]));
    }
}
