using System.Text.RegularExpressions;
using System.Xml.Linq;
using ChatOpsIncident.Host.Telemetry;
using YamlDotNet.RepresentationModel;

namespace ChatOpsIncident.Host.Tests.Deploy;

/// <summary>
/// The Dockerfile, compose file and .env.example against the project as it is: a path, a project or a setting they
/// name that the project no longer has fails here, not at someone's first <c>docker build</c>.
/// </summary>
public sealed partial class DeployFilesTests
{
    private static readonly string Root = RepositoryRoot();

    [Fact]
    public void Dockerfile_CopiesOnlyPathsThatExist_AndEveryProjectTheHostNeeds()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "deploy", "Dockerfile"));
        var copies = lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from=", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1]).SelectMany(s => s).ToList();
        Assert.NotEmpty(copies);
        foreach (var source in copies)
        {
            Assert.True(File.Exists(Path.Combine(Root, source)) || Directory.Exists(Path.Combine(Root, source)), $"deploy/Dockerfile copies {source}, which the repository does not have");
        }

        // The restore layer is built from the project files alone: every project the host references must be among them.
        foreach (var project in HostProjectClosure())
        {
            Assert.Contains($"src/{project}/{project}.csproj", copies);
        }

        var restoreAt = Array.FindIndex(lines, l => l.Contains("dotnet restore", StringComparison.Ordinal));
        var sourcesAt = Array.FindIndex(lines, l => l.StartsWith("COPY src/ src/", StringComparison.Ordinal));
        Assert.True(restoreAt > 0 && sourcesAt > restoreAt, "the restore runs before the sources are copied (a cached layer)");
        foreach (var match in DotnetProject().Matches(string.Join('\n', lines)).Cast<Match>())
        {
            Assert.True(File.Exists(Path.Combine(Root, match.Groups[1].Value)), $"deploy/Dockerfile builds {match.Groups[1].Value}, which does not exist");
        }

        Assert.Contains(lines, l => l == $"ENTRYPOINT [\"dotnet\", \"{typeof(Program).Assembly.GetName().Name}.dll\"]");
        Assert.Contains(lines, l => UserLine().IsMatch(l));
        Assert.Contains(lines, l => l.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:", StringComparison.Ordinal) && l.Contains("chiseled", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("EXPOSE 8080", StringComparison.Ordinal));
    }

    [Fact]
    public void DockerIgnore_KeepsHistoryBuildOutputAndLocalDatabasesOut()
    {
        var ignored = File.ReadAllLines(Path.Combine(Root, ".dockerignore")).Select(l => l.Trim()).ToHashSet();

        Assert.Superset(new HashSet<string> { ".git", "**/bin", "**/obj", ".pgdata", ".env" }, ignored);
        // Nothing the Dockerfile copies is ignored.
        Assert.DoesNotContain("src", ignored);
    }

    [Fact]
    public void Compose_SetsOnlySettingsTheHostReads_AndEveryVariableIsInEnvExample()
    {
        var compose = Yaml(Path.Combine(Root, "deploy", "compose.yaml"));
        var services = (YamlMappingNode)compose.Children[new YamlScalarNode("services")];
        var bot = (YamlMappingNode)services.Children[new YamlScalarNode("bot")];
        var environment = (YamlMappingNode)bot.Children[new YamlScalarNode("environment")];
        foreach (var key in environment.Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!))
        {
            Assert.Null(ConfigurationKeys.Problem(key));
        }

        var build = (YamlMappingNode)bot.Children[new YamlScalarNode("build")];
        var context = Path.GetFullPath(Path.Combine(Root, "deploy", ((YamlScalarNode)build.Children[new YamlScalarNode("context")]).Value!));
        Assert.Equal(Root.TrimEnd('/'), context.TrimEnd('/'));
        Assert.True(File.Exists(Path.Combine(context, ((YamlScalarNode)build.Children[new YamlScalarNode("dockerfile")]).Value!)));
        Assert.Equal("unless-stopped", ((YamlScalarNode)bot.Children[new YamlScalarNode("restart")]).Value);
        var ports = Assert.Single(((YamlSequenceNode)bot.Children[new YamlScalarNode("ports")]).Children);
        Assert.EndsWith(":8080", ((YamlScalarNode)ports).Value, StringComparison.Ordinal);
        Assert.All(services.Children.Values.Cast<YamlMappingNode>().Where(s => s != bot), s => Assert.False(s.Children.ContainsKey(new YamlScalarNode("ports")), "one published port"));

        var text = File.ReadAllText(Path.Combine(Root, "deploy", "compose.yaml"));
        var used = Variable().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();
        var example = EnvExample();
        Assert.Equal(used.Order(), example.Keys.Order());
        Assert.All(example, kv => Assert.True(kv.Value, $"deploy/.env.example: {kv.Key} has no comment above it"));
    }

    [Theory]
    [InlineData("Slack__BotToken", true)]
    [InlineData("Incident__Severities__1__UpdateCadence", true)]
    [InlineData("ConnectionStrings__Incidents", true)]
    [InlineData("Processing__Retention", true)]
    [InlineData("Slack__BotTokn", false)]
    [InlineData("Incident__Severities__1__Cadence", false)]
    [InlineData("Nowhere__Key", false)]
    [InlineData("ConnectionStrings__Other", false)]
    public void ConfigurationKeys_TellReadSettingsFromMisspeltOnes(string variable, bool read)
    {
        Assert.Equal(read, ConfigurationKeys.Problem(variable) is null);
    }

    /// <summary>The variables in .env.example, each with whether a comment line explains it (directly or for its group).</summary>
    private static Dictionary<string, bool> EnvExample()
    {
        var result = new Dictionary<string, bool>(StringComparer.Ordinal);
        var commented = false;
        foreach (var line in File.ReadAllLines(Path.Combine(Root, "deploy", ".env.example")))
        {
            if (line.StartsWith('#'))
            {
                commented = true;
            }
            else if (line.Contains('=', StringComparison.Ordinal))
            {
                result[line[..line.IndexOf('=', StringComparison.Ordinal)]] = commented;
            }
            else if (line.Length == 0)
            {
                commented = false;
            }
        }

        return result;
    }

    internal static YamlMappingNode Yaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>The host project and every src project it references, directly or not.</summary>
    private static HashSet<string> HostProjectClosure()
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(["ChatOpsIncident.Host"]);
        while (pending.TryPop(out var project))
        {
            if (!found.Add(project))
            {
                continue;
            }

            foreach (var reference in XDocument.Load(Path.Combine(Root, "src", project, project + ".csproj")).Descendants("ProjectReference"))
            {
                pending.Push(Path.GetFileNameWithoutExtension(reference.Attribute("Include")!.Value.Replace('\\', '/')));
            }
        }

        return found;
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ChatOpsIncident.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException($"No ChatOpsIncident.sln above {AppContext.BaseDirectory}");
    }

    internal static string MetricsPath => TelemetryExtensions.MetricsPath;

    [GeneratedRegex(@"dotnet (?:restore|publish) (\S+\.csproj)")]
    private static partial Regex DotnetProject();

    [GeneratedRegex(@"^USER [1-9][0-9]*$")]
    private static partial Regex UserLine();

    [GeneratedRegex(@"\$\{([A-Z0-9_]+)")]
    private static partial Regex Variable();
}
