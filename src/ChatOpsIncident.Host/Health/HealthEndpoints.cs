using ChatOpsIncident.Postgres.Schema;
using Npgsql;

namespace ChatOpsIncident.Host.Health;

internal static class HealthEndpoints
{
    /// <summary>/readyz answers 200 "ready" or 503 with a detail, never 500; "migrated" is cached by the migrator once true.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", async (NpgsqlDataSource db, DatabaseMigrator migrator, CancellationToken ct) =>
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

                // Further readiness details (e.g. dead item counts) go here, before the answer.
                return Results.Text("ready");
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
}
