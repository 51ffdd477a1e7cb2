using ChatOpsIncident.Core.Inbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Alerts;

public static class AlertServiceCollectionExtensions
{
    /// <summary>Alert intake's core half: options (validated on start), routing, the inbox handler and the card flusher.</summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AlertOptions>().Bind(configuration.GetSection(AlertOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlertOptions>, AlertOptionsValidator>();
        services.AddSingleton<AlertService>();
        services.AddSingleton<IAlertClicks>(sp => sp.GetRequiredService<AlertService>());
        services.AddSingleton<IInboxHandler, AlertInboxHandler>();
        services.AddHostedService<AlertCardFlusher>();
        return services;
    }
}
