using ChatOpsIncident.Core.Cadence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatOpsIncident.Postgres.Cadence;

public static class PostgresCadenceServiceCollectionExtensions
{
    /// <summary>The scheduler's store; needs <c>AddPostgresStore</c> (the data source) first.</summary>
    public static IServiceCollection AddPostgresCadenceStore(this IServiceCollection services)
    {
        services.TryAddSingleton<ICadenceStore, PostgresCadenceStore>();
        services.TryAddSingleton<PostgresCadenceWindows>();
        return services;
    }
}
