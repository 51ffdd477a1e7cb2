using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>Switched on by <c>Slack:BotToken</c>; the adapter itself lands with the Slack issue.</summary>
    public static IServiceCollection AddSlackAdapter(this IServiceCollection services, IConfiguration configuration) => services;

    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder app) => app;
}
