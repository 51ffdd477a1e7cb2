using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Paging;

public sealed class PagingOptions
{
    public const string SectionName = "Paging";

    /// <summary>
    /// A PagerDuty Events API v2 integration key (or a compatible endpoint's key): the default route, used when the
    /// incident's severity names no <c>PagingRoutingKey</c>. Paging is off when no key is configured anywhere.
    /// </summary>
    public string? RoutingKey { get; set; }

    public Uri EventsUrl { get; set; } = new("https://events.pagerduty.com/v2/enqueue");

    public string Source { get; set; } = "chatops-incident";

    /// <summary>Named services <c>page &lt;service&gt; &lt;reason&gt;</c> can page, each with its own routing key.</summary>
    public List<PagingService> Services { get; set; } = [];

    public PagingService? FindService(string? name) =>
        Services.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One named on-call service (payments, database) and its PagerDuty integration key.</summary>
public sealed class PagingService
{
    public string Name { get; set; } = "";

    public string RoutingKey { get; set; } = "";
}

/// <summary>The events endpoint must be an absolute http(s) URL; runs on start with the DataAnnotations.</summary>
internal sealed class PagingOptionsValidator : IValidateOptions<PagingOptions>
{
    public ValidateOptionsResult Validate(string? name, PagingOptions options)
    {
        var errors = new List<string>();
        if (options.EventsUrl is not { IsAbsoluteUri: true, Scheme: "https" or "http" })
        {
            errors.Add("Paging:EventsUrl must be an absolute http(s) URL");
        }

        for (var i = 0; i < options.Services.Count; i++)
        {
            var s = options.Services[i];
            if (string.IsNullOrWhiteSpace(s.Name) || s.Name.Contains(' ', StringComparison.Ordinal))
            {
                errors.Add($"Paging:Services:{i}:Name is required and must be one word");
            }

            if (string.IsNullOrWhiteSpace(s.RoutingKey))
            {
                errors.Add($"Paging:Services:{i}:RoutingKey is required");
            }
        }

        if (options.Services.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            errors.Add($"Paging:Services names '{twice.Key}' twice");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>The configured service names, for the command parser's <c>page &lt;service&gt;</c>.</summary>
internal sealed class PagingServiceNames(IOptions<PagingOptions> options) : ChatOpsIncident.Core.Commands.IPagingServices
{
    public IReadOnlyList<string> Names => options.Value.Services.Select(s => s.Name).ToList();
}
