using System.Net;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.TestSupport;
using Npgsql;

namespace ChatOpsIncident.IntegrationTests.Bounded;

public sealed class HealthReadinessTests
{
    [Fact]
    public async Task Readyz_DatabaseGone_Answers503WithADetail_NotA500()
    {
        var db = new TestDatabase();
        await db.InitializeAsync();
        try
        {
            await using var host = TestHost.Start(db);
            Assert.Equal("ready", (await host.WaitReadyAsync())["status"]!.GetValue<string>());

            // The database disappears under the running host (its connections are killed with it).
            await using (var admin = new NpgsqlConnection(db.AdminConnectionString))
            {
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE {db.Name} WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }

            // The pool may hand out a connection that only fails on use: every probe is 503, never 500.
            for (var i = 0; i < 3; i++)
            {
                var response = await host.Client.GetAsync("/readyz");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Contains("database", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
            }
        }
        finally
        {
            await db.DisposeAsync();
        }
    }
}
