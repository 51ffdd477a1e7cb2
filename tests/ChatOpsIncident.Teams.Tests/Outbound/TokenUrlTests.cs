namespace ChatOpsIncident.Teams.Tests.Outbound;

/// <summary>Azure creates single-tenant bots: with Teams:TenantId the Connector token comes from that tenant.</summary>
public sealed class TokenUrlTests
{
    [Fact]
    public void TenantSet_ConnectorAndGraphTokensFromTheTenant()
    {
        var options = new TeamsOptions { TenantId = "7a1c3e55-0000-4000-8000-000000000001" };

        Assert.Equal("https://login.microsoftonline.com/7a1c3e55-0000-4000-8000-000000000001/oauth2/v2.0/token", options.ConnectorTokenUrl);
        Assert.Equal(options.ConnectorTokenUrl, options.GraphTokenEndpoint);
    }

    [Fact]
    public void NoTenant_MultiTenantEndpoint()
    {
        Assert.Equal("https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token", new TeamsOptions().ConnectorTokenUrl);
    }

    [Fact]
    public void TokenUrlSet_WinsOverTheTenant()
    {
        var options = new TeamsOptions { TenantId = "contoso.onmicrosoft.com", TokenUrl = "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token" };

        Assert.Equal("https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token", options.ConnectorTokenUrl);
        Assert.Equal("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token", options.GraphTokenEndpoint);
    }
}
