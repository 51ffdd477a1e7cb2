using ChatOpsIncident.Core.Alerts;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Inbox;
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
        services.AddMetrics();
        services.AddSingleton<ProcessingTelemetry>();
        services.AddSingleton<IConfigureOptions<IncidentOptions>>(new IncidentOptionsSetup(configuration));
        services.AddSingleton<IValidateOptions<IncidentOptions>, IncidentOptionsValidator>();
        // Incident binds item by item over the defaults (IncidentOptionsSetup), so it has no .Bind() here.
        services.AddOptions<IncidentOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ProcessingOptions>().Bind(configuration.GetSection(ProcessingOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CommandParser>();
        services.AddSingleton<IChatPlatforms, ChatPlatforms>();
        services.AddSingleton<InboxSignal>();
        services.AddGroupCommitInbox();
        services.AddSingleton<OutboxSignal>();
        services.TryAddSingleton<IRetryJitter, RandomRetryJitter>();
        services.AddSingleton<IncidentService>();
        services.AddOptions<Changes.ChangesOptions>().Bind(configuration.GetSection(Changes.ChangesOptions.SectionName));
        services.AddSingleton<Interactions.IncidentInteractions>();
        services.AddSingleton<Timeline.TimelineCapture>();
        services.AddSingleton<Timeline.IncidentChannels>();
        services.AddSingleton<IDeadLetterObserver, DeadLetterNotifier>();
        services.AddAlerts(configuration);
        services.AddHostedService<InboxWorker>();
        services.AddHostedService<OutboxDispatcher>();
        return services;
    }
}
