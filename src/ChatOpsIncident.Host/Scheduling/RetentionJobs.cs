using System.ComponentModel.DataAnnotations;
using ChatOpsIncident.Core.Storage;
using Hangfire;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Scheduling;

/// <summary>
/// <c>Processing:Retention</c>: how long done inbox, outbox and delivery rows (and the local workspace's messages) are kept (for tracing what happened)
/// before the retention job deletes them. Secrets in inbox payloads are stripped on completion, not after this.
/// Bound to the Processing section beside the worker options, in its own type so the two evolve apart.
/// </summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Processing";

    private const string MaxTimeSpan = "10675199.02:48:05.4775807";

    [Range(typeof(TimeSpan), "01:00:00", MaxTimeSpan, ErrorMessage = "Processing:Retention must be at least 01:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>When the purge runs (cron, UTC); hourly keeps each run small.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Processing:RetentionCron is required")]
    public string RetentionCron { get; set; } = "17 * * * *";

    [Range(1, 1_000_000, ErrorMessage = "Processing:RetentionBatchSize must be between 1 and 1000000")]
    public int RetentionBatchSize { get; set; } = 5000;
}

/// <summary>The recurring retention purge; idempotent, so two replicas running it at once only share the work.</summary>
public sealed class RetentionJobs(IRetentionStore store, IOptions<RetentionOptions> options, ILogger<RetentionJobs> logger)
{
    public const string JobId = "retention-purge";

    [AutomaticRetry(Attempts = 0)]
    [Queue("default")]
    public async Task PurgeAsync(CancellationToken ct)
    {
        var purged = await store.PurgeAsync(options.Value.Retention, options.Value.RetentionBatchSize, ct);
        Log.RetentionPurged(logger, purged.Inbox, purged.Outbox, purged.Deliveries, options.Value.Retention);
        if (purged.AlertGroups > 0)
        {
            Log.AlertGroupsPurged(logger, purged.AlertGroups, options.Value.Retention);
        }

        if (purged.WorkspaceMessages > 0)
        {
            Log.WorkspaceRetentionPurged(logger, purged.WorkspaceMessages, options.Value.Retention);
        }
    }
}
