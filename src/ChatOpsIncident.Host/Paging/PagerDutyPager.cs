using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Processing;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Paging;

/// <summary>
/// PagerDuty Events API v2: trigger, acknowledge, resolve. The dedup key is the incident, so repeated pages for one
/// incident (escalations, retries) land on one alert instead of waking people again, and its acknowledge and resolve
/// close exactly that alert. The routing key comes from the route the page was queued with: a named service's
/// (<c>Paging:Services</c>), else the severity's (<c>Severities:N:PagingRoutingKey</c>), else <c>Paging:RoutingKey</c>.
/// </summary>
internal sealed class PagerDutyPager(HttpClient http, IOptions<PagingOptions> options, IOptions<IncidentOptions> incidents, ILogger<PagerDutyPager> logger) : IPager
{
    public static string DedupKey(Guid incidentId) => $"chatops-incident-{incidentId:N}";

    public Task PageAsync(Guid incidentId, string reason, string? route, CancellationToken ct) =>
        SendAsync(incidentId, "trigger", route, new PagerDutyPayload(reason.Length > 1000 ? reason[..1000] : reason, options.Value.Source, "critical"), ct);

    public Task AcknowledgeAsync(Guid incidentId, string? route, CancellationToken ct) => SendAsync(incidentId, "acknowledge", route, null, ct);

    public Task ResolveAsync(Guid incidentId, string? route, CancellationToken ct) => SendAsync(incidentId, "resolve", route, null, ct);

    /// <summary>The routing key for a route; null when nothing is configured for it (that severity does not page through PagerDuty).</summary>
    public string? RoutingKey(string? route)
    {
        var o = options.Value;
        if (PageRoutes.ServiceOf(route) is { } service)
        {
            // A service removed from configuration since the page: its alert goes to the default route's owner.
            return o.FindService(service)?.RoutingKey is { Length: > 0 } key ? key : Blank(o.RoutingKey);
        }

        return PageRoutes.SeverityOf(route) is { } severity && Blank(incidents.Value.FindSeverity(severity)?.PagingRoutingKey) is { } sevKey
            ? sevKey
            : Blank(o.RoutingKey);
    }

    private async Task SendAsync(Guid incidentId, string action, string? route, PagerDutyPayload? payload, CancellationToken ct)
    {
        if (RoutingKey(route) is not { } routingKey)
        {
            Log.PageRouteUnconfigured(logger, route ?? "(default)", action);
            return;
        }

        var body = new PagerDutyEvent(routingKey, action, DedupKey(incidentId), payload);
        using var response = await http.PostAsJsonAsync(options.Value.EventsUrl, body, ct);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            // Retrying a rejected event changes nothing; the routing key itself is never put in the message.
            throw new PermanentChatException($"The pager rejected the {action} event ({(int)response.StatusCode}); check the routing key for {route ?? "the default route"} (Paging:RoutingKey, Severities:N:PagingRoutingKey or Paging:Services) and Paging:EventsUrl");
        }

        response.EnsureSuccessStatusCode();
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private sealed record PagerDutyEvent(
        [property: JsonPropertyName("routing_key")] string RoutingKey,
        [property: JsonPropertyName("event_action")] string EventAction,
        [property: JsonPropertyName("dedup_key")] string DedupKey,
        [property: JsonPropertyName("payload"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PagerDutyPayload? Payload);

    private sealed record PagerDutyPayload(
        [property: JsonPropertyName("summary")] string Summary,
        [property: JsonPropertyName("source")] string Source,
        [property: JsonPropertyName("severity")] string Severity);
}

internal static class PagingExtensions
{
    /// <summary>
    /// Switched on by a routing key anywhere: <c>Paging:RoutingKey</c>, a <c>Paging:Services</c> entry or a severity's
    /// <c>PagingRoutingKey</c>. Without one a page is the platform's loud message only.
    /// </summary>
    public static IServiceCollection AddPaging(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(PagingOptions.SectionName);
        // Validated (and bound) always, so `page <service>` knows the names even before a key is set.
        services.AddOptions<PagingOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<PagingOptions>, PagingOptionsValidator>();
        services.AddSingleton<ChatOpsIncident.Core.Commands.IPagingServices, PagingServiceNames>();
        var anyKey = !string.IsNullOrWhiteSpace(section[nameof(PagingOptions.RoutingKey)])
            || section.GetSection(nameof(PagingOptions.Services)).GetChildren().Any(s => !string.IsNullOrWhiteSpace(s[nameof(PagingService.RoutingKey)]))
            || configuration.GetSection($"{IncidentOptions.SectionName}:Severities").GetChildren().Any(s => !string.IsNullOrWhiteSpace(s[nameof(SeverityOptions.PagingRoutingKey)]));
        if (!anyKey)
        {
            return services;
        }

        services.AddHttpClient<IPager, PagerDutyPager>().AddStandardResilienceHandler();
        return services;
    }
}
