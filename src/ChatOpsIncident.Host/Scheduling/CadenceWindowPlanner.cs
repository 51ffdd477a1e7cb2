using System.Linq.Expressions;
using ChatOpsIncident.Postgres.Cadence;
using Hangfire;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Scheduling;

/// <summary>
/// Turns due times into Hangfire jobs: one delayed job per window of due times (not per incident), scheduled once
/// however many replicas plan the same window.
/// </summary>
public sealed class CadenceWindowPlanner(
    PostgresCadenceWindows windows,
    IBackgroundJobClient jobs,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<CadenceWindowPlanner> logger)
{
    /// <summary>The end of the window holding <paramref name="t"/>: windows are (end − length, end].</summary>
    public static DateTimeOffset WindowEnd(DateTimeOffset t, TimeSpan length)
    {
        var ms = (long)length.TotalMilliseconds;
        var at = t.ToUnixTimeMilliseconds() + (t.Ticks % TimeSpan.TicksPerMillisecond == 0 ? 0 : 1);
        var end = (at + ms - 1) / ms * ms;
        return DateTimeOffset.FromUnixTimeMilliseconds(end);
    }

    /// <summary>Schedules a job for each window holding one of <paramref name="dueTimes"/> that has none. Returns how many were scheduled.</summary>
    public async Task<int> PlanAsync(IEnumerable<DateTimeOffset> dueTimes, CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var ends = dueTimes.Select(t => WindowEnd(t < now ? now : t, o.Window)).ToHashSet();
        var opened = await windows.OpenAsync(ends, ct);
        foreach (var end in opened)
        {
            var endMs = end.ToUnixTimeMilliseconds();
            var runAt = end - o.Window - o.Lead;
            Expression<Func<CadenceJobs, Task>> job = j => j.RunWindowAsync(endMs, CancellationToken.None);
            try
            {
                var id = runAt <= now ? jobs.Enqueue(job) : jobs.Schedule(job, runAt);
                Log.WindowPlanned(logger, end, id);
            }
            catch (Exception)
            {
                // Unclaim it so the next planner (the sweep at the latest) schedules it.
                await windows.ForgetAsync(end, CancellationToken.None);
                throw;
            }
        }

        return opened.Count;
    }
}
