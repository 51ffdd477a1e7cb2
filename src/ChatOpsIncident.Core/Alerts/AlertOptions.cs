using System.ComponentModel.DataAnnotations;
using ChatOpsIncident.Core.Configuration;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Alerts;

/// <summary>
/// <c>Alerts</c>: where alerts come from (<see cref="Sources"/>, one bearer token each) and what they do
/// (<see cref="Rules"/>, first match wins; no match means <see cref="AlertActions.Prompt"/>).
/// </summary>
public sealed class AlertOptions
{
    public const string SectionName = "Alerts";

    public List<AlertSource> Sources { get; set; } = [];

    public List<AlertRule> Rules { get; set; } = [];

    /// <summary>The chat platform alert incidents and cards go to when more than one is configured (default: the first).</summary>
    public string? Platform { get; set; }

    /// <summary>At most one "still firing" timeline entry per alert group in this interval.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan TimelineInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>At most one alert card in the feed per interval; groups arriving meanwhile share the next card.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan CardInterval { get; set; } = TimeSpan.FromMinutes(1);
}

public sealed class AlertSource
{
    /// <summary>The <c>{source}</c> of <c>/webhooks/alerts/{source}</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary><c>alertmanager</c>, <c>grafana</c> or <c>generic</c>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>The bearer token the sender presents; at least 32 characters.</summary>
    public string Token { get; set; } = "";
}

public sealed class AlertRule
{
    /// <summary>Label → value, all of which must equal the alert group's labels; empty matches everything.</summary>
    public Dictionary<string, string> Match { get; set; } = [];

    public string? Severity { get; set; }

    public string? Type { get; set; }

    /// <summary>The platform user id who commands a declared incident (default: whoever declares it).</summary>
    public string? Commander { get; set; }

    /// <summary><c>declare</c>, <c>prompt</c> or <c>ignore</c>.</summary>
    public string Action { get; set; } = AlertActions.Prompt;
}

public static class AlertActions
{
    public const string Declare = "declare";
    public const string Prompt = "prompt";
    public const string Ignore = "ignore";

    public static bool IsKnown(string action) => action is Declare or Prompt or Ignore;
}

public static class AlertSourceKinds
{
    public const string Alertmanager = "alertmanager";
    public const string Grafana = "grafana";
    public const string Generic = "generic";

    public static bool IsKnown(string kind) => kind is Alertmanager or Grafana or Generic;
}

/// <summary>Cross-field rules: known kinds and actions, unique names, long tokens, severities and types that exist.</summary>
internal sealed class AlertOptionsValidator(IOptions<IncidentOptions> incident) : IValidateOptions<AlertOptions>
{
    public const int MinTokenLength = 32;

    public ValidateOptionsResult Validate(string? name, AlertOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.Sources.Count; i++)
        {
            var s = options.Sources[i];
            var key = $"Alerts:Sources:{i}";
            // The name is a path segment and the prefix of the delivery id ("{name}:{hash}").
            if (s.Name.Length == 0 || s.Name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            {
                errors.Add($"{key}:Name must be letters, digits, '-' or '_'");
            }

            if (!AlertSourceKinds.IsKnown(s.Kind))
            {
                errors.Add($"{key}:Kind must be alertmanager, grafana or generic");
            }

            if (s.Token.Length < MinTokenLength)
            {
                errors.Add($"{key}:Token must be at least {MinTokenLength} characters");
            }
        }

        if (options.Sources.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            errors.Add($"Alerts:Sources names a source '{twice.Key}' twice");
        }

        for (var i = 0; i < options.Rules.Count; i++)
        {
            var r = options.Rules[i];
            var key = $"Alerts:Rules:{i}";
            if (!AlertActions.IsKnown(r.Action))
            {
                errors.Add($"{key}:Action must be declare, prompt or ignore");
            }

            if (r.Severity is { } severity && incident.Value.FindSeverity(severity) is null)
            {
                errors.Add($"{key}:Severity '{severity}' is not one of Incident:Severities");
            }

            if (r.Type is { } type && incident.Value.FindType(type) is null)
            {
                errors.Add($"{key}:Type '{type}' is not one of Incident:Types");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
