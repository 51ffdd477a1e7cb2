using System.Net;
using ChatOpsIncident.IntegrationTests.Slack;

namespace ChatOpsIncident.IntegrationTests.Privacy;

/// <summary>
/// Issue 13, "A private incident is visible to admins and to its people: … people the bot invited to its channel":
/// invitations are stored as they are queued, and an invitee sees the private incident where a stranger does not.
/// </summary>
public sealed class InviteeVisibilityTests : SlackHostTestBase
{
    private const string PrivateTitle = "Leaked signing keys";
    private const string Guest = "U0GUEST01";
    private const string Stranger = "U0STRANGE";

    private async Task<string> ReplyTextAsync(string text, string channel, string user, string responseId)
    {
        Assert.Equal(HttpStatusCode.OK, (await CommandAsync(text, channel, user, responseId)).StatusCode);
        await InboxDrainedAsync();
        await WaitUntilAsync(() => Slack.Responses(responseId).Count > 0, "the reply to " + text);
        return string.Join("\n", Slack.Responses(responseId).Select(r => r.ToJsonString()));
    }

    [Fact]
    public async Task Invitations_AreStored_WithTheDeclarationAndRoleAssignments()
    {
        var (id, channel) = await DeclareAsync($"sev1 type:security {PrivateTitle}");
        Assert.Equal(HttpStatusCode.OK, (await CommandAsync("role ops <@U0CAROL|carol>", channel, Declarer, "role")).StatusCode);
        await InboxDrainedAsync();

        await WaitForAsync(
            async () => await CountAsync($"SELECT count(*) FROM chatops.incident_invitees WHERE incident_id = '{id}' AND user_id IN ('{Declarer}', 'U0CAROL')") == 2,
            "the declarer and the new role holder are recorded as invited");
    }

    [Fact]
    public async Task PrivateIncident_InTheList_OfAnInvitee_NotOfANonInvitee()
    {
        var (id, _) = await DeclareAsync($"sev1 type:security {PrivateTitle}");
        // Someone the bot invited who holds no role, owns no action and did not declare: only the invitation ties them.
        await CountAsync($"INSERT INTO chatops.incident_invitees (incident_id, user_id, user_name) VALUES ('{id}', '{Guest}', 'guest') RETURNING 1");

        var guests = await ReplyTextAsync("list", "CRANDOM01", Guest, "guest");
        var strangers = await ReplyTextAsync("list", "CRANDOM01", Stranger, "stranger");

        Assert.Contains(PrivateTitle, guests, StringComparison.Ordinal);
        Assert.DoesNotContain(PrivateTitle, strangers, StringComparison.Ordinal);
    }
}
