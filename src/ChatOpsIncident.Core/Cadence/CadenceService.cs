using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Processing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Cadence;

/// <summary>
/// Runs the cadence rules against the store: posts what is due now (through the outbox, so each reminder is posted
/// once however many replicas run this at the same moment) and answers when the next thing falls due.
/// The scheduler (Hangfire, in the host) decides when to call it.
/// </summary>
public sealed class CadenceService(
    ICadenceStore store,
    IOptions<IncidentOptions> options,
    IChatPlatforms platforms,
    TimeProvider time,
    OutboxSignal outboxSignal,
    ILogger<CadenceService> logger,
    ProcessingTelemetry? telemetry = null,
    ICadenceReplanner? replanner = null)
{
    public const int BatchSize = 50;

    // A bound on one run; the next run (window job or sweep) continues where this one stopped.
    private const int MaxBatches = 200;

    public CadencePolicy Policy => new(options.Value, platforms);

    public TimeProvider Time => time;

    /// <summary>Posts every reminder, escalation, nudge and stale reminder due now. Returns how many incidents got something.</summary>
    public Task<int> RunDueAsync(CancellationToken ct) => RunDueAsync(null, ct);

    /// <summary>
    /// Posts everything due at <paramref name="asOf"/> (now when null). A caller that then asks <see cref="NextDueAsync"/>
    /// after the same instant misses nothing that fell due while this ran.
    /// </summary>
    public async Task<int> RunDueAsync(DateTimeOffset? asOf, CancellationToken ct)
    {
        var policy = Policy;
        var total = 0;
        for (var batch = 0; batch < MaxBatches; batch++)
        {
            var now = CadencePolicy.Micros(asOf ?? time.GetUtcNow());
            var result = await store.ProcessDueAsync(policy.Query(now), BatchSize, c => policy.Decide(c, now), ct);
            var changed = result.Applied.Where(a => a.Done != CadenceDue.None).ToList();
            if (changed.Count > 0)
            {
                outboxSignal.Notify();
            }

            foreach (var a in changed)
            {
                Log.CadenceApplied(logger, a.PublicId, a.Done, a.State.RemindedDue);
                RecordLateness(a, now);
            }

            if (replanner is not null && changed.Where(a => a.NextEscalation is not null).Select(a => a.NextEscalation!.Value).ToList() is { Count: > 0 } next)
            {
                replanner.Plan(next);
            }

            total += changed.Count;
            // Stop when the store ran dry, or when nothing it returned was due by the policy's reckoning (never spin).
            if (result.Claimed < BatchSize || changed.Count == 0)
            {
                break;
            }
        }

        return total;
    }

    /// <summary>How late the reminder was queued after the update fell due: the scheduler's lateness, seen by operators.</summary>
    private void RecordLateness(CadenceEffects applied, DateTimeOffset now)
    {
        if (applied.Done.HasFlag(CadenceDue.Reminder) && applied.State.RemindedDue is { } reminded)
        {
            telemetry?.ReminderLate("reminder", now - reminded);
        }
    }

    /// <summary>The next instant in (<paramref name="after"/>, <paramref name="until"/>] at which something falls due, or null.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(DateTimeOffset after, DateTimeOffset until, CancellationToken ct)
    {
        after = CadencePolicy.Micros(after);
        var times = await store.DueTimesAsync(Policy.Query(after), after, until, 1, ct);
        return times.Count == 0 ? null : times[0];
    }

    /// <summary>The next instant in (now, <paramref name="until"/>] at which something falls due, or null.</summary>
    public Task<DateTimeOffset?> NextDueAsync(DateTimeOffset until, CancellationToken ct) => NextDueAsync(time.GetUtcNow(), until, ct);

    public Task<IReadOnlyList<DateTimeOffset>> DueTimesAsync(DateTimeOffset after, DateTimeOffset until, int max, CancellationToken ct) =>
        store.DueTimesAsync(Policy.Query(CadencePolicy.Micros(time.GetUtcNow())), after, until, max, ct);

    /// <summary>
    /// Reminds the owners of overdue follow-up actions, each at most once per <c>Incident:ActionReminderInterval</c>, and of
    /// actions without a due date once per <c>Incident:UndatedActionReminderInterval</c> (a week), closed incidents included.
    /// </summary>
    public async Task<int> RemindOverdueActionsAsync(CancellationToken ct)
    {
        var policy = Policy;
        var total = 0;
        for (var batch = 0; batch < MaxBatches; batch++)
        {
            var now = CadencePolicy.Micros(time.GetUtcNow());
            var reminded = await store.ProcessOverdueActionsAsync(now, DateOnly.FromDateTime(now.UtcDateTime), CadencePolicy.Millis(options.Value.ActionReminderInterval), CadencePolicy.Millis(options.Value.UndatedActionReminderInterval), BatchSize, a => policy.ActionReminder(a, now), ct);
            total += reminded;
            if (reminded < BatchSize)
            {
                break;
            }
        }

        if (total > 0)
        {
            outboxSignal.Notify();
            Log.ActionsReminded(logger, total);
        }

        return total;
    }
}
