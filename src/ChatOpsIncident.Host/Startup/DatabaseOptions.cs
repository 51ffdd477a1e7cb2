using System.ComponentModel.DataAnnotations;

namespace ChatOpsIncident.Host.Startup;

/// <summary>The <c>Database</c> section: how the host waits for PostgreSQL at start-up.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>How long start-up keeps retrying an unreachable database before it gives up with one line.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "10675199.02:48:05.4775807", ErrorMessage = "Database:StartupTimeout must not be negative")]
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one attempt waits for the migration lock (another replica migrating) before naming who holds it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ErrorMessage = "Database:MigrationLockTimeout must be between 1 ms and 1 day")]
    public TimeSpan MigrationLockTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
