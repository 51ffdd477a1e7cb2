using ChatOpsIncident.Core;
using ChatOpsIncident.Host.Alerts;
using ChatOpsIncident.Host.Api;
using ChatOpsIncident.Host.DataProtection;
using ChatOpsIncident.Host.Health;
using ChatOpsIncident.Host.Paging;
using ChatOpsIncident.Host.Scheduling;
using ChatOpsIncident.Host.Startup;
using ChatOpsIncident.Host.Telemetry;
using ChatOpsIncident.Host.Web;
using ChatOpsIncident.Postgres;
using ChatOpsIncident.Sandbox;
using ChatOpsIncident.Slack;
using ChatOpsIncident.Teams;
using Microsoft.Extensions.Options;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.Services
        .AddIncidentCore(builder.Configuration)
        .AddPostgresStore(builder.Configuration)
        .AddDatabaseMigration(builder.Configuration)
        .AddSlackAdapter(builder.Configuration)
        .AddTeamsAdapter(builder.Configuration)
        .AddSandbox(builder.Configuration, builder.Environment)
        .AddPaging(builder.Configuration)
        .AddScheduling(builder.Configuration, builder.Environment)
        .AddIncidentApi(builder.Configuration)
        .AddWebPages(builder.Configuration, builder.Environment)
        .AddSharedDataProtection()
        .AddTelemetry(builder.Configuration);

    var app = builder.Build();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseWebPages();
    app.MapHealth();
    app.MapTelemetry();
    app.MapIncidentApi();
    app.MapAlertIntake();
    app.MapSlack();
    app.MapTeams();
    app.MapSandbox();
    app.MapScheduling();
    app.MapWebPages();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupFailure.Describe(ex) is { } line)
{
    // A bad or missing setting stops start-up with one line naming the key, not a stack trace.
    await Console.Error.WriteLineAsync($"ChatOpsIncident cannot start: {line}");
    return 1;
}

public partial class Program;
