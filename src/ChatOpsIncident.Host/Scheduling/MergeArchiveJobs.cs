using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Core.Storage;
using Hangfire;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Scheduling;

/// <summary>
/// Hears a merge and schedules the duplicate's channel archive as a Hangfire delayed job (durable in Hangfire's
/// PostgreSQL storage, so a restart or another replica still runs it). Scheduling twice is harmless: the job queues
/// one outbox row under a key per incident.
/// </summary>
internal sealed class MergeArchiveObserver(
    IBackgroundJobClient jobs,
    IOptions<IncidentOptions> options,
    TimeProvider time,
    ILogger<MergeArchiveObserver> logger) : IIncidentObserver
{
    public Task IncidentChangedAsync(Incident incident, CancellationToken ct)
    {
        var after = options.Value.MergeArchiveAfter;
        if (!MergeArchive.Enabled(after) || MergeArchive.Due(incident) is null)
        {
            return Task.CompletedTask;
        }

        var at = time.GetUtcNow() + after;
        var id = incident.Id;
        try
        {
            jobs.Schedule<MergeArchiveJobs>(j => j.ArchiveAsync(id, CancellationToken.None), at);
            Log.MergeArchivePlanned(logger, incident.PublicId, at);
        }
        catch (Exception ex)
        {
            // The merge is saved and told; a scheduler outage must not turn it into an error for the person.
            Log.MergeArchiveNotPlanned(logger, ex, incident.PublicId);
        }

        return Task.CompletedTask;
    }
}

/// <summary>The delayed job: archives the channel if the incident is still merged when the grace period ends.</summary>
public sealed class MergeArchiveJobs(IIncidentStore store, IOutbox outbox, OutboxSignal signal, ILogger<MergeArchiveJobs> logger)
{
    [AutomaticRetry(Attempts = 5)]
    [Queue("default")]
    public async Task ArchiveAsync(Guid incidentId, CancellationToken ct)
    {
        var record = await store.GetAsync(incidentId, ct);
        if (record is null || MergeArchive.Due(record.Incident) is not { } archive)
        {
            Log.MergeArchiveSkipped(logger, incidentId);
            return;
        }

        await outbox.EnqueueAsync([archive], ct);
        signal.Notify();
    }
}
