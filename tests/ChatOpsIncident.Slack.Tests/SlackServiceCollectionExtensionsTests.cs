using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.Slack.Tests;

/// <summary>Whether Slack is on; its validation on start is tested with the host (Host.Tests/Startup/OptionsValidationTests).</summary>
public sealed class SlackServiceCollectionExtensionsTests
{
    private static IServiceCollection Add(params (string Key, string Value)[] settings) =>
        new ServiceCollection().AddSlackAdapter(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void NeitherSet_SlackIsOff_NothingRegistered()
    {
        var services = Add();

        Assert.Empty(services);
    }

    [Fact]
    public void OptionsToString_HidesSecrets()
    {
        var text = new SlackOptions { BotToken = "xoxb-secret", SigningSecret = "shh" }.ToString();

        Assert.DoesNotContain("xoxb-secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("shh", text, StringComparison.Ordinal);
    }
}
