using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Host.Startup;
using ChatOpsIncident.Host.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace ChatOpsIncident.IntegrationTests.Web;

/// <summary>
/// A half-configured sign-in or a bad public address stops start-up with one line naming the key. (Program prints
/// StartupFailure's line and exits 1; these tests check the line from the registration that throws it.)
/// </summary>
public sealed class WebConfigurationTests
{
    private static Exception? Register(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return Record.Exception(() => new ServiceCollection().AddWebPages(configuration, new Environment()));
    }

    [Theory]
    [InlineData("https://slack.com", null, "x", "Auth:ClientId is required when Auth:Authority is set.")]
    [InlineData("https://slack.com", "id", "", "Auth:ClientSecret is required when Auth:Authority is set.")]
    [InlineData("http://login.example.com", "id", "x", "Auth:Authority must be an https URL (the OpenID Connect issuer).")]
    [InlineData("not a url", "id", "x", "Auth:Authority must be an https URL (the OpenID Connect issuer).")]
    public void HalfConfiguredSignIn_StopsStartup_NamingTheKey(string authority, string? clientId, string secret, string expected)
    {
        var ex = Register(new() { ["Auth:Authority"] = authority, ["Auth:ClientId"] = clientId, ["Auth:ClientSecret"] = secret });

        Assert.IsType<ConfigurationException>(ex);
        Assert.Equal(expected, StartupFailure.Describe(ex!));
    }

    [Fact]
    public void SignInOnLoopbackHttpIssuer_IsAccepted_ForLocalTesting()
    {
        Assert.Null(Register(new() { ["Auth:Authority"] = "http://127.0.0.1:8080", ["Auth:ClientId"] = "id", ["Auth:ClientSecret"] = "x" }));
    }

    [Fact]
    public void BadBaseUrl_StopsStartup_NamingTheKey()
    {
        var ex = Register(new() { ["Web:BaseUrl"] = "incidents.example.com" });

        Assert.Equal("Web:BaseUrl must be an absolute http(s) URL, not 'incidents.example.com'.", StartupFailure.Describe(ex!));
    }

    private sealed class Environment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";

        public string ApplicationName { get; set; } = "ChatOpsIncident.Host";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
