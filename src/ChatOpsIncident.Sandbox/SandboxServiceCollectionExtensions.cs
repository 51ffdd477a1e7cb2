using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Inbox;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Sandbox.Inbound;
using ChatOpsIncident.Sandbox.Outbound;
using ChatOpsIncident.Sandbox.Page;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Sandbox;

public static class SandboxServiceCollectionExtensions
{
    /// <summary>
    /// The local workspace, switched on by <c>Sandbox:Enabled</c>. It lets anyone act as anyone, so outside Development
    /// start-up stops with one line instead.
    /// </summary>
    public static IServiceCollection AddSandbox(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection(SandboxOptions.SectionName);
        if (!section.GetValue<bool>(nameof(SandboxOptions.Enabled)))
        {
            return services;
        }

        if (!environment.IsDevelopment())
        {
            throw new ConfigurationException($"Sandbox:Enabled=true is refused in the {environment.EnvironmentName} environment: the local workspace lets anyone act as anyone, so it runs only with ASPNETCORE_ENVIRONMENT=Development");
        }

        services.AddOptions<SandboxOptions>().Bind(section).PostConfigure(o =>
        {
            o.TimelineEmoji = o.TimelineEmoji.Trim(':');
            o.CaptureAckEmoji = o.CaptureAckEmoji.Trim(':');
        }).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<SandboxOptions>, SandboxOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SandboxUsers>();
        services.AddSingleton<SandboxChatPlatform>();
        services.AddSingleton<IChatPlatform>(sp => sp.GetRequiredService<SandboxChatPlatform>());
        services.AddSingleton<IInboxHandler, SandboxInboxHandler>();
        services.AddSingleton<IDeadInboxReplies, SandboxDeadInboxReplies>();
        services.AddSingleton<SandboxDirectory>();
        services.AddSingleton<SandboxApi>();
        if (section.GetValue<bool>(nameof(SandboxOptions.Demo)))
        {
            // After the migration's hosted service (registered before the adapters), so the tables are there.
            services.AddHostedService<Demo.SandboxDemo>();
        }

        // Alone, the workspace is a whole first try: updates fan out to its stakeholder channel unless configured
        // otherwise. Beside Slack or Teams the channel id would mean nothing on their incidents, so it is left alone.
        var alone = string.IsNullOrWhiteSpace(configuration["Slack:BotToken"]) && string.IsNullOrWhiteSpace(configuration["Teams:AppId"]);
        if (alone && section.GetValue(nameof(SandboxOptions.DefaultStakeholders), true))
        {
            services.PostConfigure<IncidentOptions>(o =>
            {
                foreach (var severity in o.Severities.Where(s => s.Stakeholders.Count == 0))
                {
                    severity.Stakeholders.Add(SandboxChatPlatform.StakeholderChannel);
                }
            });
        }

        return services;
    }

    /// <summary><c>/sandbox</c> (the page) and <c>/sandbox/api/…</c>; nothing when the workspace is off.</summary>
    public static IEndpointRouteBuilder MapSandbox(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<SandboxApi>() is not { })
        {
            return app;
        }

        var users = app.ServiceProvider.GetRequiredService<SandboxUsers>();
        Log.Enabled(app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SandboxApi)), users.People.Count);

        var group = app.MapGroup("/sandbox").AddEndpointFilter<LocalOnlyFilter>().DisableAntiforgery().ExcludeFromDescription();
        group.MapGet("", SandboxPage.Page);
        group.MapGet("/assets/sandbox.js", SandboxPage.Script);
        group.MapGet("/assets/sandbox.css", SandboxPage.Style);

        var api = group.MapGroup("/api");
        api.MapGet("/users", (SandboxApi sandbox) => sandbox.Users());
        api.MapGet("/channels", (SandboxApi sandbox, [FromQuery(Name = "as")] string? user, CancellationToken ct) => sandbox.ChannelsAsync(user, ct));
        api.MapGet("/channels/{id}/messages", (SandboxApi sandbox, string id, [FromQuery(Name = "as")] string? user, long? after, CancellationToken ct) =>
            sandbox.MessagesAsync(id, user, after, ct));
        api.MapPost("/channels/{id}/messages", (SandboxApi sandbox, string id, PostMessageRequest body, CancellationToken ct) => sandbox.PostMessageAsync(id, body, ct));
        api.MapPost("/messages/{id}/reactions", (SandboxApi sandbox, string id, ReactionRequest body, CancellationToken ct) => sandbox.ReactAsync(id, body, add: true, ct));
        api.MapDelete("/messages/{id}/reactions", (SandboxApi sandbox, string id, string? user, string? name, string? clientId, CancellationToken ct) =>
            sandbox.ReactAsync(id, new ReactionRequest(user, name, clientId), add: false, ct));
        api.MapPost("/messages/{id}/actions", (SandboxApi sandbox, string id, ActionRequest body, CancellationToken ct) => sandbox.ActionAsync(id, body, ct));
        api.MapPost("/forms/{id}", (SandboxApi sandbox, string id, FormRequest body, CancellationToken ct) => sandbox.SubmitFormAsync(id, body, ct));
        return app;
    }
}
