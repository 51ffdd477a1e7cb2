using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Tests.Architecture;

public sealed class CoreDependencyTests
{
    private static readonly string[] Forbidden = ["Npgsql", "Dapper", "Hangfire", "Microsoft.AspNetCore", "ChatOpsIncident.Slack", "ChatOpsIncident.Teams", "ChatOpsIncident.Postgres", "ChatOpsIncident.Host", "SlackNet", "Microsoft.Bot", "DbUp", "Polly"];

    [Fact]
    public void Core_ReferencesNoPlatformStoreOrWebAssembly()
    {
        var references = typeof(Incident).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        var offending = references.Where(r => Forbidden.Any(f => r.StartsWith(f, StringComparison.OrdinalIgnoreCase))).ToList();

        Assert.Empty(offending);
        Assert.Contains("Microsoft.Extensions.Options", references);
    }
}
