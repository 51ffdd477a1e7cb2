using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace ChatOpsIncident.Core.Tests.Architecture;

/// <summary>
/// Dependencies point inward (DESIGN.md): Core knows no platform, store, web stack or scheduler; the adapters (Slack, Teams, the sandbox) see neither
/// the database nor each other; only the Host knows Hangfire. Checked twice: the compiled assemblies' references (what
/// the code uses) and the csproj files, transitively over project references (what a project could start using).
/// </summary>
public sealed class DependencyTests
{
    private const string Host = "ChatOpsIncident.Host";

    private static readonly string[] Sql = ["Npgsql", "Dapper", "DbUp"];

    public static TheoryData<string, string[]> Rules => new()
    {
        { "ChatOpsIncident.Core", [.. Sql, "Hangfire", "Microsoft.AspNetCore", "Polly", "SlackNet", "Microsoft.Bot", "ChatOpsIncident.Slack", "ChatOpsIncident.Teams", "ChatOpsIncident.Sandbox", "ChatOpsIncident.Postgres", Host] },
        { "ChatOpsIncident.Slack", [.. Sql, "Hangfire", "ChatOpsIncident.Teams", "ChatOpsIncident.Sandbox", "ChatOpsIncident.Postgres", Host] },
        { "ChatOpsIncident.Teams", [.. Sql, "Hangfire", "ChatOpsIncident.Slack", "ChatOpsIncident.Sandbox", "ChatOpsIncident.Postgres", Host] },
        { "ChatOpsIncident.Sandbox", [.. Sql, "Hangfire", "ChatOpsIncident.Slack", "ChatOpsIncident.Teams", "ChatOpsIncident.Postgres", Host] },
        { "ChatOpsIncident.Postgres", ["Hangfire", "Microsoft.AspNetCore", "ChatOpsIncident.Slack", "ChatOpsIncident.Teams", "ChatOpsIncident.Sandbox", Host] },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Assembly_ReferencesNothingForbidden(string project, string[] forbidden)
    {
        var references = ReferencedAssemblies(project);

        Assert.DoesNotContain(references, r => Matches(r, forbidden));
        // Not vacuous: the list is the real one (Core uses options; everything else uses Core).
        Assert.Contains(project == "ChatOpsIncident.Core" ? "Microsoft.Extensions.Options" : "ChatOpsIncident.Core", references);
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Csproj_DeclaresNothingForbidden(string project, string[] forbidden)
    {
        var declared = Declared(project);

        Assert.DoesNotContain(declared, r => Matches(r, forbidden));
        Assert.NotEmpty(declared);
    }

    [Fact]
    public void Csproj_OnlyHostReferencesHangfire()
    {
        var projects = Directory.GetDirectories(Path.Combine(RepositoryRoot(), "src")).Select(Path.GetFileName).OfType<string>().ToList();

        Assert.Contains(Host, projects);
        Assert.Contains(Declared(Host), r => Matches(r, ["Hangfire"]));
        Assert.DoesNotContain(projects, p => p != Host && Declared(p).Any(r => Matches(r, ["Hangfire"])));
    }

    /// <summary>
    /// The assembly references of src/<paramref name="project"/>'s build output in this test's configuration, read from
    /// its metadata (what <c>Assembly.GetReferencedAssemblies</c> returns, without loading the adapters in here).
    /// </summary>
    private static List<string> ReferencedAssemblies(string project)
    {
        var root = RepositoryRoot();
        var output = Path.GetRelativePath(Path.Combine(root, "tests", "ChatOpsIncident.Core.Tests"), AppContext.BaseDirectory);
        using var pe = new PEReader(File.OpenRead(Path.Combine(root, "src", project, output, project + ".dll")));
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToList();
    }

    private static bool Matches(string reference, string[] forbidden) =>
        forbidden.Any(f => reference.StartsWith(f, StringComparison.OrdinalIgnoreCase));

    /// <summary>Package, framework and project references of src/<paramref name="project"/>, and of the projects it references.</summary>
    private static HashSet<string> Declared(string project)
    {
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            var csproj = XDocument.Load(Path.Combine(RepositoryRoot(), "src", current, current + ".csproj"));
            foreach (var item in csproj.Descendants().Where(e => e.Name.LocalName is "PackageReference" or "FrameworkReference" or "ProjectReference"))
            {
                var include = item.Attribute("Include")?.Value ?? "";
                var name = item.Name.LocalName == "ProjectReference" ? Path.GetFileNameWithoutExtension(include.Replace('\\', '/')) : include;
                if (found.Add(name) && item.Name.LocalName == "ProjectReference")
                {
                    pending.Push(name);
                }
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
}
