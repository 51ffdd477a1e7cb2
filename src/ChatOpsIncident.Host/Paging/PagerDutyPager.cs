using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Processing;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Paging;

public sealed class PagingOptions
{
    public const string SectionName = "Paging";

    /// <summary>A PagerDuty Events API v2 integration key (or a compatible endpoint's key). Paging is off without it.</summary>
    public string? RoutingKey { get; set; }

    public Uri EventsUrl { get; set; } = new("https://events.pagerduty.com/v2/enqueue");

    public string Source { get; set; } = "chatops-incident";
}

/// <summary>
/// Triggers a PagerDuty (Events API v2) alert. The dedup key is the incident, so repeated pages for one incident
/// (escalations, retries) land on one alert instead of waking people again.
/// </summary>
internal sealed class PagerDutyPager(HttpClient http, IOptions<PagingOptions> options) : IPager
{
    public async Task PageAsync(Guid incidentId, string reason, CancellationToken ct)
    {
        var o = options.Value;
        var body = new PagerDutyEvent(
            o.RoutingKey!,
            "trigger",
            $"chatops-incident-{incidentId:N}",
            new PagerDutyPayload(reason.Length > 1000 ? reason[..1000] : reason, o.Source, "critical"));
        using var response = await http.PostAsJsonAsync(o.EventsUrl, body, ct);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            // Retrying a rejected event changes nothing; the routing key itself is never put in the message.
            throw new PermanentChatException($"The pager rejected the event ({(int)response.StatusCode}); check Paging:RoutingKey and Paging:EventsUrl");
        }

        response.EnsureSuccessStatusCode();
    }

    private sealed record PagerDutyEvent(
        [property: JsonPropertyName("routing_key")] string RoutingKey,
        [property: JsonPropertyName("event_action")] string EventAction,
        [property: JsonPropertyName("dedup_key")] string DedupKey,
        [property: JsonPropertyName("payload")] PagerDutyPayload Payload);

    private sealed record PagerDutyPayload(
        [property: JsonPropertyName("summary")] string Summary,
        [property: JsonPropertyName("source")] string Source,
        [property: JsonPropertyName("severity")] string Severity);
}

internal static class PagingExtensions
{
    /// <summary>Switched on by <c>Paging:RoutingKey</c>; without it a page is the platform's loud message only.</summary>
    public static IServiceCollection AddPaging(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(PagingOptions.SectionName);
        var options = section.Get<PagingOptions>() ?? new PagingOptions();
        if (string.IsNullOrWhiteSpace(options.RoutingKey))
        {
            return services;
        }

        if (!options.EventsUrl.IsAbsoluteUri || options.EventsUrl.Scheme is not ("https" or "http"))
        {
            throw new ConfigurationException("Paging:EventsUrl must be an absolute http(s) URL");
        }

        services.AddOptions<PagingOptions>().Bind(section);
        services.AddHttpClient<IPager, PagerDutyPager>().AddStandardResilienceHandler();
        return services;
    }
}
