using ChatOpsIncident.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.Slack.Tests;

public sealed class SlackServiceCollectionExtensionsTests
{
    private static IServiceCollection Add(params (string Key, string Value)[] settings) =>
        new ServiceCollection().AddSlackAdapter(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void BotTokenWithoutSigningSecret_StopsStartUp_NamingTheKey()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Add(("Slack:BotToken", "xoxb-1")));

        Assert.StartsWith("Slack:SigningSecret", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("xoxb-1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SigningSecretWithoutBotToken_StopsStartUp_NamingTheKey()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Add(("Slack:SigningSecret", "s3cr3t")));

        Assert.StartsWith("Slack:BotToken", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Slack:ApiBaseUrl", "not a url")]
    [InlineData("Slack:ApiBaseUrl", "ftp://slack.example/api/")]
    [InlineData("Slack:AckTimeout", "00:00:05")]
    public void BadSetting_StopsStartUp_NamingTheKey(string key, string value)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Add(("Slack:BotToken", "xoxb-1"), ("Slack:SigningSecret", "s"), (key, value)));

        Assert.Contains(key.Split(':')[0], ex.Message, StringComparison.Ordinal);
    }

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
