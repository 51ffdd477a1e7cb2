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
        var assets = Path.Combine(repositoryRoot, "src", "ChatOpsIncident.Host", "obj", "project.assets.json");
        if (!File.Exists(assets))
        {
            return null;
        }

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(assets));
        var roots = json.RootElement.GetProperty("packageFolders").EnumerateObject().Select(p => p.Name).ToList();
        var target = Path.Combine(parent, "nuget-fallback");
        var world = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        foreach (var library in json.RootElement.GetProperty("libraries").EnumerateObject())
        {
            if (library.Value.GetProperty("type").GetString() != "package" || library.Value.GetProperty("path").GetString() is not { } path)
            {
                continue;
            }

            if (roots.Select(r => Path.Combine(r, path)).FirstOrDefault(Directory.Exists) is not { } source)
            {
                continue; // Not in the cache: the clone's restore fetches it, as it would anyway.
            }

            var destination = Path.Combine(target, path);
            var idDir = Path.GetDirectoryName(destination)!;
            Directory.CreateDirectory(idDir);
            File.SetUnixFileMode(idDir, world);
            var (linked, _) = await Shell.TryAsync(new System.Diagnostics.ProcessStartInfo("cp", ["-al", source, idDir]));
            if (linked != 0)
            {
                await Shell.RunAsync("cp", ["-a", source, idDir]);
            }
        }

        if (!Directory.Exists(target))
        {
            return null;
        }

        File.SetUnixFileMode(target, world);
        return target;
    }
}
