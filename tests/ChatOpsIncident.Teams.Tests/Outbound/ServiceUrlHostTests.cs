using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Teams.Outbound;
using ChatOpsIncident.Teams.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Teams.Tests.Outbound;

/// <summary>Issue 13, "the Connector token may go to any stored serviceUrl": only Teams:ServiceUrlHosts get a call.</summary>
public sealed class ServiceUrlHostTests : IDisposable
{
    private readonly BotFrameworkStub _stub = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ServiceProvider _services;

    public ServiceUrlHostTests() => _services = TeamsTestServices.Build(_stub, logging: _logs);

    public void Dispose()
    {
        _services.Dispose();
        _stub.Dispose();
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/teams/", true)]
    [InlineData("https://smba.trafficmanager.net/amer/", true)]
    [InlineData("https://europe.webchat.botframework.com/", true)]
    [InlineData("https://SMBA.TrafficManager.NET/emea/", true)]
    [InlineData("https://botframework.com/", false)]
    [InlineData("https://evilbotframework.com/", false)]
    [InlineData("https://smba.trafficmanager.net.evil.example/teams/", false)]
    [InlineData("https://smba.trafficmanager.net@evil.example/teams/", false)]
    [InlineData("https://user@smba.trafficmanager.net/teams/", false)]
    [InlineData("ftp://smba.trafficmanager.net/teams/", false)]
    [InlineData("/teams/", false)]
    [InlineData(null, false)]
    public void DefaultHosts_AreTheBotFrameworkOnes(string? serviceUrl, bool allowed)
    {
        Assert.Equal(allowed, ServiceUrls.IsAllowed(serviceUrl, TeamsOptions.DefaultServiceUrlHosts));
    }

    [Fact]
    public async Task StoredServiceUrlOnAnotherHost_IsRefused_NoTokenIsFetched_AndTheRefusalIsLoggedWithoutSecrets()
    {
        var connector = _services.GetRequiredService<ConnectorClient>();

        var ex = await Assert.ThrowsAsync<PermanentChatException>(() =>
            connector.SendToConversationAsync("https://connector.evil.example/amer/", "19:x@thread.tacv2", new JsonObject { ["type"] = "message" }, CancellationToken.None));

        Assert.Contains("Teams:ServiceUrlHosts", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_stub.TokenRequests());
        var line = Assert.Single(_logs.Lines, m => m.Contains("connector.evil.example", StringComparison.Ordinal));
        Assert.DoesNotContain(BotFrameworkStub.AppPassword, line, StringComparison.Ordinal);
        Assert.DoesNotContain(BotFrameworkStub.ConnectorToken, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfiguredHost_IsCalled()
    {
        var connector = _services.GetRequiredService<ConnectorClient>();

        await connector.SendToConversationAsync(_stub.ServiceUrl, "19:x@thread.tacv2", new JsonObject { ["type"] = "message" }, CancellationToken.None);

        Assert.Single(_stub.Requests("POST", "/amer/v3/conversations/"));
    }

    [Fact]
    public void TeamsWithoutATenant_DoesNotStart_AndNamesTheKey()
    {
        using var services = TeamsTestServices.Build(_stub, extra: new Dictionary<string, string?> { ["Teams:TenantId"] = null });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<TeamsOptions>>().Value);

        Assert.Contains("Teams:TenantId (or Teams:AllowedTenants) is required when Teams:AppId is set", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AllowedTenants_ReplaceTheDefaultOfTenantId()
    {
        using var services = TeamsTestServices.Build(_stub, extra: new Dictionary<string, string?> { ["Teams:AllowedTenants:0"] = "other-tenant" });

        var options = services.GetRequiredService<IOptions<TeamsOptions>>().Value;

        Assert.True(options.AllowsTenant("other-tenant"));
        Assert.False(options.AllowsTenant(BotFrameworkStub.TenantId));
        Assert.False(options.AllowsTenant(null));
    }
}
