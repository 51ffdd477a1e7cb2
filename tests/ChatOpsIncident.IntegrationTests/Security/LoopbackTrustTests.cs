using System.Net;

namespace ChatOpsIncident.IntegrationTests.Security;

/// <summary>
/// Finding: without OIDC "loopback = admin" was spoofed by X-Forwarded-For: 127.0.0.1 once forwarded headers were on, and
/// by sidecar proxies delivering from 127.0.0.1. Loopback trust is now Development-only and never through a proxy.
/// </summary>
public sealed class LoopbackTrustTests
{
    private static Task<Infrastructure.TestHost> DevelopmentAsync(bool forwardedHeaders) =>
        SecurityHosts.StartAsync("Development", forwardedHeaders ? new Dictionary<string, string?> { ["FORWARDEDHEADERS_ENABLED"] = "true" } : null);

    [Fact]
    public async Task Loopback_ForwardedHeadersOn_XForwardedFor127_Gets403()
    {
        await using var host = await DevelopmentAsync(forwardedHeaders: true);
        using var client = SecurityHosts.Bare(host);

        HttpRequestMessage Via(string path, string header, string value)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation(header, value);
            return request;
        }

        // The middleware rewrites the remote address to 127.0.0.1 and keeps the header as X-Original-For: still a proxy.
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Via("/incidents", "X-Forwarded-For", "127.0.0.1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Via("/incidents", "X-Original-For", "127.0.0.1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Via("/reports", "Forwarded", "for=127.0.0.1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Via("/api/incidents", "X-Forwarded-For", "127.0.0.1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Via("/hangfire", "X-Forwarded-For", "127.0.0.1"))).StatusCode);

        // The Development convenience itself stays: straight from this machine, no proxy.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/incidents")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/incidents")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task Pages_ThroughAProxy_AreForbidden_WithoutSignInConfigured()
    {
        await using var host = await DevelopmentAsync(forwardedHeaders: false);
        using var client = SecurityHosts.Bare(host);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");

        var response = await client.GetAsync("/incidents");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Auth:Authority", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loopback_OutsideDevelopment_IsNotAdmin_EvenWithoutAProxy()
    {
        await using var host = await SecurityHosts.StartAsync("Testing", new Dictionary<string, string?> { ["Api:Token"] = SecurityHosts.Token });
        using var client = SecurityHosts.Bare(host);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/incidents")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/incidents")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/hangfire")).StatusCode);
    }
}
