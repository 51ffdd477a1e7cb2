using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Processing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>The incident core: options (validated on start), the grammar, the service and the inbox/outbox workers.</summary>
    public static IServiceCollection AddIncidentCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IConfigureOptions<IncidentOptions>>(new IncidentOptionsSetup(configuration));
        services.AddSingleton<IValidateOptions<IncidentOptions>, IncidentOptionsValidator>();
        services.AddOptions<IncidentOptions>().ValidateOnStart();
        services.AddOptions<ProcessingOptions>().Bind(configuration.GetSection(ProcessingOptions.SectionName))
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.Lease >= TimeSpan.FromSeconds(5) && o.MaxAttempts > 0 && o.BatchSize > 0 && o.Parallelism > 0,
                "Processing: PollInterval must be positive, Lease at least 00:00:05, MaxAttempts, BatchSize and Parallelism positive")
            .ValidateOnStart();
        services.AddSingleton<CommandParser>();
        services.AddSingleton<IChatPlatforms, ChatPlatforms>();
        services.AddSingleton<InboxSignal>();
        services.AddSingleton<OutboxSignal>();
        services.TryAddSingleton<IRetryJitter, RandomRetryJitter>();
        services.AddSingleton<IncidentService>();
        services.AddSingleton<Interactions.IncidentInteractions>();
        services.AddSingleton<Timeline.TimelineCapture>();
        services.AddHostedService<InboxWorker>();
        services.AddHostedService<OutboxDispatcher>();
        return services;
    }
}
