using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace ChatOpsIncident.IntegrationTests.Security;

/// <summary>
/// Without OIDC the pages accept the admin token: as a bearer header, or through the sign-in form, which sets an
/// HttpOnly, SameSite=Strict cookie holding an HMAC of the token. Sign-out is a POST with the antiforgery token.
/// </summary>
public sealed partial class WebTokenSignInTests
{
    private static Task<Infrastructure.TestHost> StartAsync() =>
        SecurityHosts.StartAsync("Production", new Dictionary<string, string?> { ["Api:Token"] = SecurityHosts.Token });

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) => new(fields.ToDictionary(f => f.Key, f => f.Value));

    /// <summary>Issue 13, "cookies Secure behind TLS": the proxy ends TLS, forwarded headers say the browser's request was https.</summary>
    [Fact]
    public async Task WebSignIn_BehindATlsProxy_SetsASecureCookie()
    {
        await using var host = await SecurityHosts.StartAsync("Production", new Dictionary<string, string?>
        {
            ["Api:Token"] = SecurityHosts.Token,
            ["FORWARDEDHEADERS_ENABLED"] = "true",
        });
        using var client = SecurityHosts.Bare(host);
        var request = new HttpRequestMessage(HttpMethod.Post, "/signin") { Content = Form(("token", SecurityHosts.Token), ("returnUrl", "/incidents")) };
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        var signedIn = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WebSignIn_Token_BearerOpensPages_FormSetsHttpOnlyStrictHmacCookie_SignOutIsAPost()
    {
        await using var host = await StartAsync();
        using var client = SecurityHosts.Bare(host);

        var anonymous = await client.GetAsync("/incidents?status=open");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var form = await anonymous.Content.ReadAsStringAsync();
        Assert.Contains("<form method=\"post\" action=\"/signin\">", form, StringComparison.Ordinal);
        Assert.Contains("value=\"/incidents?status=open\"", form, StringComparison.Ordinal);

        var bearer = new HttpRequestMessage(HttpMethod.Get, "/incidents") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", SecurityHosts.Token) } };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(bearer)).StatusCode);
        var wrongBearer = new HttpRequestMessage(HttpMethod.Get, "/incidents") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "guess") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrongBearer)).StatusCode);

        var refused = await client.PostAsync("/signin", Form(("token", "guess"), ("returnUrl", "/reports")));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Set-Cookie"));

        // An absolute return address would be an open redirect: it falls back to the list.
        var offsite = await client.PostAsync("/signin", Form(("token", SecurityHosts.Token), ("returnUrl", "//evil.example/")));
        Assert.Equal("/incidents", offsite.Headers.Location!.OriginalString);
        var signedIn = await client.PostAsync("/signin", Form(("token", SecurityHosts.Token), ("returnUrl", "/reports")));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/reports", signedIn.Headers.Location!.OriginalString);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        // Over plain http (no TLS, no forwarded proto) the cookie cannot be Secure; over https it is (AdminToken).
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(SecurityHosts.Token, cookie, StringComparison.Ordinal);
        var session = cookie.Split(';')[0];

        var page = new HttpRequestMessage(HttpMethod.Get, "/incidents");
        page.Headers.Add("Cookie", session);
        var list = await client.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var html = await list.Content.ReadAsStringAsync();
        Assert.Contains("(admin)", html, StringComparison.Ordinal);
        Assert.Contains("<form class=\"signout\" method=\"post\" action=\"/signout\">", html, StringComparison.Ordinal);
        var antiforgeryCookie = list.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("chatops.af=", StringComparison.Ordinal)).Split(';')[0];
        var antiforgeryField = SignOutToken().Match(html).Groups[1].Value;

        // A GET (an image on any page) does not sign anyone out, nor does a POST without the form's token.
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.GetAsync("/signout")).StatusCode);
        var forged = new HttpRequestMessage(HttpMethod.Post, "/signout") { Content = Form() };
        forged.Headers.Add("Cookie", session);
        var forgedResponse = await client.SendAsync(forged);
        Assert.Equal(HttpStatusCode.BadRequest, forgedResponse.StatusCode);
        Assert.False(forgedResponse.Headers.Contains("Set-Cookie"));

        var signOut = new HttpRequestMessage(HttpMethod.Post, "/signout") { Content = Form(("__af", System.Net.WebUtility.HtmlDecode(antiforgeryField))) };
        signOut.Headers.Add("Cookie", $"{session}; {antiforgeryCookie}");
        var signedOut = await client.SendAsync(signOut);
        Assert.Equal(HttpStatusCode.OK, signedOut.StatusCode);
        Assert.Contains(signedOut.Headers.GetValues("Set-Cookie"), c => c.StartsWith("chatops.token=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task SignInForms_RateLimited_PerClient_SixthTryInAMinuteGets429()
    {
        await using var host = await StartAsync();
        using var client = SecurityHosts.Bare(host);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/hangfire/login", Form(("token", $"guess-{i}")))).StatusCode);
        }

        // The dashboard's form and the pages' form share the budget: one token, one guess rate.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync("/hangfire/login", Form(("token", SecurityHosts.Token)))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync("/signin", Form(("token", SecurityHosts.Token)))).StatusCode);
    }

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")]
    private static partial Regex SignOutToken();
}
