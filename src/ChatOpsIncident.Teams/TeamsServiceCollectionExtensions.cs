using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.Teams;

public static class TeamsServiceCollectionExtensions
{
    /// <summary>Switched on by <c>Teams:AppId</c>; the adapter itself lands with the Teams issue.</summary>
    public static IServiceCollection AddTeamsAdapter(this IServiceCollection services, IConfiguration configuration) => services;

    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder app) => app;
}
