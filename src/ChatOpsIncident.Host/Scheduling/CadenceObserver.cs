using System.Threading.Channels;
using ChatOpsIncident.Core.Cadence;
using ChatOpsIncident.Core.Incidents;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Scheduling;

/// <summary>
/// Hears every saved incident change and hands its upcoming due times to <see cref="CadencePlanningService"/>.
/// Nothing here touches the database or Hangfire: a command never waits for the scheduler.
/// </summary>
internal sealed class CadenceObserver(CadencePlanQueue queue, CadenceService cadence, IOptions<SchedulingOptions> options, TimeProvider time) : IIncidentObserver
{
    public Task IncidentChangedAsync(Incident incident, CancellationToken ct)
    {
        if (!incident.Status.IsOpen())
        {
            // Resolved or closed: the window jobs already queued find nothing due and post nothing.
            return Task.CompletedTask;
        }

        var now = time.GetUtcNow();
        var horizon = now + options.Value.PlanHorizon;
        var policy = cadence.Policy;
        var times = policy.UpcomingTimes(incident).Where(t => t <= horizon).ToList();
        // A nudge time in the past was handled (or is caught by the sweep); do not plan it again on every change.
        if (policy.NudgeAt(incident, new CadenceState()) is { } nudge && nudge <= now)
        {
            times.Remove(nudge);
        }

        if (times.Count > 0)
        {
            queue.Writer.TryWrite(times);
        }

        return Task.CompletedTask;
    }
}

internal sealed class CadencePlanQueue : ICadenceReplanner
{
    /// <summary>A repeated escalation the run just scheduled: planned like a changed incident's times, off the run's path.</summary>
    public void Plan(IReadOnlyList<DateTimeOffset> times) => Writer.TryWrite(times);

    private readonly Channel<IReadOnlyList<DateTimeOffset>> _channel = Channel.CreateUnbounded<IReadOnlyList<DateTimeOffset>>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelWriter<IReadOnlyList<DateTimeOffset>> Writer => _channel.Writer;

    public ChannelReader<IReadOnlyList<DateTimeOffset>> Reader => _channel.Reader;
}

/// <summary>
/// Plans window jobs for changed incidents off the request path. Times already past are served at once (an update
/// that was due before a severity change); the rest get Hangfire window jobs. If this replica dies before planning,
/// the minutely sweep plans (and catches up) instead.
/// </summary>
internal sealed class CadencePlanningService(
    CadencePlanQueue queue,
    CadenceWindowPlanner planner,
    CadenceService cadence,
    TimeProvider time,
    ILogger<CadencePlanningService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                var times = new List<DateTimeOffset>();
                while (queue.Reader.TryRead(out var batch))
                {
                    times.AddRange(batch);
                }

                try
                {
                    var now = time.GetUtcNow();
                    if (times.Any(t => t <= now))
                    {
                        await cadence.RunDueAsync(stoppingToken);
                    }

                    await planner.PlanAsync(times.Where(t => t > now), stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.PlanningFailed(logger, ex, times.Count);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
