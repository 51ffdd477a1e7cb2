using ChatOpsIncident.Postgres.Schema;
using ChatOpsIncident.Postgres.Telemetry;
using Npgsql;

namespace ChatOpsIncident.Host.Health;

internal static class HealthEndpoints
{
    /// <summary>
    /// /readyz answers 200 with a JSON detail, or 503 (a problem document with the same detail, as far as it got),
    /// never 500. Ready means: the database answers, the schema is migrated ("migrated" is cached once true) and, when
    /// this replica runs a Hangfire server, its heartbeat is fresh. The backlog (pending and dead items) is reported but
    /// never fails the probe: this replica serves fine, and taking it out of the load balancer fixes nothing.
    /// </summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", async (DatabaseMigrator migrator, PostgresBacklog backlog, SchedulerHealth scheduler, TimeProvider time, CancellationToken ct) =>
        {
            BacklogSnapshot? counts = null;
            try
            {
                // One round trip: proves the database answers and reads the queue depths.
                counts = await backlog.ReadAsync(ct);
                if (!migrator.IsUpToDate())
                {
                    return NotReady("The database schema is not migrated yet.", counts, null, time);
                }

                var jobs = await scheduler.CheckAsync(ct);
                if (!jobs.Healthy)
                {
                    return NotReady(jobs.Detail, counts, jobs, time);
                }

                return Results.Json(new
                {
                    status = "ready",
                    database = "reachable, migrated",
                    scheduler = Scheduler(jobs),
                    backlog = Backlog(counts, time),
                    detail = Ready(counts),
                });
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (NpgsqlException ex)
            {
                return NotReady($"The database is unreachable: {ex.Message}", counts, null, time);
            }
            catch (Exception ex)
            {
                // A probe answers "not ready", never a 500: whatever failed, the load balancer must only stop routing here.
                return NotReady($"Readiness check failed: {ex.GetType().Name}: {ex.Message}", counts, null, time);
            }
        });
        return app;
    }

    private static IResult NotReady(string detail, BacklogSnapshot? counts, SchedulerState? jobs, TimeProvider time)
    {
        var extensions = new Dictionary<string, object?> { ["ready"] = false };
        if (jobs is not null)
        {
            extensions["scheduler"] = Scheduler(jobs);
        }

        if (counts is not null)
        {
            extensions["backlog"] = Backlog(counts, time);
        }

        return Results.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready", extensions: extensions);
    }

    private static object Scheduler(SchedulerState s) => new
    {
        state = s.State,
        server = s.Server,
        lastHeartbeat = s.LastHeartbeat,
        heartbeatAgeSeconds = s.HeartbeatAgeSeconds,
        limitSeconds = s.LimitSeconds,
    };

    private static object Backlog(BacklogSnapshot b, TimeProvider time) => new
    {
        inboxPending = b.InboxPending,
        oldestInboxPendingAgeSeconds = b.OldestInboxPending is { } oldest ? Math.Round(Math.Max(0, (time.GetUtcNow() - oldest).TotalSeconds), 1) : (double?)null,
        outboxPending = b.OutboxPending,
        deadInbox = b.InboxDead,
        deadOutbox = b.OutboxDead,
    };

    /// <summary>"ready" alone while nothing is dead, else the dead counts and where to look.</summary>
    internal static string Ready(BacklogSnapshot b) => b.InboxDead + b.OutboxDead == 0
        ? "ready"
        : $"ready; dead items: {b.InboxDead} inbox, {b.OutboxDead} outbox (see /admin/dead-letters)";
}
