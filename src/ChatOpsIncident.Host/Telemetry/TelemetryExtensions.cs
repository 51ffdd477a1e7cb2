using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Host.Api;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ChatOpsIncident.Host.Telemetry;

/// <summary>
/// OpenTelemetry metrics and traces: ASP.NET Core, HttpClient, Npgsql, the .NET runtime, Polly's resilience events and
/// our own <c>chatops.*</c> instruments; a Prometheus scrape at <c>/metrics</c>; OTLP export for every signal when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; trace and span ids on every log line's scope.
/// </summary>
internal static class TelemetryExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>The standard variable that switches the OTLP exporter on (read through configuration, so tests can set it).</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    // Microsoft.Extensions.Http.Resilience / Polly report retries, breaker changes and timeouts on this meter.
    private const string PollyMeter = "Polly";

    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        services.AddSingleton<OperationsMetrics>();
        services.AddSingleton<BacklogSampler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, PlatformCallFilter>());
        // First in the pipeline (ahead of the Slack signature check, which answers without calling on), so every refusal is counted.
        services.Insert(0, ServiceDescriptor.Transient<IStartupFilter, RefusalCountingStartupFilter>());

        // Trace and span ids on every log entry's scope: the JSON console formatter (Logging:Console:FormatterName=json)
        // prints them as "TraceId"/"SpanId", so a log line leads to its trace.
        services.Configure<LoggerFactoryOptions>(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        services.Configure<JsonConsoleFormatterOptions>(o => o.IncludeScopes = true);

        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);
        var record = configuration.GetValue<bool?>($"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.RecordTraces)}") ?? otlp;
        var serviceName = configuration[$"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.ServiceName)}"] is { Length: > 0 } name ? name : "chatops-incident";
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceVersion: typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString()))
            .WithMetrics(m => m
                .AddMeter(ProcessingTelemetry.Name, PollyMeter)
                .AddNpgsqlInstrumentation()
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0))
            .WithTracing(t =>
            {
                t.AddSource(ProcessingTelemetry.Name)
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsProbe(http.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql();
                if (!record)
                {
                    // No root span is created and children of a propagated context are not recorded. Recording, the
                    // SDK's default sampler applies (parent-based, always on; OTEL_TRACES_SAMPLER overrides it).
                    t.SetSampler(new AlwaysOffSampler());
                }
            });
        if (otlp)
        {
            // Traces, metrics and logs to the collector; the standard OTEL_EXPORTER_OTLP_* variables configure it.
            otel.UseOtlpExporter();
            services.AddHostedService<BacklogRefresher>();
        }

        return services;
    }

    /// <summary><c>/metrics</c>: the Prometheus text format, behind <c>Telemetry:MetricsToken</c> when it is set.</summary>
    public static IEndpointRouteBuilder MapTelemetry(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: scrape => scrape.Use(async (http, next) =>
        {
            if (!MayScrape(http))
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await http.RequestServices.GetRequiredService<BacklogSampler>().RefreshAsync(http.RequestAborted);
            await next(http);
        }), optionsName: null);
        return app;
    }

    /// <summary>
    /// Fail closed like the API: with <c>Telemetry:MetricsToken</c> set, only that bearer scrapes; without it, the admin
    /// <c>Api:Token</c> bearer does, and only Development answers anyone (counts carry no titles, but the rule is
    /// that nothing is open by default outside Development).
    /// </summary>
    private static bool MayScrape(HttpContext http)
    {
        var metricsToken = http.RequestServices.GetRequiredService<IOptions<TelemetryOptions>>().Value.MetricsToken;
        if (!string.IsNullOrEmpty(metricsToken))
        {
            return AdminToken.IsBearer(http.Request, metricsToken);
        }

        var apiToken = http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.Token;
        if (!string.IsNullOrEmpty(apiToken))
        {
            return AdminToken.IsBearer(http.Request, apiToken);
        }

        return http.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment();
    }

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments(MetricsPath);
}

/// <summary>Counts the refusals adapters mark on the request (<see cref="RequestRefusal"/>), after the response.</summary>
internal sealed class RefusalCountingStartupFilter(OperationsMetrics metrics) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (http, call) =>
        {
            try
            {
                await call(http);
            }
            finally
            {
                if (http.Items.TryGetValue(RequestRefusal.ItemKey, out var marked) && marked is RequestRefusal refusal)
                {
                    metrics.Refused(refusal);
                }
            }
        });
        next(app);
    };
}
