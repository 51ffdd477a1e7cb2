using System.Net;
using System.Text.Json.Nodes;
using ChatOpsIncident.IntegrationTests.Slack;

namespace ChatOpsIncident.IntegrationTests.Privacy;

/// <summary>The findings about chat, through the real host with WireMock as Slack.</summary>
public sealed class SlackPrivacyTests : SlackHostTestBase
{
    private const string Stakeholders = "CSTAKE001";
    private const string Cleared = "CSECOPS01";
    private const string Mallory = "U0MALLORY";
    private const string PrivateTitle = "Leaked signing keys";

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Incident:Severities:0:Stakeholders:0"] = Stakeholders,
        ["Incident:Severities:0:Stakeholders:1"] = Cleared,
        ["Incident:Severities:0:PrivateStakeholders:0"] = Cleared,
    };

    private async Task<string> ReplyTextAsync(string text, string channel, string user, string responseId)
    {
        Assert.Equal(HttpStatusCode.OK, (await CommandAsync(text, channel, user, responseId)).StatusCode);
        await InboxDrainedAsync();
        await WaitUntilAsync(() => Slack.Responses(responseId).Count > 0, "the reply to " + text);
        return string.Join("\n", Slack.Responses(responseId).Select(r => r.ToJsonString()));
    }

    [Fact]
    public async Task IncidentList_ByANonParticipant_DoesNotContainThePrivateTitleOrChannel()
    {
        var (_, privateChannel) = await DeclareAsync($"sev1 type:security {PrivateTitle}");
        var privateName = Slack.Channels.Values.First(c => c.Id == privateChannel).Name;
        Assert.Equal(HttpStatusCode.OK, (await CommandAsync("declare sev3 Search is slow", "CORIGIN01", responseId: "public")).StatusCode);
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM chatops.incidents WHERE channel_id IS NOT NULL") == 2, "both channels");

        var strangers = await ReplyTextAsync("list", "CRANDOM01", Mallory, "mallory");
        var declarers = await ReplyTextAsync("list", "CRANDOM01", Declarer, "declarer");
        var fromInside = await ReplyTextAsync("list", privateChannel, Mallory, "inside");

        Assert.Contains("Search is slow", strangers, StringComparison.Ordinal);
        Assert.DoesNotContain(PrivateTitle, strangers, StringComparison.Ordinal);
        Assert.DoesNotContain(privateName, strangers, StringComparison.Ordinal);
        Assert.Contains("1 open incident(s)", strangers, StringComparison.Ordinal);
        Assert.Contains(PrivateTitle, declarers, StringComparison.Ordinal);
        // Asking from inside the private channel: the platform let them in, so they are one of its people.
        Assert.Contains(PrivateTitle, fromInside, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CardActionById_FromAnotherChannel_ByANonParticipant_IsNotFound_AndChangesNothing()
    {
        var (id, _) = await DeclareAsync($"sev1 type:security {PrivateTitle}");
        var payload = JsonNode.Parse(TestSupport.Samples.Read("slack/interactivity/block_actions.button.json"))!.AsObject();
        payload["user"]!["id"] = Mallory;
        payload["channel"]!["id"] = "CRANDOM01";
        payload["container"]!["channel_id"] = "CRANDOM01";
        payload["response_url"] = Slack.ResponseUrl("claim");
        payload["actions"]![0]!["action_id"] = "claim_role#1";
        payload["actions"]![0]!["value"] = $"{id}|scribe";

        Assert.Equal(HttpStatusCode.OK, (await InteractionAsync(payload)).StatusCode);
        await InboxDrainedAsync();
        await WaitUntilAsync(() => Slack.Responses("claim").Count > 0, "the refusal");

        var reply = string.Join("\n", Slack.Responses("claim").Select(r => r.ToJsonString()));
        Assert.Contains("That incident does not exist.", reply, StringComparison.Ordinal);
        Assert.DoesNotContain(PrivateTitle, reply, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.roles WHERE holder_id = @u", ("u", Mallory)));
    }

    [Fact]
    public async Task StakeholderChannel_ReceivesNoPrivateTitle_PrivateStakeholderChannelGetsTheUpdate()
    {
        var (_, channel) = await DeclareAsync($"sev1 type:security {PrivateTitle}");
        const string Update = "Rotated the leaked keys in every region";

        var reply = await ReplyTextAsync($"update identified {Update}", channel, Declarer, "update");
        await WaitUntilAsync(
            () => Slack.PostsIn(Stakeholders).Any(p => p.Text.Contains("posted an update", StringComparison.Ordinal)) && Slack.PostsIn(Cleared).Any(p => p.Text.Contains(Update, StringComparison.Ordinal)),
            "both stakeholder channels posted to");

        // The declaration notice and the update: neither carries the title, the update's text or the channel.
        Assert.Contains(Slack.PostsIn(Stakeholders), p => p.Text.Contains("A private SEV1 incident was declared.", StringComparison.Ordinal));
        Assert.Single(Slack.PostsIn(Stakeholders), p => p.Text.Contains("A private SEV1 incident posted an update.", StringComparison.Ordinal));
        foreach (var redacted in Slack.PostsIn(Stakeholders))
        {
            var everything = redacted.Text + redacted.Blocks;
            Assert.DoesNotContain(PrivateTitle, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(Update, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(Slack.Channels.Values.First(c => c.Id == channel).Name, everything, StringComparison.Ordinal);
        }

        Assert.Single(Slack.PostsIn(Cleared), p => p.Text.Contains(Update, StringComparison.Ordinal));
        Assert.Contains("sent to 1 stakeholder channel(s); 1 stakeholder channel(s) got only a redacted line", reply, StringComparison.Ordinal);
    }
}
