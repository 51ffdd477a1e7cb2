using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChatOpsIncident.Host.Tests.Scripts;

/// <summary>
/// The README's first command on a fresh machine, as a normal user: a clone of this repository's HEAD, `./run.sh` in it,
/// the local workspace answering at /sandbox, then Ctrl-C (SIGINT to the script) and the PostgreSQL the script started
/// gone. As root (CI) the test creates a throwaway user with a private (0700) home holding the clone and runs the script
/// as that user; otherwise it runs as the current user. The clone builds from nothing, so this takes minutes.
/// </summary>
// The scripts are bash on Linux (useradd, setpriv, /proc); so is this.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RunScriptTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(12);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task RunSh_FromAFreshCloneAsANormalUser_ServesTheWorkspace_AndStopsItsPostgreSqlOnCtrlC()
    {
        await using var machine = await FreshUser.CreateAsync();
        var clone = Path.Combine(machine.Home, "ChatOpsIncident");
        await Shell.RunAsync("git", ["clone", "--quiet", RepositoryRoot(), clone]);
        await machine.GiveAsync(machine.Home);

        var appPort = FreePort();
        var pgPort = FreePort();
        var url = $"http://127.0.0.1:{appPort}";
        var start = machine.StartInfo(clone, "bash", ["./run.sh"]);
        start.Environment["CHATOPS_URL"] = url;
        start.Environment["CHATOPS_PG_PORT"] = pgPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The packages the build needs, read-only, beside the user's home (not in it: the home is handed to the user).
        if (await PackageFallback.CreateAsync(RepositoryRoot(), machine.Shared) is { } fallback)
        {
            start.Environment["NUGET_FALLBACK_PACKAGES"] = fallback;
        }

        var output = new ConcurrentQueue<string>();
        using var script = new Process { StartInfo = start };
        script.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        script.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        try
        {
            Assert.True(script.Start());
            script.BeginOutputReadLine();
            script.BeginErrorReadLine();
            script.StandardInput.Close();

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            await WaitForOkAsync(http, url + "/healthz", script, output, StartTimeout);
            // The routes are mapped before the host listens: once it is up, the workspace answers or is not there.
            await WaitForOkAsync(http, url + "/sandbox", script, output, TimeSpan.FromMinutes(1));
            Assert.Contains(output, line => line.Contains($"open {url}/sandbox", StringComparison.Ordinal));
            Assert.True(await AcceptsAsync(pgPort), "run.sh should have started PostgreSQL on its port");

            // Ctrl-C reaches the script (a terminal signals the whole group; the script is the part that must act).
            await Shell.RunAsync("kill", ["-INT", script.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using (var stop = new CancellationTokenSource(StopTimeout))
            {
                await script.WaitForExitAsync(stop.Token);
            }

            Assert.Equal(130, script.ExitCode);
            Assert.False(await AcceptsAsync(pgPort), "PostgreSQL still answers after run.sh exited\n" + Tail(output));
            Assert.False(File.Exists(Path.Combine(clone, ".pgdata", "postmaster.pid")), "PostgreSQL's pid file is still there");
            Assert.False(await AcceptsAsync(appPort), "the bot still answers after run.sh exited");
        }
        finally
        {
            if (Running(script))
            {
                script.Kill(entireProcessTree: true);
            }

            // Whatever went wrong above, the cluster of the clone does not outlive the test.
            await Shell.TryAsync(machine.StartInfo(clone, "bash", ["deploy/pg.sh", "stop", ".pgdata"]));
        }
    }

    private static async Task WaitForOkAsync(HttpClient http, string url, Process script, ConcurrentQueue<string> output, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        HttpStatusCode? last = null;
        while (!deadline.IsCancellationRequested)
        {
            if (script.HasExited)
            {
                throw new InvalidOperationException($"run.sh exited with {script.ExitCode} before {url} answered:\n{Tail(output)}");
            }

            try
            {
                using var response = await http.GetAsync(url, deadline.Token);
                last = response.StatusCode;
                if (last == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Still building or starting: nothing listens yet.
            }
            catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
            {
                // One slow answer on a loaded machine; ask again.
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        throw new TimeoutException($"{url} did not answer 200 within {timeout} (last: {last?.ToString() ?? "no answer"}):\n{Tail(output)}");
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool Running(Process process)
    {
        try
        {
            return !process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return false; // never started
        }
    }

    private static string Tail(ConcurrentQueue<string> output) => string.Join('\n', output.TakeLast(60));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "run.sh")) && File.Exists(Path.Combine(dir.FullName, "ChatOpsIncident.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository (run.sh beside ChatOpsIncident.sln) is not above " + AppContext.BaseDirectory);
    }
}
