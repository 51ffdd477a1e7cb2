using System.ComponentModel.DataAnnotations;

namespace ChatOpsIncident.Host.Telemetry;

/// <summary>
/// <c>Telemetry:*</c>. The OTLP exporter is switched on by the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (and its
/// sibling <c>OTEL_*</c> variables), not by a key here, so the usual collector setup works unchanged.
/// </summary>
internal sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// When set, <c>/metrics</c> answers only a request with <c>Authorization: Bearer &lt;token&gt;</c>. Unset, it is
    /// open: it shows counts only (never a title, an id or a name), and scrapers usually sit inside the cluster.
    /// </summary>
    public string? MetricsToken { get; set; }

    /// <summary>The <c>service.name</c> resource attribute (OTEL_SERVICE_NAME overrides it).</summary>
    [Required(ErrorMessage = "Telemetry:ServiceName must not be empty")]
    public string ServiceName { get; set; } = "chatops-incident";

    /// <summary>
    /// Whether spans are recorded. Unset: only when an exporter is on (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), because a
    /// recorded span nobody exports is pure cost on the request path (every request, every SQL statement). Off, the
    /// W3C context still propagates: an incoming <c>traceparent</c> is stored with the row and log lines keep their ids.
    /// </summary>
    public bool? RecordTraces { get; set; }

    /// <summary>How often the backlog gauges are read for a push exporter (OTLP); a Prometheus scrape reads them fresh.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Telemetry:BacklogInterval must be between 1 s and 1 h")]
    public TimeSpan BacklogInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>An empty token is "no token" (compose passes empty variables); a set one must be long enough not to guess.</summary>
internal sealed class TelemetryOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<TelemetryOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, TelemetryOptions options) =>
        string.IsNullOrEmpty(options.MetricsToken) || options.MetricsToken.Length >= 32
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail("Telemetry:MetricsToken must be at least 32 characters");
}
