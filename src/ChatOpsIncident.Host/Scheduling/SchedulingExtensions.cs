namespace ChatOpsIncident.Host.Scheduling;

/// <summary>The update cadence scheduler (Hangfire on PostgreSQL). Wired here so Program.cs stays stable.</summary>
internal static class SchedulingExtensions
{
    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) => services;

    public static IEndpointRouteBuilder MapScheduling(this IEndpointRouteBuilder app) => app;
}
