using System.Text.Json;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.IntegrationTests.Sandbox;

/// <summary>
/// <c>Sandbox:Demo=true</c> seeds past incidents on start-up through the real commands: the list, an incident's
/// detail and its postmortem show them, and a restart on the same database seeds nothing more.
/// </summary>
public sealed class SandboxDemoTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    private TestHost Start() =>
        TestHost.Start(_db, new Dictionary<string, string?>(SandboxHost.Settings()) { ["Sandbox:Demo"] = "true" }, environment: "Development");

    [Fact]
    public async Task Demo_SeedsPastIncidentsOnce_ThroughTheCommands()
    {
        List<JsonElement> first;
        string checkoutDetail;
        await using (var host = Start())
        {
            first = await ListAsync(host);
            Assert.Equal(4, first.Count);
            Assert.Equal(["closed", "resolved", "resolved", "resolved"], first.Select(i => i.GetProperty("status").GetString()!).Order());
            Assert.Single(first, i => i.GetProperty("isPrivate").GetBoolean());
            Assert.Single(first, i => i.GetProperty("drill").GetBoolean());
            // They look past: the oldest was declared days ago, not at start-up.
            Assert.All(first, i => Assert.True(i.GetProperty("declaredAt").GetDateTimeOffset() < TimeProvider.System.GetUtcNow().AddDays(-1)));

            var closed = first.Single(i => i.GetProperty("status").GetString() == "closed");
            var id = closed.GetProperty("id").GetString();
            checkoutDetail = await host.Client.GetStringAsync($"/api/incidents/{id}");
            var detail = JsonDocument.Parse(checkoutDetail).RootElement;
            Assert.Contains(detail.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("kind").GetString() == "pinned");
            Assert.Contains(detail.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("kind").GetString() == "mitigation");
            Assert.True(detail.GetProperty("updates").GetArrayLength() >= 3);
            Assert.Equal(2, detail.GetProperty("actions").GetArrayLength());
            Assert.Equal(3, detail.GetProperty("roles").GetArrayLength());
            var postmortem = await host.Client.GetStringAsync($"/incidents/{id}/postmortem.md");
            Assert.Contains("Error rate on /checkout is 38%", postmortem);
            Assert.Contains("Add a canary stage to the checkout pipeline", postmortem);
            // The metrics count the three real ones; the drill is left out.
            var metrics = JsonDocument.Parse(await host.Client.GetStringAsync("/api/metrics?days=30")).RootElement;
            Assert.Equal(3, metrics.GetProperty("overall").GetProperty("incidents").GetInt32());
            Assert.Contains("3 incidents declared", await host.Client.GetStringAsync("/reports?days=30"), StringComparison.Ordinal);
        }

        await using (var again = Start())
        {
            var second = await ListAsync(again);
            Assert.Equal(first.Select(i => i.GetProperty("id").GetString()), second.Select(i => i.GetProperty("id").GetString()));
            var closed = second.Single(i => i.GetProperty("status").GetString() == "closed").GetProperty("id").GetString();
            var detail = JsonDocument.Parse(await again.Client.GetStringAsync($"/api/incidents/{closed}")).RootElement;
            var before = JsonDocument.Parse(checkoutDetail).RootElement;
            Assert.Equal(before.GetProperty("timeline").GetArrayLength(), detail.GetProperty("timeline").GetArrayLength());
            Assert.Equal(before.GetProperty("updates").GetArrayLength(), detail.GetProperty("updates").GetArrayLength());
            Assert.Equal(before.GetProperty("version").GetInt32(), detail.GetProperty("version").GetInt32());
        }
    }

    private static async Task<List<JsonElement>> ListAsync(TestHost host) =>
        JsonDocument.Parse(await host.Client.GetStringAsync("/api/incidents")).RootElement.GetProperty("incidents").EnumerateArray().Select(e => e.Clone()).ToList();
}
