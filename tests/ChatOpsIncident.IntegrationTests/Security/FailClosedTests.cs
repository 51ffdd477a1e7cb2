using System.Net;
using System.Net.Http.Headers;

namespace ChatOpsIncident.IntegrationTests.Security;

/// <summary>Finding: the API, postmortem.md and /api/metrics were open to anyone when Api:Token was empty (the shipped default).</summary>
public sealed class FailClosedTests
{
    [Fact]
    public async Task FailClosed_ProductionWithNothingConfigured_RefusesApiPagesAndDashboard_AndSaysHowToOpenThem()
    {
        var logs = new LogCapture();
        await using var host = await SecurityHosts.StartAsync("Production", logs: logs);
        using var client = SecurityHosts.Bare(host);

        // The client is on loopback: in Production that is no one in particular.
        foreach (var path in new[] { "/api/incidents", "/api/incidents/INC-1", "/api/incidents/INC-1/postmortem.md", "/api/metrics?days=30", "/metrics" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(path)).StatusCode);
        }

        foreach (var path in new[] { "/incidents", "/incidents/INC-1", "/incidents/INC-1/postmortem.md", "/reports" })
        {
            var page = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
            Assert.Contains("Api:Token", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/hangfire")).StatusCode);
        var anyBearer = new HttpRequestMessage(HttpMethod.Get, "/api/incidents") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", SecurityHosts.Token) } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(anyBearer)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

        var line = Assert.Single(logs.Entries, e => e.Id.Id == 5100);
        Assert.Contains("set Api:Token", line.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:Authority", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailClosed_WithAToken_NoStartupWarning_AndTheTokenOpensTheApi()
    {
        var logs = new LogCapture();
        await using var host = await SecurityHosts.StartAsync("Production", new Dictionary<string, string?> { ["Api:Token"] = SecurityHosts.Token }, logs);
        using var client = SecurityHosts.Bare(host);

        var withToken = new HttpRequestMessage(HttpMethod.Get, "/api/incidents") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", SecurityHosts.Token) } };

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/incidents")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(withToken)).StatusCode);
        Assert.DoesNotContain(logs.Entries, e => e.Id.Id == 5100);

        // Without a metrics token of its own, the Prometheus scrape takes the admin token, and nothing else.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/metrics")).StatusCode);
        var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", SecurityHosts.Token) } };
        var scraped = await client.SendAsync(scrape);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("chatops_", await scraped.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
