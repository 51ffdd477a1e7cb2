using ChatOpsIncident.Host.Scheduling;
using Hangfire;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Health;

/// <summary>
/// The name this replica's Hangfire server registers under (Hangfire adds <c>:guid</c>): the pod or machine name plus a
/// per-process suffix, so readiness finds its own server among the replicas' and two hosts in one process differ.
/// </summary>
internal sealed class SchedulerIdentity(bool runsServer)
{
    public bool RunsServer { get; } = runsServer;

    public string ServerName { get; } = $"{Sanitize(Environment.MachineName)}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Hangfire's server id is the lower-cased name, a colon and a guid.</summary>
    public bool Owns(string serverId) => serverId.StartsWith(ServerName.ToLowerInvariant() + ":", StringComparison.Ordinal);

    private static string Sanitize(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-').ToArray());
}

/// <summary>What readiness says about the scheduler: healthy or not, and the figures behind it.</summary>
internal sealed record SchedulerState(bool Healthy, string State, string? Server, DateTimeOffset? LastHeartbeat, double? HeartbeatAgeSeconds, double? LimitSeconds, string Detail);

/// <summary>
/// Reads this replica's Hangfire server record: a replica that should run jobs but whose server is missing or has
/// not beaten for <c>Scheduling:HeartbeatTimeout</c> is not ready (reminders and sweeps would silently stop with it).
/// Hangfire writes the heartbeat with the database's clock; "now" here is the database's too (<see cref="TimeProvider"/>).
/// </summary>
internal sealed class SchedulerHealth(JobStorage storage, SchedulerIdentity identity, IOptions<SchedulingOptions> options, TimeProvider time)
{
    public async Task<SchedulerState> CheckAsync(CancellationToken ct)
    {
        if (!identity.RunsServer)
        {
            return new SchedulerState(true, "not run on this replica", null, null, null, null, "Scheduling:Enabled is false here: another replica runs the jobs.");
        }

        var limit = options.Value.HeartbeatTimeout;
        // The monitoring API is synchronous (one small query); keep it off the request thread.
        var servers = await Task.Run(() => storage.GetMonitoringApi().Servers(), ct);
        var mine = servers.FirstOrDefault(s => identity.Owns(s.Name));
        if (mine is null)
        {
            return new SchedulerState(false, "not registered", null, null, null, limit.TotalSeconds,
                "This replica's Hangfire server is not registered (not started yet, or its record was removed as dead).");
        }

        if (mine.Heartbeat is not { } beat)
        {
            return new SchedulerState(false, "no heartbeat", mine.Name, null, null, limit.TotalSeconds, "This replica's Hangfire server has not sent a heartbeat.");
        }

        var last = new DateTimeOffset(DateTime.SpecifyKind(beat, DateTimeKind.Utc));
        var age = time.GetUtcNow() - last;
        var healthy = age <= limit;
        return new SchedulerState(healthy, healthy ? "ok" : "heartbeat stale", mine.Name, last, Math.Round(Math.Max(0, age.TotalSeconds), 1), limit.TotalSeconds,
            healthy
                ? "This replica's Hangfire server is beating."
                : $"This replica's Hangfire server last beat {age.TotalSeconds:0} s ago (Scheduling:HeartbeatTimeout is {limit.TotalSeconds:0} s): its jobs may have stopped.");
    }
}
