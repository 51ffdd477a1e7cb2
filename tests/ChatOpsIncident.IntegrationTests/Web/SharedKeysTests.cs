using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.IntegrationTests.Web;

/// <summary>
/// Two replicas on one database share the Data Protection key ring: a form token one issued is accepted by the other,
/// and still after a restart; a host with another key ring (another database) refuses it — the check can fail.
/// </summary>
public sealed partial class SharedKeysTests : IAsyncLifetime
{
    private const string Token = "shared-keys-test-token-0001-0001-0001";
    private readonly TestDatabase _db = new();
    private readonly RecordingChatPlatform _chat = new("slack");

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    private static readonly Dictionary<string, string?> Settings = new() { ["Api:Token"] = Token };

    [Fact]
    public async Task FormTokenFromOneReplica_AcceptedByTheOther_AndAfterRestart()
    {
        var cookies = new CookieContainer();
        Core.Incidents.Incident incident;
        string token;
        var first = TestHost.Start(_db, Settings, chat: _chat);
        try
        {
            incident = await new WebSeed(first.Services, _chat).DeclareAsync(WebSeed.Alice, "declare sev3 Queue backlog");
            using var client = Client(first, cookies);
            token = FormField().Match(await client.GetStringAsync($"/incidents/{incident.Id}")).Groups[1].Value;
            Assert.NotEmpty(token);
            Assert.NotEmpty(cookies.GetAllCookies());

            await using var second = TestHost.Start(_db, Settings, chat: _chat);
            var posted = await PostAsync(second, cookies, $"/incidents/{incident.Id}/actions", Form(token, "n-second", "Add a queue depth alert"));
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using (var restarted = TestHost.Start(_db, Settings, chat: _chat))
        {
            var posted = await PostAsync(restarted, cookies, $"/incidents/{incident.Id}/actions", Form(token, "n-restart", "Page on queue age"));
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        }

        // Another database, another key ring: the same token is refused there.
        await using var stranger = await TestHost.StartAsync(Settings, chat: _chat);
        var theirs = await new WebSeed(stranger.Services, _chat).DeclareAsync(WebSeed.Alice, "declare sev3 Queue backlog");
        var refused = await PostAsync(stranger, cookies, $"/incidents/{theirs.Id}/actions", Form(token, "n-stranger", "Not from here"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(2, await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.actions WHERE incident_id = @id", ("id", incident.Id)));
        Assert.True(await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.data_protection_keys") >= 1);
    }

    private static Dictionary<string, string> Form(string token, string nonce, string text) => new() { ["__af"] = token, ["nonce"] = nonce, ["text"] = text };

    private static HttpClient Client(TestHost host, CookieContainer cookies)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        client.DefaultRequestHeaders.Add("X-ChatOps-Test-User", "U0ALICE");
        return client;
    }

    /// <summary>Posts with the antiforgery cookie the first host set (cookies are per host:port, so copy it over).</summary>
    private static async Task<HttpResponseMessage> PostAsync(TestHost host, CookieContainer from, string path, Dictionary<string, string> form)
    {
        var cookies = new CookieContainer();
        foreach (Cookie c in from.GetAllCookies())
        {
            cookies.Add(host.BaseAddress, new Cookie(c.Name, c.Value, "/"));
        }

        using var client = Client(host, cookies);
        return await client.PostAsync(path, new FormUrlEncodedContent(form));
    }

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")]
    private static partial Regex FormField();
}
