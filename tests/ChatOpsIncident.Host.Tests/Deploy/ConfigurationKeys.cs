using System.Collections;
using System.Reflection;
using ChatOpsIncident.Postgres;

namespace ChatOpsIncident.Host.Tests.Deploy;

/// <summary>
/// Whether an environment variable names a setting the host reads: <c>Slack__BotToken</c> → the options class whose
/// SectionName is Slack has a BotToken; <c>Incident__Severities__1__UpdateCadence</c> walks into the list's items.
/// Deploy files that set a key the project no longer has fail their test instead of being silently ignored.
/// </summary>
internal static class ConfigurationKeys
{
    // Read by the framework or the OpenTelemetry SDK, not by an options class of ours.
    private static readonly string[] FrameworkPrefixes = ["Logging__", "ASPNETCORE_", "DOTNET_", "OTEL_"];

    // Several classes may bind one section (Processing: the workers' and the retention's settings).
    private static readonly Lazy<ILookup<string, Type>> Sections = new(() =>
        new[] { typeof(Program).Assembly, typeof(Core.CoreServiceCollectionExtensions).Assembly, typeof(PostgresConnection).Assembly, typeof(Slack.SlackOptions).Assembly, typeof(Teams.TeamsOptions).Assembly }
            .SelectMany(a => a.GetTypes())
            .Select(t => (Type: t, Field: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
            .Where(x => x.Field is { IsLiteral: true } && x.Field.FieldType == typeof(string))
            .ToLookup(x => (string)x.Field!.GetRawConstantValue()!, x => x.Type, StringComparer.OrdinalIgnoreCase));

    /// <summary>Null when the host reads <paramref name="variable"/>; otherwise why not.</summary>
    public static string? Problem(string variable)
    {
        if (FrameworkPrefixes.Any(p => variable.StartsWith(p, StringComparison.Ordinal)))
        {
            return null;
        }

        var path = variable.Split("__");
        if (path is ["ConnectionStrings", var name])
        {
            return name == PostgresConnection.Name ? null : $"{variable}: the only connection string is {PostgresConnection.Name}";
        }

        var candidates = Sections.Value[path[0]].ToList();
        if (candidates.Count == 0)
        {
            return $"{variable}: no options section named {path[0]}";
        }

        var problems = candidates.Select(type => Walk(variable, type, path.Skip(1))).ToList();
        return problems.Any(p => p is null) ? null : problems[0];
    }

    private static string? Walk(string variable, Type type, IEnumerable<string> path)
    {
        foreach (var segment in path)
        {
            if (int.TryParse(segment, out _))
            {
                type = ElementType(type) ?? typeof(void);
                if (type == typeof(void))
                {
                    return $"{variable}: {segment} indexes something that is not a list";
                }

                continue;
            }

            var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return $"{variable}: {type.Name} has no {segment}";
            }

            type = property.PropertyType;
        }

        return null;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[^1]
        : null;
}
