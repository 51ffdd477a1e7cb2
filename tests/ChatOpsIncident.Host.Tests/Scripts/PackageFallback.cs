using System.Text.Json;

namespace ChatOpsIncident.Host.Tests.Scripts;

/// <summary>
/// The NuGet packages the host's build needs, taken from this checkout's restore (its <c>project.assets.json</c>) and
/// laid out as a read-only fallback folder (<c>NUGET_FALLBACK_PACKAGES</c>) the fresh user can read: hard links into a
/// world-readable directory (a copy where links cannot go), never the test runner's own cache, which sits in a home the
/// user cannot enter. The clone still restores, builds and runs as that user from nothing of its own; only the
/// download of the same packages from the registry is skipped, which is what made the test take 6–10 minutes.
/// </summary>
// Hard links and cp are Linux here, as the scripts are.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class PackageFallback
{
    /// <summary>The fallback folder under <paramref name="parent"/>, or null when this checkout has not been restored.</summary>
    public static async Task<string?> CreateAsync(string repositoryRoot, string parent)
    {
        var target = Path.Combine(parent, "nuget-fallback");
        // Every project the host's build restores has its own assets file (and may resolve its own versions).
        var assetsFiles = Directory.EnumerateDirectories(Path.Combine(repositoryRoot, "src"))
            .Select(project => Path.Combine(project, "obj", "project.assets.json"))
            .Where(File.Exists);
        // By id, every version the cache holds: restore also reads the lowest version a dependency's range allows
        // before the pinned one wins, so the packages the graph walk touches are more than the assets file lists.
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var roots = new HashSet<string>(StringComparer.Ordinal);
        foreach (var assets in assetsFiles)
        {
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(assets));
            roots.UnionWith(json.RootElement.GetProperty("packageFolders").EnumerateObject().Select(p => p.Name));
            foreach (var library in json.RootElement.GetProperty("libraries").EnumerateObject().Where(l => l.Value.GetProperty("type").GetString() == "package"))
            {
                ids.Add(library.Name.Split('/')[0].ToLowerInvariant());
            }

            foreach (var framework in json.RootElement.GetProperty("targets").EnumerateObject())
            {
                foreach (var package in framework.Value.EnumerateObject().Where(p => p.Value.TryGetProperty("dependencies", out _)))
                {
                    ids.UnionWith(package.Value.GetProperty("dependencies").EnumerateObject().Select(d => d.Name.ToLowerInvariant()));
                }
            }
        }

        foreach (var id in ids)
        {
            // A package not in the cache is left to the clone's restore, which fetches it as it would anyway.
            foreach (var version in roots.Select(r => Path.Combine(r, id)).Where(Directory.Exists).SelectMany(Directory.EnumerateDirectories))
            {
                await LinkAsync(version, Path.Combine(target, id, Path.GetFileName(version)));
            }
        }

        if (!Directory.Exists(target))
        {
            return null;
        }

        File.SetUnixFileMode(target, World);
        return target;
    }

    private const UnixFileMode World = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private static async Task LinkAsync(string source, string destination)
    {
        var idDir = Path.GetDirectoryName(destination)!;
        Directory.CreateDirectory(idDir);
        File.SetUnixFileMode(idDir, World);
        var (linked, _) = await Shell.TryAsync(new System.Diagnostics.ProcessStartInfo("cp", ["-al", source, idDir]));
        if (linked != 0)
        {
            await Shell.RunAsync("cp", ["-a", source, idDir]);
        }
    }
}
