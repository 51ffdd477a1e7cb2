using System.ComponentModel.DataAnnotations;

namespace ChatOpsIncident.Host.Startup;

/// <summary>The <c>Database</c> section: how the host waits for PostgreSQL at start-up.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>How long start-up keeps retrying an unreachable database before it gives up with one line.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "10675199.02:48:05.4775807", ErrorMessage = "Database:StartupTimeout must not be negative")]
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
