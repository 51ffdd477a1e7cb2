using System.Text.RegularExpressions;
using ChatOpsIncident.Core.Configuration;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Startup;

internal static partial class StartupFailure
{
    /// <summary>The one line to print for a start-up failure caused by configuration, or null for anything else.</summary>
    public static string? Describe(Exception ex) => ex switch
    {
        OptionsValidationException o => string.Join("; ", o.Failures.Select(Unwrap)),
        ConfigurationException c => c.Message,
        // The binder names the key itself: "Failed to convert configuration value at 'Slack:AckTimeout' to type …".
        InvalidOperationException { Message: var m } when m.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => m,
        AggregateException a when a.InnerExceptions.Count > 0 => Describe(a.InnerExceptions[0]),
        _ when ex.InnerException is not null => Describe(ex.InnerException),
        _ => null,
    };

    // ValidateDataAnnotations wraps each message ("DataAnnotation validation failed for 'SlackOptions' members: …
    // with the error: '…'."); our messages already name the configuration key, so the wrapper only adds noise.
    private static string Unwrap(string failure) =>
        DataAnnotationFailure().Match(failure) is { Success: true } m ? m.Groups["message"].Value : failure;

    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '[^']*' with the error: '(?<message>.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();
}
