using System.Net;
using System.Text.Json.Nodes;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.IntegrationTests.Slack;

public sealed class SlackEndpointSecurityTests : SlackHostTestBase
{
    [Theory]
    [InlineData("/slack/commands")]
    [InlineData("/slack/events")]
    [InlineData("/slack/interactions")]
    public async Task Unsigned_Stale_Tampered_AreRefused401_AndNothingIsRecorded(string path)
    {
        var body = Samples.Read("slack/events/reaction_added.json");
        var stale = (TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() - 301).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var now = Now();

        using var unsigned = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body) };
        var responses = new[]
        {
            await Host.Client.SendAsync(unsigned),
            await PostSignedAsync(path, body, "application/json", timestamp: stale),
            await PostSignedAsync(path, body, "application/json", timestamp: now, signature: Sign(now, body + " ")),
            await PostSignedAsync(path, body, "application/json", timestamp: now, signature: "v0=" + new string('0', 64)),
        };

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.inbox"));
    }

    [Fact]
    public async Task BodyOverOneMebibyte_IsRefused413()
    {
        var body = "{\"type\":\"event_callback\",\"pad\":\"" + new string('x', 1024 * 1024) + "\"}";

        var response = await PostSignedAsync("/slack/events", body, "application/json");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.inbox"));
    }

    [Fact]
    public async Task UrlVerification_EchoesTheChallenge()
    {
        var body = Samples.Read("slack/events/url_verification.json");

        var response = await PostSignedAsync("/slack/events", body, "application/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = JsonNode.Parse(Samples.Read("slack/events/url_verification.response.json"))!["challenge"]!.GetValue<string>();
        Assert.Equal(expected, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["challenge"]!.GetValue<string>());
    }

    [Fact]
    public async Task MalformedEventJson_Is400()
    {
        var response = await PostSignedAsync("/slack/events", "{not json", "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task BotToken_AndSigningSecret_NeverReachTheRecord()
    {
        await DeclareAsync();

        foreach (var table in new[] { "inbox", "outbox", "timeline", "audit", "incidents" })
        {
            Assert.Equal(0, await CountAsync($"SELECT count(*) FROM chatops.{table} t WHERE t::text LIKE '%' || @s || '%' OR t::text LIKE '%' || @t || '%'", ("s", Secret), ("t", Token)));
        }
    }
}
