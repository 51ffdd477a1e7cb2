using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Postgres.Schema;
using Npgsql;

namespace ChatOpsIncident.Host.Health;

internal static class HealthEndpoints
{
    /// <summary>/readyz answers 200 "ready" or 503 with a detail, never 500; "migrated" is cached by the migrator once true.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", async (NpgsqlDataSource db, DatabaseMigrator migrator, IDeadLetterStore deadLetters, CancellationToken ct) =>
        {
            try
            {
                await using var conn = await db.OpenConnectionAsync(ct);
                await using var cmd = new NpgsqlCommand("SELECT 1", conn);
                await cmd.ExecuteScalarAsync(ct);
                if (!migrator.IsUpToDate())
                {
                    return Results.Problem("The database schema is not migrated yet.", statusCode: StatusCodes.Status503ServiceUnavailable);
                }

                // Dead items are not a readiness failure (this replica serves fine; routing elsewhere fixes nothing), but
                // the probe's detail names them so whoever looks at it hears about them.
                return Results.Text(Ready(await deadLetters.CountAsync(ct)));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (NpgsqlException ex)
            {
                return Results.Problem($"The database is unreachable: {ex.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            catch (Exception ex)
            {
                // A probe answers "not ready", never a 500: whatever failed, the load balancer must only stop routing here.
                return Results.Problem($"Readiness check failed: {ex.GetType().Name}: {ex.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        return app;
    }

    /// <summary>"ready" alone while nothing is dead (what probes and scripts have always read), else the counts too.</summary>
    internal static string Ready(DeadLetterCounts dead) => dead.Total == 0
        ? "ready"
        : $"ready; dead items: {dead.Inbox} inbox, {dead.Outbox} outbox (see /admin/dead-letters)";
}
