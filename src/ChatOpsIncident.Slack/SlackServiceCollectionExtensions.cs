using System.Net.Http.Headers;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Inbox;
using ChatOpsIncident.Slack.Inbound;
using ChatOpsIncident.Slack.Outbound;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Slack;

public static class SlackServiceCollectionExtensions
{
    public const string ApiHttpClient = "slack-api";

    /// <summary>
    /// The Slack adapter, switched on by <c>Slack:BotToken</c> or <c>Slack:SigningSecret</c>. The options are validated on
    /// start: a bot token without a signing secret (or the reverse) stops start-up with one line naming the missing key.
    /// </summary>
    public static IServiceCollection AddSlackAdapter(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SlackOptions.SectionName);
        // Either secret switches the adapter on; the validator then insists on both, so a half-configured Slack stops start-up.
        if (string.IsNullOrWhiteSpace(section[nameof(SlackOptions.BotToken)]) && string.IsNullOrWhiteSpace(section[nameof(SlackOptions.SigningSecret)]))
        {
            return services;
        }

        services.AddOptions<SlackOptions>().Bind(section).PostConfigure(o =>
        {
            // Relative method names resolve under the base only when it ends with '/'. (A relative URL is the validator's to refuse.)
            if (o.ApiBaseUrl.IsAbsoluteUri && !o.ApiBaseUrl.AbsoluteUri.EndsWith('/'))
            {
                o.ApiBaseUrl = new Uri(o.ApiBaseUrl.AbsoluteUri + "/");
            }

            o.TimelineEmoji = o.TimelineEmoji.Trim(':');
            o.CaptureAckEmoji = o.CaptureAckEmoji.Trim(':');
        }).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new SlackSignature(sp.GetRequiredService<IOptions<SlackOptions>>().Value.SigningSecret));
        services.AddSingleton<SlackSignatureMiddleware>();
        services.AddSingleton<IStartupFilter, SlackSignatureStartupFilter>();
        // The request path stores through the shared group-commit writer (the core registers it too; it starts once).
        services.AddGroupCommitInbox();
        services.AddSingleton<SlackApiPipeline>();
        services.AddSingleton<PostPacer>();
        services.AddHttpClient(ApiHttpClient, (sp, http) =>
            {
                var o = sp.GetRequiredService<IOptions<SlackOptions>>().Value;
                http.BaseAddress = o.ApiBaseUrl;
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", o.BotToken);
                // The Polly pipeline owns timeouts (per attempt, and Retry-After waits may be long).
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .RedactLoggedHeaders(["Authorization"]);
        services.AddSingleton<SlackResponseSender>();
        services.AddSingleton<ChatOpsIncident.Core.Processing.IDeadInboxReplies, SlackDeadInboxReplies>();
        services.AddHttpClient(SlackResponder.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30))
            .RemoveAllLoggers()
            .AddStandardResilienceHandler();
        services.AddSingleton(sp => new SlackApiClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(ApiHttpClient),
            sp.GetRequiredService<SlackApiPipeline>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SlackApiClient>>()));
        services.AddSingleton<SlackIdentity>();
        services.AddSingleton<SlackUserZones>();
        services.AddSingleton<SlackChatPlatform>();
        services.AddSingleton<IChatPlatform>(sp => sp.GetRequiredService<SlackChatPlatform>());
        services.AddSingleton<SlackResponder>();
        services.AddSingleton<UnconfirmedCommands>();
        services.AddSingleton<SlackEndpoints>();
        services.AddSingleton<IInboxHandler, SlackInboxHandler>();
        services.AddHostedService<SlackChannelCheck>();
        return services;
    }

    /// <summary><c>POST /slack/commands</c>, <c>/slack/events</c>, <c>/slack/interactions</c>; nothing when Slack is off.</summary>
    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<SlackEndpoints>() is null)
        {
            return app;
        }

        var group = app.MapGroup("/slack").AddEndpointFilter<SlackVerifiedFilter>().DisableAntiforgery();
        group.MapPost("/commands", (HttpContext http, SlackEndpoints slack) => slack.CommandAsync(http));
        group.MapPost("/events", (HttpContext http, SlackEndpoints slack) => slack.EventAsync(http));
        group.MapPost("/interactions", (HttpContext http, SlackEndpoints slack) => slack.InteractionAsync(http));
        return app;
    }
}
