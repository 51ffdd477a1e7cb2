using System.Text.Json;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.Postgres.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using static ChatOpsIncident.IntegrationTests.Sandbox.SandboxClient;

namespace ChatOpsIncident.IntegrationTests.Sandbox;

/// <summary>
/// Drills through the whole host, built by commands in the workspace: <c>/incident declare drill …</c> (and every
/// declaration with <c>Sandbox:Drill</c>) is labelled DRILL in its channel, card, topic and API JSON, and no metric
/// counts it — not <c>/api/metrics</c>, not the open-incidents gauge's counts.
/// </summary>
public sealed class SandboxDrillTests
{
    [Fact]
    public async Task DeclareDrill_IsLabelledEverywhere_AndLeftOutOfMetrics()
    {
        await using var host = await SandboxHost.StartAsync();
        var api = new SandboxClient(host.Client);

        await api.PostAsync("general", "alice", "/incident declare drill sev2 Game day: checkout failover", "drill-1");
        var drill = await api.WaitForChannelAsync("alice", c => c.GetProperty("kind").GetString() == "incident", "the drill's channel");
        await api.PostAsync("general", "bob", "/incident declare sev2 Checkout 5xx after deploy", "real-1");
        var real = await api.WaitForChannelAsync("bob", c => c.GetProperty("kind").GetString() == "incident" && Id(c) != Id(drill), "the real incident's channel");

        Assert.StartsWith("drill-inc-", drill.GetProperty("name").GetString());
        Assert.True(drill.GetProperty("drill").GetBoolean());
        Assert.StartsWith("inc-", real.GetProperty("name").GetString());
        Assert.False(real.GetProperty("drill").GetBoolean());
        var kickoff = await api.WaitForMessageAsync(Id(drill), "alice", m => Title(m).Contains("INC-", StringComparison.Ordinal), "the drill's kickoff card");
        Assert.StartsWith("🚨 [DRILL] INC-", Title(kickoff));
        await WaitAsync(async () => (await api.ChannelsAsync("alice")).Single(c => Id(c) == Id(drill)).GetProperty("topic").GetString()?.StartsWith("DRILL | SEV2", StringComparison.Ordinal) == true, "the drill's topic");

        var drillId = drill.GetProperty("incidentId").GetString();
        var realId = real.GetProperty("incidentId").GetString();
        var list = (await GetJsonAsync(host, "/api/incidents")).EnumerateArray().ToList();
        Assert.True(list.Single(i => i.GetProperty("id").GetString() == drillId).GetProperty("drill").GetBoolean());
        Assert.False(list.Single(i => i.GetProperty("id").GetString() == realId).GetProperty("drill").GetBoolean());
        Assert.True((await GetJsonAsync(host, $"/api/incidents/{drillId}")).GetProperty("drill").GetBoolean());
        Assert.Contains("DRILL", await host.Client.GetStringAsync($"/incidents/{drillId}"));
        Assert.Contains("DRILL", await host.Client.GetStringAsync("/incidents"));

        // Two SEV2 incidents are open; the metrics see one.
        var metrics = await GetJsonAsync(host, "/api/metrics?days=1");
        Assert.Equal(1, metrics.GetProperty("overall").GetProperty("incidents").GetInt32());
        Assert.Equal(1, metrics.GetProperty("bySeverity").EnumerateArray().Single(g => g.GetProperty("name").GetString() == "SEV2").GetProperty("incidents").GetInt32());
        var gauge = await host.Services.GetRequiredService<PostgresBacklog>().ReadAsync(CancellationToken.None);
        Assert.Equal(1, gauge.OpenIncidentsBySeverity["SEV2"]);
    }

    [Fact]
    public async Task SandboxDrillSetting_MakesEveryWorkspaceDeclarationADrill()
    {
        await using var host = await SandboxHost.StartAsync(new Dictionary<string, string?> { ["Sandbox:Drill"] = "true" });
        var api = new SandboxClient(host.Client);

        await api.PostAsync("general", "alice", "/incident declare sev3 Search is slow", "plain-1");
        var channel = await api.WaitForChannelAsync("alice", c => c.GetProperty("kind").GetString() == "incident", "the incident channel");

        Assert.True(channel.GetProperty("drill").GetBoolean());
        Assert.True((await GetJsonAsync(host, $"/api/incidents/{channel.GetProperty("incidentId").GetString()}")).GetProperty("drill").GetBoolean());
        Assert.Equal(0, (await GetJsonAsync(host, "/api/metrics?days=1")).GetProperty("overall").GetProperty("incidents").GetInt32());
    }

    private static async Task<JsonElement> GetJsonAsync(TestHost host, string url)
    {
        using var response = await host.Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {body}");
        var root = JsonDocument.Parse(body).RootElement.Clone();
        return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("incidents", out var incidents) ? incidents : root;
    }
}
