using ChatOpsIncident.Postgres.Schema;
using Npgsql;

namespace ChatOpsIncident.Host.Health;

internal static class HealthEndpoints
{
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
                return migrator.IsUpToDate()
                    ? Results.Text("ready")
                    : Results.Problem("The database schema is not migrated yet.", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            catch (NpgsqlException)
            {
                return Results.Problem("The database is unreachable.", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        return app;
    }
}
