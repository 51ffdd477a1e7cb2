using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Web;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.TestSupport;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ChatOpsIncident.IntegrationTests.Web;

/// <summary>
/// Sign-in through OpenID Connect against a fake issuer served by WireMock (discovery, JWKS, token endpoint): the
/// authorization-code flow with PKCE as the host runs it, a signed id_token, the cookie, and who may see what.
/// </summary>
public sealed class OidcSignInTests : IAsyncLifetime
{
    private const string ClientId = "chatops-web";
    private const string OurTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private readonly RecordingChatPlatform _chat = new("slack");
    private readonly RSA _key = RSA.Create(2048);
    private WireMockServer _issuer = null!;
    private TestHost _host = null!;
    private WebSeed _seed = null!;

    public async Task InitializeAsync()
    {
        _issuer = WireMockServer.Start();
        var p = _key.ExportParameters(false);
        _issuer.Given(Request.Create().WithPath("/.well-known/openid-configuration").UsingGet()).RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["issuer"] = _issuer.Url!,
            ["authorization_endpoint"] = $"{_issuer.Url}/authorize",
            ["token_endpoint"] = $"{_issuer.Url}/token",
            ["jwks_uri"] = $"{_issuer.Url}/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        })));
        _issuer.Given(Request.Create().WithPath("/jwks").UsingGet()).RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(JsonSerializer.Serialize(new
        {
            keys = new[] { new { kty = "RSA", use = "sig", kid = "test-key", alg = "RS256", n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) } },
        })));

        _host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Authority"] = _issuer.Url,
            ["Auth:ClientId"] = ClientId,
            ["Auth:ClientSecret"] = "s3cret-for-tests",
            ["Auth:Admins:0"] = "boss@example.com",
            ["Auth:Admins:1"] = "U0ROOT",
            ["Auth:AllowedSlackTeams:0"] = "T0OURS",
            ["Auth:AllowedTenants:0"] = OurTenant,
        }, chat: _chat);
        _seed = new WebSeed(_host.Services, _chat);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _issuer.Stop();
        _key.Dispose();
    }

    /// <summary>Signs in as a Slack user through the whole code flow; returns a client holding the session cookie.</summary>
    private async Task<HttpClient> SignInAsync(string slackUserId, string email, bool emailVerified = true, string team = "T0OURS", string tenant = OurTenant)
    {
        var cookies = new Dictionary<string, string>();
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _host.BaseAddress };

        void Keep(HttpResponseMessage response)
        {
            foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = header.Split(';')[0];
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                cookies[pair[..eq]] = pair[(eq + 1)..];
            }
        }

        HttpRequestMessage With(HttpRequestMessage request)
        {
            // The correlation and nonce cookies are Secure; a browser would send them back over https, this test over loopback http.
            request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
            return request;
        }

        var challenge = await client.GetAsync("/incidents");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        Keep(challenge);
        var authorize = challenge.Headers.Location!;
        Assert.StartsWith($"{_issuer.Url}/authorize", authorize.ToString(), StringComparison.Ordinal);
        var query = HttpUtility.ParseQueryString(authorize.Query);
        Assert.Equal(ClientId, query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(new Uri(_host.BaseAddress, "/signin-oidc").ToString(), query["redirect_uri"]);

        var code = $"code-{slackUserId}";
        var now = DateTimeOffset.UtcNow;
        var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _issuer.Url,
            Audience = ClientId,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddMinutes(5).UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = $"slack-{slackUserId}",
                ["https://slack.com/user_id"] = slackUserId,
                ["email"] = email,
                ["email_verified"] = emailVerified,
                ["https://slack.com/team_id"] = team,
                // Entra's tenant claim; Slack's issuer sends none, an Entra (or Entra-federated) one always does.
                ["tid"] = tenant,
                ["name"] = slackUserId.ToLowerInvariant(),
                ["nonce"] = query["nonce"]!,
            },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_key) { KeyId = "test-key" }, SecurityAlgorithms.RsaSha256),
        });
        _issuer.Given(Request.Create().WithPath("/token").UsingPost().WithBody(new WildcardMatcher($"*code={code}*")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(JsonSerializer.Serialize(new { access_token = "at-" + slackUserId, token_type = "Bearer", expires_in = 300, id_token = idToken })));

        // The issuer answers the browser with a form post of the code and state to the callback.
        var callback = await client.SendAsync(With(new HttpRequestMessage(HttpMethod.Post, "/signin-oidc")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["code"] = code, ["state"] = query["state"]! }),
        }));
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/incidents", callback.Headers.Location!.OriginalString);
        Keep(callback);
        var tokenCall = Assert.Single(_issuer.LogEntries, e => e.RequestMessage!.Path == "/token" && e.RequestMessage.Body!.Contains(code, StringComparison.Ordinal));
        Assert.Contains("code_verifier=", tokenCall.RequestMessage!.Body, StringComparison.Ordinal);

        client.DefaultRequestHeaders.Add("Cookie", $"chatops.auth={cookies["chatops.auth"]}");
        return client;
    }

    [Fact]
    public async Task Pages_WithoutSession_RedirectToTheIssuer_EvenFromLoopback()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.BaseAddress };

        var response = await client.GetAsync("/incidents/INC-1");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith($"{_issuer.Url}/authorize?", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedIn_Participant_SeesPrivateIncident_OthersDoNot_AdminByEmailDoes()
    {
        var secret = await _seed.DeclareAsync(WebSeed.Alice, "declare sev1 type:security Leaked credentials");
        await _seed.RunAsync(secret, WebSeed.Alice, "role ops <@U0CAROL|carol>");

        using var carol = await SignInAsync("U0CAROL", "carol@example.com");
        using var mallory = await SignInAsync("U0MALLORY", "mallory@example.com");
        using var boss = await SignInAsync("U0BOSS", "boss@example.com");

        var carolList = await carol.GetStringAsync("/incidents");
        var malloryList = await mallory.GetStringAsync("/incidents");
        var malloryDetail = await mallory.GetAsync($"/incidents/{secret.Id}");
        var bossDetail = await boss.GetAsync($"/incidents/{secret.Id}");

        Assert.Contains("Signed in as <strong>u0carol</strong>", carolList, StringComparison.Ordinal);
        Assert.Contains("Leaked credentials", carolList, StringComparison.Ordinal);
        Assert.DoesNotContain("Leaked credentials", malloryList, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, malloryDetail.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bossDetail.StatusCode);
        Assert.Contains("(admin)", await bossDetail.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSignIn_AdminsMatchedOnStableIds_EmailOnlyWhenVerified()
    {
        var secret = await _seed.DeclareAsync(WebSeed.Alice, "declare sev1 type:security Leaked credentials");
        using var unverified = await SignInAsync("U0EVE", "boss@example.com", emailVerified: false);
        using var root = await SignInAsync("U0ROOT", "root@example.com", emailVerified: false);

        Assert.Equal(HttpStatusCode.NotFound, (await unverified.GetAsync($"/incidents/{secret.Id}")).StatusCode);
        Assert.DoesNotContain("(admin)", await unverified.GetStringAsync("/incidents"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await root.GetAsync($"/incidents/{secret.Id}")).StatusCode);
    }

    [Fact]
    public async Task WebSignIn_OutsideAllowedSlackTeams_Gets403()
    {
        using var outsider = await SignInAsync("U0OTHER", "other@example.com", team: "T0THEIRS");

        var response = await outsider.GetAsync("/incidents");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Auth:AllowedSlackTeams", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task WebSignIn_OutsideAllowedTenants_Gets403_ListedTenantGetsIn()
    {
        using var outsider = await SignInAsync("U0FOREIGN", "foreign@example.com", tenant: "0b6f9c3e-1111-4222-8333-444455556666");
        using var insider = await SignInAsync("U0INSIDER", "insider@example.com");

        var refused = await outsider.GetAsync("/incidents");
        var admitted = await insider.GetAsync("/incidents");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Auth:AllowedTenants", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Contains("Signed in as <strong>u0insider</strong>", await admitted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_SignedInNonAdmin_Gets403_SignedInAdminGetsIn()
    {
        using var carol = await SignInAsync("U0CAROL", "carol@example.com");
        using var boss = await SignInAsync("U0BOSS", "boss@example.com");

        Assert.Equal(HttpStatusCode.Forbidden, (await carol.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await carol.GetAsync("/hangfire/recurring")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await boss.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task WebSignIn_SignOutIsAPost_GetDoesNotSignOut()
    {
        using var carol = await SignInAsync("U0CAROL", "carol@example.com");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await carol.GetAsync("/signout")).StatusCode);
        var list = await carol.GetStringAsync("/incidents");
        Assert.Contains("<form class=\"signout\" method=\"post\" action=\"/signout\">", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await carol.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string>()))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await carol.GetAsync("/incidents")).StatusCode);
    }

    [Fact]
    public async Task SignedIn_TestUserHeader_IsIgnored()
    {
        using var mallory = await SignInAsync("U0MALLORY", "mallory@example.com");
        var secret = await _seed.DeclareAsync(WebSeed.Alice, "declare sev1 type:security Leaked credentials");
        mallory.DefaultRequestHeaders.Add("X-ChatOps-Test-User", "U0ALICE");

        var response = await mallory.GetAsync($"/incidents/{secret.Id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
