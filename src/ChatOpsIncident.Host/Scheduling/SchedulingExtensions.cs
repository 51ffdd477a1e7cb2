using System.Net;
using ChatOpsIncident.Core.Cadence;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Host.Api;
using ChatOpsIncident.Host.Web;
using ChatOpsIncident.Postgres;
using ChatOpsIncident.Postgres.Cadence;
using ChatOpsIncident.Postgres.Clock;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql.Factories;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Scheduling;

/// <summary>The update cadence scheduler (Hangfire on PostgreSQL). Wired here so Program.cs stays stable.</summary>
internal static class SchedulingExtensions
{
    public const string DashboardPath = "/hangfire";

    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<SchedulingOptions>().Bind(configuration.GetSection(SchedulingOptions.SectionName)).ValidateDataAnnotations()
            .Validate(o => o.HeartbeatTimeout > o.HeartbeatInterval, "Scheduling:HeartbeatTimeout must be longer than Scheduling:HeartbeatInterval (or /readyz fails between two heartbeats)")
            .ValidateOnStart();
        services.AddCadence().AddPostgresCadenceStore();
        services.AddSingleton<CadencePlanQueue>();
        services.AddSingleton<ICadenceReplanner>(sp => sp.GetRequiredService<CadencePlanQueue>());
        services.AddSingleton<CadenceWindowPlanner>();
        services.AddSingleton<IIncidentObserver, CadenceObserver>();
        services.AddTransient<CadenceJobs>();
        services.AddSingleton<IIncidentObserver, MergeArchiveObserver>();
        services.AddTransient<MergeArchiveJobs>();
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddTransient<RetentionJobs>();
        services.AddSingleton<DashboardAuthorization>();

        // "Now" is the database's (issue 10): due times computed by any replica, and compared in SQL by any other,
        // agree however the replicas' own clocks drift. Replaces Core's TryAdd'ed system clock.
        services.AddSingleton(sp => new DatabaseClock(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), TimeProvider.System));
        services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<DatabaseClock>());
        services.AddHostedService<DatabaseClockSync>();

        // Storage and activator are registered here, not through GlobalConfiguration: Hangfire's defaults are process-wide
        // statics (JobStorage.Current, JobActivator.Current), which would let two hosts in one process (tests) share them.
        services.AddSingleton<JobStorage>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SchedulingOptions>>().Value;
            var storageOptions = new PostgreSqlStorageOptions
            {
                SchemaName = HangfireStartup.Schema,
                // HangfireStartup installs the schema under an advisory lock, once, before the server starts.
                PrepareSchemaIfNecessary = false,
                QueuePollInterval = options.QueuePollInterval,
                EnableLongPolling = options.LongPolling,
                InvisibilityTimeout = options.InvisibilityTimeout,
                DistributedLockTimeout = TimeSpan.FromMinutes(1),
            };
            var connectionString = sp.GetRequiredService<PostgresConnection>().ConnectionString;
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions, null), storageOptions);
        });
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HangfireLogs(sp.GetRequiredService<ILoggerFactory>())));

        // Order matters: the schema and the recurring sweep exist before the job server starts.
        services.AddHostedService<HangfireStartup>();
        services.AddHostedService<CadencePlanningService>();
        // Whether this replica runs a job server is a registration decision; the server's settings come from the validated options.
        var runsServer = configuration.GetValue($"{SchedulingOptions.SectionName}:{nameof(SchedulingOptions.Enabled)}", true);
        var identity = new Health.SchedulerIdentity(runsServer);
        services.AddSingleton(identity);
        services.AddSingleton<Health.SchedulerHealth>();
        if (runsServer)
        {
            services.AddHangfireServer((sp, s) =>
            {
                var options = sp.GetRequiredService<IOptions<SchedulingOptions>>().Value;
                // A name readiness can find this replica's server by (see SchedulerHealth), and its heartbeat period.
                s.ServerName = identity.ServerName;
                s.HeartbeatInterval = options.HeartbeatInterval;
                s.WorkerCount = options.WorkerCount;
                s.SchedulePollingInterval = options.SchedulePollingInterval;
                s.Queues = ["default"];
            });
        }

        return services;
    }

    public static IEndpointRouteBuilder MapScheduling(this IEndpointRouteBuilder app)
    {
        var auth = app.ServiceProvider.GetRequiredService<DashboardAuthorization>();
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [auth],
            DashboardTitle = "ChatOpsIncident jobs",
            DisplayStorageConnectionString = false,
            AppPath = "/",
        });
        app.MapGet($"{DashboardPath}/login", () => Results.Content(LoginPage, "text/html; charset=utf-8"));
        app.MapPost($"{DashboardPath}/login", LoginAsync).RequireRateLimiting(AdminToken.SignInRateLimit);
        return app;
    }

    /// <summary>
    /// Browsers cannot send a bearer header with every dashboard request, so a POSTed token (never a query string,
    /// which ends up in logs and history) is exchanged for an HttpOnly cookie that carries an HMAC of it.
    /// </summary>
    private static async Task<IResult> LoginAsync(HttpContext http, WebAccess access, ILogger<DashboardAuthorization> logger)
    {
        if (!await AdminToken.SignInAsync(http, access.Token, http.RequestAborted))
        {
            Log.DashboardLoginRefused(logger, http.Connection.RemoteIpAddress?.ToString());
            return Results.Problem("The token is not valid.", statusCode: StatusCodes.Status401Unauthorized);
        }

        return Results.Redirect(DashboardPath);
    }

    private static readonly string LoginPage = $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>ChatOpsIncident jobs: sign in</title></head>
        <body style="font-family: sans-serif; max-width: 28em; margin: 4em auto">
        <h1>Jobs dashboard</h1>
        <p>Enter the API token (<code>Api:Token</code>) to open the Hangfire dashboard.</p>
        <form method="post" action="{WebUtility.HtmlEncode(DashboardPath)}/login">
        <input type="password" name="token" autocomplete="current-password" required autofocus style="width: 100%">
        <p><button type="submit">Open the dashboard</button></p>
        </form>
        </body></html>
        """;
}
