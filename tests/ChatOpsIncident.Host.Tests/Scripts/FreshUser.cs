using System.Diagnostics;
using System.Globalization;

namespace ChatOpsIncident.Host.Tests.Scripts;

/// <summary>
/// The normal user a script test runs as. As root (CI) a throwaway user with a private (0700) home in a temp dir,
/// removed again with everything it left running; otherwise the current user with a temp dir as "home" for the work.
/// Processes started through <see cref="StartInfo"/> get a clean environment: no Slack, Teams or database settings of
/// the test run leak in, and no build server outlives the script (the user is deleted afterwards).
/// </summary>
// The scripts are bash on Linux (useradd, setpriv, /proc); so is this.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class FreshUser : IAsyncDisposable
{
    private readonly string _temp;
    private readonly string? _name;

    private FreshUser(string temp, string? name, string home)
    {
        _temp = temp;
        _name = name;
        Home = home;
    }

    /// <summary>Where the work goes: the throwaway user's home, or a temp dir of the current user.</summary>
    public string Home { get; }

    /// <summary>
    /// A world-readable directory the test fills as itself and the user only reads (never handed over): beside the
    /// home as root, the temp dir otherwise.
    /// </summary>
    public string Shared => _name is null ? _temp : Path.Combine(_temp, "shared");

    public static async Task<FreshUser> CreateAsync()
    {
        var temp = Directory.CreateTempSubdirectory("chatops-runsh-").FullName;
        if (!Environment.IsPrivilegedProcess)
        {
            return new FreshUser(temp, null, temp);
        }

        // The user must get through the temp dir to its home; the home itself is private, as on a normal machine.
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var name = "chatops-t" + Guid.NewGuid().ToString("N")[..10];
        var home = Path.Combine(temp, "home");
        await Shell.RunAsync("useradd", ["--create-home", "--home-dir", home, "--user-group", "--shell", "/bin/bash", name]);
        File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new FreshUser(temp, name, home);
    }

    /// <summary>Hands <paramref name="path"/> (made by the test as root) to the user.</summary>
    public Task GiveAsync(string path) => _name is null ? Task.CompletedTask : Shell.RunAsync("chown", ["-R", $"{_name}:{_name}", path]);

    /// <summary>Runs <paramref name="file"/> as this user in <paramref name="directory"/>; stdin, stdout and stderr redirected.</summary>
    public ProcessStartInfo StartInfo(string directory, string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (_name is null)
        {
            start.FileName = file;
        }
        else
        {
            // setpriv execs (runuser and su fork and SIGKILL their child shortly after forwarding a signal), so the
            // process the test signals is the script itself.
            start.FileName = "setpriv";
            foreach (var a in (string[])["--reuid", _name, "--regid", _name, "--init-groups", "--", file])
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        var inherited = start.Environment.Where(e => Inherited(e.Key)).ToList();
        start.Environment.Clear();
        foreach (var (key, value) in inherited)
        {
            start.Environment[key] = value;
        }

        start.Environment["HOME"] = _name is null ? Environment.GetEnvironmentVariable("HOME") : Home;
        start.Environment["USER"] = start.Environment["LOGNAME"] = _name ?? Environment.UserName;
        start.Environment["PATH"] = _name is null ? Environment.GetEnvironmentVariable("PATH") : SystemPath();
        start.Environment["LANG"] = "C.UTF-8";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["UseSharedCompilation"] = "false";
        return start;
    }

    // What a fresh shell of a developer has too: the SDK's quiet-mode switches and the way to the package registry.
    private static bool Inherited(string key) =>
        key.StartsWith("DOTNET_CLI_", StringComparison.Ordinal) || key is "DOTNET_NOLOGO" or "DOTNET_GENERATE_ASPNET_CERTIFICATE" or "DOTNET_ROOT"
        || key.StartsWith("NUGET_CERT", StringComparison.Ordinal)
        || key.Equals("http_proxy", StringComparison.OrdinalIgnoreCase) || key.Equals("https_proxy", StringComparison.OrdinalIgnoreCase) || key.Equals("no_proxy", StringComparison.OrdinalIgnoreCase);

    // A new user's PATH: the system directories and the one holding the dotnet running these tests (never root's own
    // tool directories, which that user cannot enter).
    private static string SystemPath()
    {
        var path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        var dotnet = Environment.ProcessPath;
        return dotnet is not null && Path.GetFileName(dotnet) == "dotnet" ? Path.GetDirectoryName(dotnet) + ":" + path : path;
    }

    public async ValueTask DisposeAsync()
    {
        if (_name is not null)
        {
            await KillLeftoversAsync(_name);
            await Shell.TryAsync(new ProcessStartInfo("userdel", ["--remove", _name]));
        }

        try
        {
            Directory.Delete(_temp, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp dir left behind does not fail the test.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // Anything the throwaway user still runs was started by this test through the script; userdel refuses otherwise.
    private static async Task KillLeftoversAsync(string name)
    {
        var (_, uid) = await Shell.TryAsync(new ProcessStartInfo("id", ["-u", name]));
        uid = uid.Trim();
        if (uid.Length == 0)
        {
            return;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var owner = File.ReadLines(Path.Combine(dir, "status")).FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
                if (owner is not null && owner.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) == uid)
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                // The process ended meanwhile.
            }
        }
    }
}

/// <summary>Short helper commands for the script tests, bounded in time.</summary>
internal static class Shell
{
    public static async Task RunAsync(string file, IEnumerable<string> args)
    {
        var (exit, output) = await TryAsync(new ProcessStartInfo(file, args));
        if (exit != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {exit}: {output}");
        }
    }

    public static async Task<(int ExitCode, string Output)> TryAsync(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} did not finish within 5 minutes");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
