using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Host.Tests.Deploy;

/// <summary>
/// Issue 15, "supply chain": restoring with the repository's own Directory.Build.props and Directory.Packages.props,
/// a package with a known advisory fails restore with the NU190x line naming it, and a suppression accepts exactly the
/// one advisory it names. The advisory database is a local audit source (the package registry here serves none), so
/// the test does not depend on which real advisories exist today.
/// </summary>
public sealed class SupplyChainAuditTests : IAsyncDisposable
{
    private const string First = "https://github.com/advisories/GHSA-test-chat-0001";
    private const string Second = "https://github.com/advisories/GHSA-test-chat-0002";
    private static readonly string Root = DeployFilesTests.RepositoryRoot();
    private readonly string _dir = Directory.CreateTempSubdirectory("audit-").FullName;
    private WebApplication? _feed;

    public async ValueTask DisposeAsync()
    {
        if (_feed is not null)
        {
            await _feed.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task VulnerablePackage_FailsRestore_WithALineNamingThePackageAndTheAdvisory()
    {
        await ProjectAsync(advisories: [(First, 2)], suppressed: []);

        var (exit, output) = await RestoreAsync();

        Assert.NotEqual(0, exit);
        Assert.Matches(new Regex($@"error NU1903: .*Package 'Dapper' [0-9.]+ has a known high severity vulnerability, {Regex.Escape(First)}"), output);
    }

    [Theory]
    [InlineData(0, "NU1901")]
    [InlineData(1, "NU1902")]
    [InlineData(3, "NU1904")]
    public async Task EverySeverity_FailsRestore(int severity, string code)
    {
        await ProjectAsync(advisories: [(First, severity)], suppressed: []);

        var (exit, output) = await RestoreAsync();

        Assert.NotEqual(0, exit);
        Assert.Contains($"error {code}:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suppression_AcceptsTheOneAdvisoryItNames_NotAnother()
    {
        await ProjectAsync(advisories: [(First, 2)], suppressed: [First]);
        var (exit, output) = await RestoreAsync();
        Assert.True(exit == 0, output);

        await ProjectAsync(advisories: [(First, 2), (Second, 2)], suppressed: [First]);
        (exit, output) = await RestoreAsync();
        Assert.NotEqual(0, exit);
        Assert.Contains(Second, output, StringComparison.Ordinal);
        Assert.DoesNotContain($"vulnerability, {First}", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRepository_NeverTurnsTheAuditOff_AndEverySuppressionSaysWhy()
    {
        var files = Directory.EnumerateFiles(Root, "*.props", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Root, "*.csproj", SearchOption.AllDirectories))
            .Concat(Directory.EnumerateFiles(Root, "*.targets", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotMatch(new Regex(@"<NuGetAudit>\s*false", RegexOptions.IgnoreCase), text);
            Assert.DoesNotMatch(new Regex(@"<(NoWarn|WarningsNotAsErrors)>[^<]*NU190[1-4]"), text);
            // Items inside a comment (the example in Directory.Build.props) are not suppressions.
            var comments = Regex.Matches(text, "<!--.*?-->", RegexOptions.Singleline).Select(c => (c.Index, End: c.Index + c.Length)).ToList();
            foreach (Match m in Regex.Matches(text, @"(?<before>[^\n]*\n)?[^\n]*<NuGetAuditSuppress\s+Include=""(?<id>[^""]+)""[^\n]*"))
            {
                var at = m.Groups["id"].Index;
                if (comments.Any(c => at > c.Index && at < c.End))
                {
                    continue;
                }

                // One advisory per item (a URL, no wildcard or list), with the reason in a comment on or above its line.
                Assert.Matches(new Regex(@"^https://\S+$"), m.Groups["id"].Value);
                Assert.True(m.Value.Contains("<!--", StringComparison.Ordinal), $"{file}: the suppression of {m.Groups["id"].Value} needs a comment saying why");
            }
        }

        var props = File.ReadAllText(Path.Combine(Root, "Directory.Build.props"));
        Assert.Contains("<NuGetAudit>true</NuGetAudit>", props, StringComparison.Ordinal);
        Assert.Contains("<NuGetAuditMode>all</NuGetAuditMode>", props, StringComparison.Ordinal);
        Assert.Contains("<TreatWarningsAsErrors>true</TreatWarningsAsErrors>", props, StringComparison.Ordinal);
    }

    /// <summary>A one-project copy of the repository's build settings that references Dapper (restored from the local cache).</summary>
    private async Task ProjectAsync((string Url, int Severity)[] advisories, string[] suppressed)
    {
        if (_feed is not null)
        {
            await _feed.DisposeAsync();
        }

        _feed = await StartFeedAsync(advisories);
        var feed = _feed.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        foreach (var name in (string[])["Directory.Build.props", "Directory.Packages.props", "BannedSymbols.txt", "global.json"])
        {
            File.Copy(Path.Combine(Root, name), Path.Combine(_dir, name), overwrite: true);
        }

        await File.WriteAllTextAsync(Path.Combine(_dir, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <auditSources>
                <clear />
                <add key="local-advisories" value="{feed}/v3/index.json" allowInsecureConnections="true" />
              </auditSources>
            </configuration>
            """);
        var suppressions = string.Concat(suppressed.Select(s => $"""<NuGetAuditSuppress Include="{s}" /><!-- accepted in this test -->"""));
        await File.WriteAllTextAsync(Path.Combine(_dir, "probe.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup><PackageReference Include="Dapper" />{suppressions}</ItemGroup>
            </Project>
            """);
        if (Directory.Exists(Path.Combine(_dir, "obj")))
        {
            Directory.Delete(Path.Combine(_dir, "obj"), recursive: true);
        }
    }

    private static async Task<WebApplication> StartFeedAsync((string Url, int Severity)[] advisories)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        string Base(HttpContext c) => $"{c.Request.Scheme}://{c.Request.Host}";
        app.MapGet("/v3/index.json", (HttpContext c) => Results.Json(new { version = "3.0.0", resources = new[] { new Dictionary<string, string> { ["@id"] = Base(c) + "/v3/vulnerabilities.json", ["@type"] = "VulnerabilityInfo/6.7.0" } } }));
        app.MapGet("/v3/vulnerabilities.json", (HttpContext c) => Results.Json(new[] { new Dictionary<string, string> { ["@name"] = "all", ["@id"] = Base(c) + "/v3/all.json", ["@updated"] = DateTime.UtcNow.ToString("O") } }));
        app.MapGet("/v3/all.json", () => Results.Json(new Dictionary<string, object>
        {
            ["dapper"] = advisories.Select(a => new { url = a.Url, severity = a.Severity, versions = "[0.0.1, 99.0.0)" }).ToArray(),
        }));
        await app.StartAsync();
        return app;
    }

    private async Task<(int Exit, string Output)> RestoreAsync()
    {
        var start = new ProcessStartInfo("dotnet", ["restore", Path.Combine(_dir, "probe.csproj"), "--force", "--no-cache"])
        {
            WorkingDirectory = _dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The test host's MSBuild variables would point the child at this build; a developer's shell has none.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
