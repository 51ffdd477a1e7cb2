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

/// <summary>The events endpoint must be an absolute http(s) URL; runs on start with the DataAnnotations.</summary>
internal sealed class PagingOptionsValidator : IValidateOptions<PagingOptions>
{
    public ValidateOptionsResult Validate(string? name, PagingOptions options) =>
        options.EventsUrl is { IsAbsoluteUri: true, Scheme: "https" or "http" }
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Paging:EventsUrl must be an absolute http(s) URL");
}
