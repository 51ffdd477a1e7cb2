namespace ChatOpsIncident.Host.Web;

/// <summary>The server-rendered web pages (incident list, detail, postmortem, metrics).</summary>
internal static class WebPagesExtensions
{
    public static IServiceCollection AddWebPages(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) => services;

    public static IApplicationBuilder UseWebPages(this IApplicationBuilder app) => app;

    public static IEndpointRouteBuilder MapWebPages(this IEndpointRouteBuilder app) => app;
}
