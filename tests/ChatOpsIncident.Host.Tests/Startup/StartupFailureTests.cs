using System.Diagnostics;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.Host.Tests.Startup;

/// <summary>Starts the real host process with bad settings: it must stop with one line naming the key.</summary>
public sealed class StartupFailureTests
{
    private static async Task<(int ExitCode, string StdErr, string StdOut)> RunHostAsync(Dictionary<string, string> environment)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ChatOpsIncident.Host.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Incidents"] = "";
        foreach (var (k, v) in environment)
        {
            start.Environment[k] = v;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The host did not stop on a bad setting.");
        }

        return (process.ExitCode, (await stderr).Trim(), await stdout);
    }

    private static string Database() =>
        Environment.GetEnvironmentVariable(TestDatabase.EnvironmentVariable) ?? throw new InvalidOperationException("run through test.sh");

    [Fact]
    public async Task MissingConnectionString_StopsWithOneLineNamingTheKey()
    {
        var (exit, stderr, _) = await RunHostAsync([]);

        Assert.Equal(1, exit);
        Assert.Single(stderr.Split('\n'));
        Assert.Contains("ConnectionStrings:Incidents", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SandboxOutsideDevelopment_StopsWithOneLine()
    {
        var (exit, stderr, _) = await RunHostAsync(new() { ["Sandbox__Enabled"] = "true", ["ConnectionStrings__Incidents"] = Database() });

        Assert.Equal(1, exit);
        Assert.Equal("ChatOpsIncident cannot start: Sandbox:Enabled=true is refused in the Production environment: the local workspace lets anyone act as anyone, so it runs only with ASPNETCORE_ENVIRONMENT=Development", stderr);
    }

    [Fact]
    public async Task BadSeverityCadence_StopsWithOneLineNamingTheKey()
    {
        var (exit, stderr, _) = await RunHostAsync(new()
        {
            ["ConnectionStrings__Incidents"] = Database(),
            ["Incident__Severities__1__UpdateCadence"] = "00:00:00",
        });

        Assert.Equal(1, exit);
        Assert.Single(stderr.Split('\n'));
        Assert.Contains("Incident:Severities:1:UpdateCadence", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableDatabase_StopsWithOneLine_WithoutThePassword()
    {
        var (exit, stderr, stdout) = await RunHostAsync(new()
        {
            ["ConnectionStrings__Incidents"] = "Host=127.0.0.1;Port=1;Username=x;Password=hunter2-secret;Timeout=2",
            ["Database__StartupTimeout"] = "00:00:02",
        });

        Assert.Equal(1, exit);
        Assert.Contains("ConnectionStrings:Incidents", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", stderr + stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HalfConfiguredSlack_StopsWithOneLineNamingTheKey_WithoutTheToken()
    {
        var (exit, stderr, _) = await RunHostAsync(new()
        {
            ["ConnectionStrings__Incidents"] = Database(),
            ["Slack__BotToken"] = "xoxb-secret-token",
        });

        Assert.Equal(1, exit);
        Assert.Single(stderr.Split('\n'));
        Assert.Equal("ChatOpsIncident cannot start: Slack:SigningSecret is required when Slack:BotToken is set (it verifies every request from Slack).", stderr);
    }
}
