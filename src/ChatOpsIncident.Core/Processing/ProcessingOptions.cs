using System.ComponentModel.DataAnnotations;

namespace ChatOpsIncident.Core.Processing;

public sealed class ProcessingOptions
{
    public const string SectionName = "Processing";

    private const string MaxTimeSpan = "10675199.02:48:05.4775807";

    /// <summary>How often a worker looks for work another replica left behind (its own work wakes it at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00", MaxTimeSpan, MinimumIsExclusive = true, ErrorMessage = "Processing:PollInterval must be positive")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a claimed item stays leased; when a host dies its items run elsewhere after this.</summary>
    [Range(typeof(TimeSpan), "00:00:05", MaxTimeSpan, ErrorMessage = "Processing:Lease must be at least 00:00:05")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    [Range(1, int.MaxValue, ErrorMessage = "Processing:MaxAttempts must be positive")]
    public int MaxAttempts { get; set; } = 12;

    [Range(1, int.MaxValue, ErrorMessage = "Processing:BatchSize must be positive")]
    public int BatchSize { get; set; } = 50;

    /// <summary>How many inbox items one replica processes at once.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Processing:Parallelism must be positive")]
    public int Parallelism { get; set; } = 8;
}
