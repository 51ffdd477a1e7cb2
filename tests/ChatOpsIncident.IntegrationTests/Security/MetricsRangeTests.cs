using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ChatOpsIncident.IntegrationTests.Security;

/// <summary>Finding: /api/metrics?to=9999-12-31 overflowed the date arithmetic and answered 500.</summary>
public sealed class MetricsRangeTests
{
    [Fact]
    public async Task Metrics_FarFutureOrHugeRanges_AreClampedOr400_Never500()
    {
        await using var host = await SecurityHosts.StartAsync("Testing", new Dictionary<string, string?> { ["Api:Token"] = SecurityHosts.Token });
        using var client = SecurityHosts.Bare(host);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SecurityHosts.Token);

        var future = await client.GetAsync("/api/metrics?to=9999-12-31");
        Assert.Equal(HttpStatusCode.OK, future.StatusCode);
        var json = JsonDocument.Parse(await future.Content.ReadAsStringAsync()).RootElement;
        Assert.True(json.GetProperty("to").GetDateTimeOffset() < DateTimeOffset.UtcNow.AddDays(2), "the end is clamped to about now");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/metrics?from=0001-01-01&to=2001-01-01")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/reports?to=9999-12-31")).StatusCode);

        foreach (var query in new[] { "days=100000", "days=99999999999", "to=0001-01-01", "to=0001-01-01T00:00:00Z&days=30", "from=9999-12-31" })
        {
            var response = await client.GetAsync($"/api/metrics?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/reports?{query}")).StatusCode);
        }
    }
}
