using System.ComponentModel.DataAnnotations;
using Hangfire;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Scheduling;

/// <summary>The scheduler (Hangfire on PostgreSQL, schema <c>hangfire</c>). Reminder policy lives under <c>Incident:</c>.</summary>
public sealed class SchedulingOptions
{
    public const string SectionName = "Scheduling";

    /// <summary>Run Hangfire's job server on this replica. Off: the replica still schedules jobs and shows the dashboard.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often Hangfire moves due delayed jobs to the queue. Window jobs are scheduled this much (plus a second) early, so it costs no precision.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:01:00", ErrorMessage = "Scheduling:SchedulePollingInterval must be between 00:00:00.1 and 00:01:00")]
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an idle worker looks at the queue for jobs another replica enqueued (LISTEN/NOTIFY wakes it sooner).</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:05:00", ErrorMessage = "Scheduling:QueuePollInterval must be between 00:00:00.1 and 00:05:00")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Use PostgreSQL LISTEN/NOTIFY so workers pick up enqueued jobs at once instead of at the next queue poll.</summary>
    public bool LongPolling { get; set; } = true;

    [Range(1, 100, ErrorMessage = "Scheduling:WorkerCount must be between 1 and 100")]
    public int WorkerCount { get; set; } = 8;

    /// <summary>Due times are grouped into windows of this length; one Hangfire job per window, not per incident.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00", ErrorMessage = "Scheduling:Window must be between 00:00:01 and 00:01:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How far ahead the sweep plans window jobs; must exceed the sweep interval (one minute).</summary>
    [Range(typeof(TimeSpan), "00:01:30", "10675199.02:48:05.4775807", ErrorMessage = "Scheduling:PlanHorizon must be at least 00:01:30 (the sweep runs every minute)")]
    public TimeSpan PlanHorizon { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>The safety sweep: catches anything missed (host crash, lost plan) and reminds overdue actions.</summary>
    [Required(ErrorMessage = "Scheduling:SweepCron is required (a cron expression, default every minute)")]
    public string SweepCron { get; set; } = Cron.Minutely();

    /// <summary>A job whose host died becomes visible to other replicas after this (jobs are idempotent, so short is safe).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "10675199.02:48:05.4775807", ErrorMessage = "Scheduling:InvisibilityTimeout must be at least 00:01:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often this replica's Hangfire server records that it is alive (Hangfire's default is 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Scheduling:HeartbeatInterval must be between 00:00:01 and 00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// /readyz fails when this replica runs a Hangfire server whose last heartbeat is older than this (its jobs may have
    /// stopped). Must exceed <see cref="HeartbeatInterval"/>; the default allows three missed beats.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:02", "1.00:00:00", ErrorMessage = "Scheduling:HeartbeatTimeout must be between 00:00:02 and 1.00:00:00")]
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How early a window job is scheduled before its window opens, to absorb Hangfire's schedule polling.</summary>
    public TimeSpan Lead => SchedulePollingInterval + TimeSpan.FromSeconds(1);
}
