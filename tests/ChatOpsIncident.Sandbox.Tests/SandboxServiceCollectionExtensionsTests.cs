using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Inbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Sandbox.Tests;

public sealed class SandboxServiceCollectionExtensionsTests
{
    private static IServiceCollection Add(string environment, Dictionary<string, string?> settings) =>
        new ServiceCollection().AddSandbox(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), new Environment(environment));

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData("Testing")]
    public void Enabled_OutsideDevelopment_IsRefusedWithOneLine(string environment)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Add(environment, new() { ["Sandbox:Enabled"] = "true" }));

        Assert.StartsWith($"Sandbox:Enabled=true is refused in the {environment} environment", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Off_RegistersNothing_InAnyEnvironment()
    {
        Assert.Empty(Add("Production", []));
        Assert.Empty(Add("Development", new() { ["Sandbox:Enabled"] = "false" }));
    }

    [Fact]
    public void InDevelopment_ThePlatformAndItsInboxHandlerAreRegistered()
    {
        var services = Add("Development", new() { ["Sandbox:Enabled"] = "true" });

        Assert.Contains(services, d => d.ServiceType == typeof(IChatPlatform));
        Assert.Contains(services, d => d.ServiceType == typeof(IInboxHandler));
    }

    [Fact]
    public void Alone_SeveritiesWithoutStakeholders_FanOutToTheStakeholderChannel_ButNotBesideSlack()
    {
        static IncidentOptions Configured(Dictionary<string, string?> settings)
        {
            var services = Add("Development", settings);
            services.Configure<IncidentOptions>(o => o.Severities = [new SeverityOptions { Name = "SEV1" }, new SeverityOptions { Name = "SEV2", Stakeholders = ["C-exec"] }]);
            using var provider = services.BuildServiceProvider();
            return provider.GetRequiredService<IOptions<IncidentOptions>>().Value;
        }

        var alone = Configured(new() { ["Sandbox:Enabled"] = "true" });
        var besideSlack = Configured(new() { ["Sandbox:Enabled"] = "true", ["Slack:BotToken"] = "xoxb-1" });

        Assert.Equal([["stakeholders"], ["C-exec"]], alone.Severities.Select(s => s.Stakeholders));
        Assert.Equal([[], ["C-exec"]], besideSlack.Severities.Select(s => s.Stakeholders));
    }

    [Theory]
    [InlineData("Alice")]
    [InlineData("chatops")]
    [InlineData("9lives")]
    public void Users_WithBadNames_AreRefused_NamingTheKey(string name)
    {
        var result = new SandboxOptionsValidator().Validate(null, new SandboxOptions { Users = ["bob", name] });

        Assert.True(result.Failed);
        Assert.Contains($"Sandbox:Users holds '{name}'", result.FailureMessage, StringComparison.Ordinal);
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "ChatOpsIncident.Host";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
