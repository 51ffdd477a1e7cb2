using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Inbox;
using ChatOpsIncident.Teams.Inbound;
using ChatOpsIncident.Teams.Outbound;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Teams;

public static class TeamsServiceCollectionExtensions
{
    /// <summary>
    /// The Microsoft Teams adapter, switched on by <c>Teams:AppId</c>. The options are validated on start: an app id
    /// without its password stops start-up with one line naming the key. Without an app id nothing is registered and <see cref="MapTeams"/> maps nothing.
    /// </summary>
    public static IServiceCollection AddTeamsAdapter(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(TeamsOptions.SectionName);
        var settings = section.Get<TeamsOptions>() ?? new TeamsOptions();
        if (!settings.Enabled)
        {
            return services;
        }

        services.AddOptions<TeamsOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<TeamsOptions>, TeamsOptionsValidator>();
        services.AddSingleton<TeamsMarker>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddHttpClient(TeamsHttpClients.OpenId).AddTeamsResilience(settings.RequestTimeout);
        services.AddHttpClient(TeamsHttpClients.Token).AddTeamsResilience(settings.RequestTimeout);
        services.AddHttpClient(TeamsHttpClients.Connector).AddTeamsResilience(settings.RequestTimeout);
        services.AddHttpClient(TeamsHttpClients.Graph).AddTeamsResilience(settings.RequestTimeout);

        services.AddSingleton<BotTokenValidator>();
        services.AddSingleton<TeamsTokenProvider>();
        services.AddSingleton<ConnectorClient>();
        services.AddSingleton<GraphClient>();
        services.AddSingleton<ConversationPacer>();
        services.AddSingleton<TeamsChatPlatform>();
        services.AddSingleton<ChatOpsIncident.Core.Processing.IDeadInboxReplies, TeamsDeadInboxReplies>();
        services.AddHostedService<TeamsChannelCheck>();
        services.AddSingleton<IChatPlatform>(sp => sp.GetRequiredService<TeamsChatPlatform>());
        services.AddSingleton<IncidentLocator>();
        services.AddSingleton<CardConversationGuard>();
        services.AddSingleton<InvokeResponder>();
        services.AddSingleton<IInboxHandler, TeamsInboxHandler>();
        return services;
    }

    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<TeamsMarker>() is null)
        {
            return app;
        }

        return app.MapTeamsEndpoints();
    }

    /// <summary>Tells <see cref="MapTeams"/> that the adapter was switched on.</summary>
    private sealed class TeamsMarker;
}
