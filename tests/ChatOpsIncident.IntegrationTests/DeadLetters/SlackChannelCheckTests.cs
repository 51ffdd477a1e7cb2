using ChatOpsIncident.IntegrationTests.Security;
using ChatOpsIncident.IntegrationTests.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.IntegrationTests.DeadLetters;

/// <summary>At start-up the feed and stakeholder channels are looked at once; a bad one is one warning line.</summary>
public sealed class SlackChannelCheckTests : SlackHostTestBase
{
    private const string Gone = "CGONE0001";
    private const string Good = "CGOOD0001";
    private const int ChannelCheckEvent = 3042;
    private readonly LogCapture _logs = new();

    public SlackChannelCheckTests()
    {
        Slack.Channels[Feed] = new FakeChannel(Feed, "incidents", isPrivate: false);
        Slack.Channels[Good] = new FakeChannel(Good, "status", isPrivate: false);
    }

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Incident:Severities:0:Stakeholders:0"] = Good,
        ["Incident:Severities:1:Stakeholders:0"] = Gone,
        ["Incident:Severities:1:Stakeholders:1"] = Good,
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(_logs);

    [Fact]
    public async Task StakeholderChannelNotFound_OneWarningLine_NamingIt()
    {
        await WaitUntilAsync(() => Slack.Calls("conversations.info").Select(c => c["channel"]).Distinct().Count() == 3, "every configured channel is looked at");
        await WaitUntilAsync(() => _logs.Entries.Any(e => e.Id.Id == ChannelCheckEvent), "the bad channel is reported");

        var warning = Assert.Single(_logs.Entries, e => e.Id.Id == ChannelCheckEvent);
        Assert.Contains(Gone, warning.Message, StringComparison.Ordinal);
        Assert.Contains("not found", warning.Message, StringComparison.Ordinal);
        // Each channel is looked at once, however many severities list it.
        Assert.Single(Slack.Calls("conversations.info"), c => c["channel"] == Good);
        // Start-up went on: the host answers.
        Assert.Equal("ok", await Host.Client.GetStringAsync("/healthz"));
    }
}
