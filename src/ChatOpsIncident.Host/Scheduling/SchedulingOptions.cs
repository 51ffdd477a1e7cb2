using ChatOpsIncident.Core.Configuration;
using Hangfire;

namespace ChatOpsIncident.Host.Scheduling;

/// <summary>The scheduler (Hangfire on PostgreSQL, schema <c>hangfire</c>). Reminder policy lives under <c>Incident:</c>.</summary>
public sealed class SchedulingOptions
{
    public const string SectionName = "Scheduling";

    /// <summary>Run Hangfire's job server on this replica. Off: the replica still schedules jobs and shows the dashboard.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often Hangfire moves due delayed jobs to the queue. Window jobs are scheduled this much (plus a second) early, so it costs no precision.</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an idle worker looks at the queue for jobs another replica enqueued (LISTEN/NOTIFY wakes it sooner).</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Use PostgreSQL LISTEN/NOTIFY so workers pick up enqueued jobs at once instead of at the next queue poll.</summary>
    public bool LongPolling { get; set; } = true;

    public int WorkerCount { get; set; } = 8;

    /// <summary>Due times are grouped into windows of this length; one Hangfire job per window, not per incident.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How far ahead the sweep plans window jobs; must exceed the sweep interval (one minute).</summary>
    public TimeSpan PlanHorizon { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>The safety sweep: catches anything missed (host crash, lost plan) and reminds overdue actions.</summary>
    public string SweepCron { get; set; } = Cron.Minutely();

    /// <summary>A job whose host died becomes visible to other replicas after this (jobs are idempotent, so short is safe).</summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How early a window job is scheduled before its window opens, to absorb Hangfire's schedule polling.</summary>
    public TimeSpan Lead => SchedulePollingInterval + TimeSpan.FromSeconds(1);

    public IEnumerable<string> Validate()
    {
        if (SchedulePollingInterval < TimeSpan.FromMilliseconds(100) || SchedulePollingInterval > TimeSpan.FromMinutes(1))
        {
            yield return "Scheduling:SchedulePollingInterval must be between 00:00:00.1 and 00:01:00";
        }

        if (QueuePollInterval < TimeSpan.FromMilliseconds(100) || QueuePollInterval > TimeSpan.FromMinutes(5))
        {
            yield return "Scheduling:QueuePollInterval must be between 00:00:00.1 and 00:05:00";
        }

        if (WorkerCount is < 1 or > 100)
        {
            yield return "Scheduling:WorkerCount must be between 1 and 100";
        }

        if (Window < TimeSpan.FromSeconds(1) || Window > TimeSpan.FromMinutes(1))
        {
            yield return "Scheduling:Window must be between 00:00:01 and 00:01:00";
        }

        if (PlanHorizon < TimeSpan.FromMinutes(1.5))
        {
            yield return "Scheduling:PlanHorizon must be at least 00:01:30 (the sweep runs every minute)";
        }

        if (InvisibilityTimeout < TimeSpan.FromMinutes(1))
        {
            yield return "Scheduling:InvisibilityTimeout must be at least 00:01:00";
        }

        if (string.IsNullOrWhiteSpace(SweepCron))
        {
            yield return "Scheduling:SweepCron is required (a cron expression, default every minute)";
        }
    }

    internal static SchedulingOptions Bind(IConfiguration configuration)
    {
        var options = new SchedulingOptions();
        try
        {
            configuration.GetSection(SectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new ConfigurationException($"{SectionName}: {ex.InnerException?.Message ?? ex.Message}");
        }

        var errors = options.Validate().ToList();
        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Join("; ", errors));
        }

        return options;
    }
}
