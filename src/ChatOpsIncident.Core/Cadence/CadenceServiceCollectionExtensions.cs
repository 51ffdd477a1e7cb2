using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatOpsIncident.Core.Cadence;

public static class CadenceServiceCollectionExtensions
{
    /// <summary>The cadence rules and service; the host adds the scheduler and the store adds <see cref="ICadenceStore"/>.</summary>
    public static IServiceCollection AddCadence(this IServiceCollection services)
    {
        services.TryAddSingleton<CadenceService>();
        return services;
    }
}
