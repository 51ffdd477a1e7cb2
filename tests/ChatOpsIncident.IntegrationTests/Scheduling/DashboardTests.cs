using System.Net;
using System.Net.Http.Headers;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Host.Api;
using ChatOpsIncident.Host.Scheduling;
using ChatOpsIncident.Host.Web;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.IntegrationTests.Scheduling;

/// <summary>/hangfire is never anonymous: token (bearer or the sign-in cookie) outside Development, local-only in it.</summary>
public sealed class DashboardTests : IAsyncLifetime
{
    private const string Token = "dashboard-token-456-dashboard-token-456";
    private readonly TestDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    private TestHost Start(string? token) => TestHost.Start(_db, new Dictionary<string, string?> { ["Api:Token"] = token ?? "" }, s => s.AddSingleton<IChatPlatform>(new RecordingChatPlatform("slack")));

    private static HttpClient NoRedirects(TestHost host) => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.BaseAddress };

    [Fact]
    public async Task WithToken_AnonymousAndWrongToken401_BearerOpensIt()
    {
        await using var host = Start(Token);
        using var client = NoRedirects(host);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/hangfire/stats")).StatusCode);
        var wrong = new HttpRequestMessage(HttpMethod.Get, "/hangfire") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "nope") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrong)).StatusCode);
        var withCookieOfAnotherToken = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
        withCookieOfAnotherToken.Headers.Add("Cookie", $"{DashboardAuthorization.CookieName}={DashboardAuthorization.CookieValue("other")}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(withCookieOfAnotherToken)).StatusCode);

        var right = new HttpRequestMessage(HttpMethod.Get, "/hangfire") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Token) } };
        var page = await client.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("ChatOpsIncident jobs", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var recurring = new HttpRequestMessage(HttpMethod.Get, "/hangfire/recurring") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Token) } };
        Assert.Contains(HangfireStartup.SweepJobId, await (await client.SendAsync(recurring)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithPostedToken_SetsHttpOnlyCookie_ThatOpensTheDashboard()
    {
        await using var host = Start(Token);
        using var client = NoRedirects(host);

        var form = await client.GetStringAsync("/hangfire/login");
        Assert.Contains("method=\"post\"", form, StringComparison.Ordinal);
        var refused = await client.PostAsync("/hangfire/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = "guess" }));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Set-Cookie"));

        var signedIn = await client.PostAsync("/hangfire/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = Token }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Token, cookie, StringComparison.Ordinal);

        var request = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task WithoutToken_OutsideDevelopment_NobodyGetsIn()
    {
        await using var host = Start(null);
        using var client = NoRedirects(host);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/hangfire")).StatusCode);
        var bearer = new HttpRequestMessage(HttpMethod.Get, "/hangfire") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(bearer)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/hangfire/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = "" }))).StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("10.1.2.3", false)]
    [InlineData("10.9.9.9", false)]
    public void Development_LocalRequestsOnly_EvenWithoutAToken(string remote, bool allowed)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        // A sidecar proxy delivers from the host's own address: that is not "local" (the last case).
        http.Connection.LocalIpAddress = IPAddress.Parse("10.9.9.9");
        var development = new HostingEnvironment { EnvironmentName = Environments.Development };
        Assert.Equal(allowed, DashboardAuthorization.IsAllowed(http, Access(null, development)));
        Assert.Equal(allowed, DashboardAuthorization.IsAllowed(http, Access(Token, development)));
    }

    private static WebAccess Access(string? token, IHostEnvironment environment) =>
        new(Options.Create(new AuthOptions()), Options.Create(new ApiOptions { Token = token }), environment);
}
