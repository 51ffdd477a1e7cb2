using System.Reflection;
using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Host.Tests.Logging;

/// <summary>
/// Event ids are how operators filter and alert on log lines, so each must mean one thing across the whole solution:
/// every project logs inside its own range (its XEventId table) and no two log methods share an id.
/// </summary>
public sealed class LogEventIdTests
{
    private static readonly Dictionary<string, (int From, int To)> Ranges = new(StringComparer.Ordinal)
    {
        ["ChatOpsIncident.Core"] = (1000, 1999),
        ["ChatOpsIncident.Postgres"] = (2000, 2999),
        ["ChatOpsIncident.Slack"] = (3000, 3999),
        ["ChatOpsIncident.Teams"] = (4000, 4999),
        ["ChatOpsIncident.Host"] = (5000, 5999),
        ["ChatOpsIncident.Sandbox"] = (6000, 6199),
    };

    /// <summary>Host references every project of the solution; anything new named ChatOpsIncident.* must get a range.</summary>
    private static IEnumerable<Assembly> SolutionAssemblies()
    {
        var host = typeof(Program).Assembly;
        return host.GetReferencedAssemblies()
            .Where(a => a.Name!.StartsWith("ChatOpsIncident.", StringComparison.Ordinal))
            .Select(Assembly.Load)
            .Prepend(host)
            .DistinctBy(a => a.GetName().Name);
    }

    private static List<(string Assembly, string Method, int EventId)> LogMethods() =>
        SolutionAssemblies()
            .SelectMany(a => a.GetTypes().Select(t => (Assembly: a.GetName().Name!, Type: t)))
            .SelectMany(x => x.Type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Select(m => (x.Assembly, Method: $"{x.Type.FullName}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>())))
            .Where(x => x.Attribute is not null)
            .Select(x => (x.Assembly, x.Method, x.Attribute!.EventId))
            .ToList();

    [Fact]
    public void EveryProject_HasARange_AndLogs()
    {
        var methods = LogMethods();

        Assert.Equal(Ranges.Keys.Order(StringComparer.Ordinal), SolutionAssemblies().Select(a => a.GetName().Name!).Order(StringComparer.Ordinal));
        Assert.All(Ranges.Keys, assembly => Assert.Contains(methods, m => m.Assembly == assembly));
    }

    [Fact]
    public void EveryEventId_IsInsideItsProjectsRange()
    {
        var outside = LogMethods()
            .Where(m => m.EventId < Ranges[m.Assembly].From || m.EventId > Ranges[m.Assembly].To)
            .Select(m => $"{m.Method} = {m.EventId} (range {Ranges[m.Assembly].From}-{Ranges[m.Assembly].To})");

        Assert.Empty(outside);
    }

    [Fact]
    public void NoTwoLogMethods_ShareAnEventId()
    {
        var collisions = LogMethods()
            .GroupBy(m => m.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}");

        Assert.Empty(collisions);
    }
}
