using ChatOpsIncident.IntegrationTests.Slack;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ChatOpsIncident.IntegrationTests.DeadLetters;

/// <summary>Every dead item is heard by someone, through the real host and the Slack fake.</summary>
public sealed class SlackDeadLetterTests : SlackHostTestBase
{
    private const string Stakeholders = "CSTAKE001";

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        // SEV2 is the second default severity.
        ["Incident:Severities:1:Stakeholders:0"] = Stakeholders,
    };

    [Fact]
    public async Task DeclarationThatDies_TellsTheDeclarerPrivately()
    {
        Slack.Refusals["conversations.create"] = _ => "restricted_action";

        (await CommandAsync("declare sev2 Checkout 5xx after deploy", "CORIGIN01", responseId: "declare")).EnsureSuccessStatusCode();

        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM chatops.inbox WHERE status = 'dead'") == 1, "declaration dead");
        await WaitUntilAsync(() => Slack.Responses("declare").Any(r => r["text"]!.GetValue<string>().Contains("restricted_action", StringComparison.Ordinal)), "declarer told why");
        var answer = Assert.Single(Slack.Responses("declare"));
        Assert.Equal("ephemeral", answer["response_type"]!.GetValue<string>());
        Assert.Empty(Slack.PostsIn(Feed));
    }

    [Fact]
    public async Task StakeholderChannelNotFound_IncidentChannelNamesTheChannelThatMissedTheUpdate()
    {
        Slack.Refusals["chat.postMessage"] = a => a["channel"] == Stakeholders ? "channel_not_found" : null;
        var (_, channel) = await DeclareAsync();

        (await CommandAsync("update identified Bad deploy of checkout 4.2 found", channel, responseId: "update")).EnsureSuccessStatusCode();

        await WaitUntilAsync(() => Slack.PostsIn(channel).Any(p => p.Text.Contains("did not reach", StringComparison.Ordinal)), "incident channel warned");
        var warning = Slack.PostsIn(channel).Single(p => p.Text.Contains("did not reach", StringComparison.Ordinal));
        Assert.Contains(Stakeholders, warning.Text, StringComparison.Ordinal);
        Assert.Contains("not found", warning.Text, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.outbox WHERE status = 'dead' AND channel_id = @c", ("c", Stakeholders)));
    }

    [Fact]
    public async Task StakeholderChannelTheBotIsNotIn_IsJoined_AndGetsTheUpdate()
    {
        var joined = false;
        Slack.Refusals["chat.postMessage"] = a => a["channel"] == Stakeholders && !Volatile.Read(ref joined) ? "not_in_channel" : null;
        Slack.Refusals["conversations.join"] = _ =>
        {
            Volatile.Write(ref joined, true);
            return null;
        };
        var (_, channel) = await DeclareAsync();

        (await CommandAsync("update identified Bad deploy of checkout 4.2 found", channel, responseId: "update")).EnsureSuccessStatusCode();

        await WaitUntilAsync(() => Slack.PostsIn(Stakeholders).Any(), "update delivered after joining");
        Assert.Equal(Stakeholders, Assert.Single(Slack.Calls("conversations.join"))["channel"]);
        Assert.Single(Slack.PostsIn(Stakeholders));
        Assert.DoesNotContain(Slack.PostsIn(channel), p => p.Text.Contains("did not reach", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HangingResponseUrl_DoesNotHoldUpTheInbox()
    {
        // Ahead of the fake's catch-all (WireMock takes the lowest priority number first), or nothing would hang.
        Slack.Server.Given(Request.Create().WithPath("/respond/hang").UsingPost()).AtPriority(-1)
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(120)));

        (await CommandAsync("status", "CORIGIN01", responseId: "hang")).EnsureSuccessStatusCode();
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM chatops.outbox WHERE key LIKE 'slack:respond:%'") == 1, "answer queued, not sent inline");
        var (_, channel) = await DeclareAsync();

        // The declaration behind the hung answer ran and its channel got its kickoff while the answer still waits.
        Assert.Contains(Slack.PostsIn(channel), p => p.Text.Length > 0);
        await InboxDrainedAsync();
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.outbox WHERE key LIKE 'slack:respond:%' AND status <> 'done'"));
    }
}
