using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Processing;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Paging;

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
        if (string.IsNullOrWhiteSpace(section[nameof(PagingOptions.RoutingKey)]))
        {
            return services;
        }

        services.AddOptions<PagingOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<PagingOptions>, PagingOptionsValidator>();
        services.AddHttpClient<IPager, PagerDutyPager>().AddStandardResilienceHandler();
        return services;
    }
}
