using ChatOpsIncident.Core.Configuration;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Startup;

internal static class StartupFailure
{
    /// <summary>The one line to print for a start-up failure caused by configuration, or null for anything else.</summary>
    public static string? Describe(Exception ex) => ex switch
    {
        OptionsValidationException o => string.Join("; ", o.Failures),
        ConfigurationException c => c.Message,
        AggregateException a when a.InnerExceptions.Count > 0 => Describe(a.InnerExceptions[0]),
        _ when ex.InnerException is not null => Describe(ex.InnerException),
        _ => null,
    };
}
