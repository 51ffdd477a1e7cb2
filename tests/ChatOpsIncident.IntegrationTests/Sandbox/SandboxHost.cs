using ChatOpsIncident.IntegrationTests.Infrastructure;

namespace ChatOpsIncident.IntegrationTests.Sandbox;

/// <summary>The whole host with the local workspace on, in Development (the only environment it runs in), on Kestrel.</summary>
public static class SandboxHost
{
    /// <summary>SEV2's update cadence in these tests: short, so the reminder arrives within a test.</summary>
    public static readonly TimeSpan Cadence = TimeSpan.FromSeconds(20);

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Sandbox:Enabled"] = "true",
        ["Incident:Severities:1:UpdateCadence"] = Cadence.ToString(),
        ["Scheduling:SchedulePollingInterval"] = "00:00:01",
        ["Scheduling:QueuePollInterval"] = "00:00:02",
        ["Scheduling:Window"] = "00:00:02",
    };

    public static Task<TestHost> StartAsync(IDictionary<string, string?>? extra = null, int port = 0)
    {
        var settings = Settings();
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        return TestHost.StartAsync(settings, environment: "Development", port: port);
    }
}
