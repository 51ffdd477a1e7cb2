using ChatOpsIncident.IntegrationTests.Teams.Support;
using ChatOpsIncident.TestSupport;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ChatOpsIncident.IntegrationTests.Reliability;

/// <summary>
/// Teams answers (text replies and form cards) are outbox items: a Bot Framework endpoint that hangs on the form
/// holds up only that form, not the inbox worker, so the next command in the same channel is applied meanwhile.
/// </summary>
public sealed class TeamsFormOutboxTests : IAsyncLifetime
{
    private TeamsScenario _teams = null!;

    public async Task InitializeAsync() => _teams = await TeamsScenario.StartAsync();

    public async Task DisposeAsync() => await _teams.DisposeAsync();

    [Fact]
    public async Task SlowReplyEndpoint_FormWaits_NextCommandInTheChannelIsStillApplied()
    {
        _teams.Stub.Server.Given(Request.Create().WithPath(new WildcardMatcher("/amer/v3/conversations/*form-1/activities")).UsingPost())
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "form-activity" }).WithDelay(TimeSpan.FromSeconds(120)));

        (await _teams.SendAsync(_teams.Command("declare", TeamsScenario.General, "form-1"))).EnsureSuccessStatusCode();
        await RecordingChatPlatform.WaitUntilAsync(
            () => _teams.CountAsync("SELECT count(*) FROM chatops.outbox WHERE key LIKE 'teams:form:%' AND operation = 'form' AND attempts >= 1").GetAwaiter().GetResult() == 1,
            TimeSpan.FromSeconds(30),
            "the form queued and its send under way");
        (await _teams.SendAsync(_teams.Command("list", TeamsScenario.General, "after-1"))).EnsureSuccessStatusCode();

        // Both activities share the channel's order key: the second is applied only once the first is done, which it is
        // as soon as the form is queued, not when the hung endpoint answers.
        await _teams.InboxDrainedAsync(2, "both commands applied while the form waits");
        Assert.Equal("pending", await _teams.Db.ScalarAsync<string>("SELECT status FROM chatops.outbox WHERE key LIKE 'teams:form:%'"));
        Assert.Equal(2, await _teams.CountAsync("SELECT count(*) FROM chatops.inbox WHERE order_key = @k", ("k", "teams:" + TeamsScenario.General)));
    }
}
