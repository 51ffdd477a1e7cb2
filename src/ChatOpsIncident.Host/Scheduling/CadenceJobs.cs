using ChatOpsIncident.Core.Cadence;
using ChatOpsIncident.Postgres.Cadence;
using Hangfire;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Scheduling;

/// <summary>
/// The Hangfire jobs. They take a window's end time (never an incident), read the state when they run and are
/// idempotent: running one twice, or on two replicas at once, posts nothing twice (the store locks what it claims and
/// the outbox keys are unique).
/// </summary>
public sealed class CadenceJobs(
    CadenceService cadence,
    CadenceWindowPlanner planner,
    PostgresCadenceWindows windows,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<CadenceJobs> logger)
{
    /// <summary>
    /// Serves one window of due times: started a little before the window opens, it sleeps until each due time and
    /// posts what is due, so reminders are on time whatever Hangfire's polling interval.
    /// </summary>
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [Queue("default")]
    public async Task RunWindowAsync(long windowEndUnixMs, CancellationToken ct)
    {
        var end = DateTimeOffset.FromUnixTimeMilliseconds(windowEndUnixMs);
        // A job that starts long after its window (host down, queue backlog) just catches up and ends.
        var giveUpAt = end + options.Value.Window + options.Value.Lead;
        while (!ct.IsCancellationRequested)
        {
            // One instant for both questions: what is due by it is posted, what falls due after it is waited for. (Asking
            // "what is next" with a later clock would skip what fell due while the posting ran.)
            var asOf = CadencePolicy.Micros(time.GetUtcNow());
            await cadence.RunDueAsync(asOf, ct);
            var next = await cadence.NextDueAsync(asOf, end, ct);
            if (next is null)
            {
                await windows.CloseAsync(end, ct);
                // Work that arrived while closing: either this job keeps the window, or the planner that reopened it scheduled another job.
                next = await cadence.NextDueAsync(asOf, end, ct);
                if (next is null || !await windows.ReopenAsync(end, ct))
                {
                    return;
                }
            }

            var now = time.GetUtcNow();
            if (now > giveUpAt)
            {
                Log.WindowOverran(logger, end);
                await windows.CloseAsync(end, ct);
                return;
            }

            var wait = next.Value - now;
            if (wait > TimeSpan.Zero)
            {
                // Timers round to whole milliseconds and may fire a little early; waking just after the due time saves a lap.
                await Task.Delay(wait + TimeSpan.FromMilliseconds(1), time, ct);
            }
        }

        ct.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// The safety sweep (recurring, every minute; once at start-up): posts anything overdue that a window job missed,
    /// plans the window jobs of the coming minutes, reminds overdue follow-up actions and prunes old bookkeeping.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    [Queue("default")]
    public async Task SweepAsync(CancellationToken ct)
    {
        var caughtUp = await cadence.RunDueAsync(ct);
        var now = time.GetUtcNow();
        var times = await cadence.DueTimesAsync(now, now + options.Value.PlanHorizon, 100_000, ct);
        var planned = await planner.PlanAsync(times, ct);
        var actions = await cadence.RemindOverdueActionsAsync(ct);
        await windows.PruneAsync(now - TimeSpan.FromDays(1), ct);
        if (caughtUp + planned + actions > 0)
        {
            Log.Swept(logger, caughtUp, planned, actions);
        }
    }
}
