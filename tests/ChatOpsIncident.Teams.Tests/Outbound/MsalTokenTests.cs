using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Teams.Outbound;
using ChatOpsIncident.Teams.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ChatOpsIncident.Teams.Tests.Outbound;

/// <summary>
/// Issue 15, "Teams credentials through MSAL": Connector and Graph tokens come from MSAL's confidential client (against
/// the stub's HTTPS login endpoint, trusted by pinning its certificate), with a client secret or a certificate.
/// </summary>
public sealed class MsalTokenTests : IDisposable
{
    private readonly BotFrameworkStub _stub = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly List<ServiceProvider> _built = [];
    private readonly string _dir = Directory.CreateTempSubdirectory("teams-cert-").FullName;

    public void Dispose()
    {
        foreach (var s in _built)
        {
            s.Dispose();
        }

        _stub.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private ServiceProvider Services(Dictionary<string, string?>? extra = null)
    {
        var services = TeamsTestServices.Build(_stub, extra: extra, logging: _logs);
        _built.Add(services);
        return services;
    }

    private static JsonObject Message() => new() { ["type"] = "message", ["text"] = "hello" };

    private static Dictionary<string, string> Form(WireMock.Logging.ILogEntry entry) =>
        (entry.RequestMessage!.Body ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : ""));

    [Fact]
    public async Task SeveralConnectorCalls_OneTokenRequest_ThenTheCachedTokenIsReused_GraphHasItsOwn()
    {
        var services = Services();
        var connector = services.GetRequiredService<ConnectorClient>();
        var graph = services.GetRequiredService<GraphClient>();

        await connector.SendToConversationAsync(_stub.ServiceUrl, "a:one", Message(), CancellationToken.None);
        await connector.CreateConversationAsync(_stub.ServiceUrl, new JsonObject { ["isGroup"] = true, ["activity"] = Message() }, CancellationToken.None);
        await connector.UpdateActivityAsync(_stub.ServiceUrl, "a:one", "1001", Message(), CancellationToken.None);
        await connector.SendToConversationAsync(_stub.ServiceUrl, "a:two", Message(), CancellationToken.None);
        await graph.CreateChannelAsync(BotFrameworkStub.TeamId, "inc-1-cache", "d", isPrivate: false, null, CancellationToken.None);
        await graph.FindChannelByNameAsync(BotFrameworkStub.TeamId, "inc-1-cache", CancellationToken.None);

        var tokens = _stub.TokenRequests();
        Assert.Equal(2, tokens.Count);
        var connectorForm = Form(tokens[0]);
        Assert.Equal("client_credentials", connectorForm["grant_type"]);
        Assert.Equal(BotFrameworkStub.AppId, connectorForm["client_id"]);
        Assert.Equal(BotFrameworkStub.AppPassword, connectorForm["client_secret"]);
        Assert.Contains("https://api.botframework.com/.default", connectorForm["scope"], StringComparison.Ordinal);
        Assert.Contains("https://graph.microsoft.com/.default", Form(tokens[1])["scope"], StringComparison.Ordinal);
        var connectorCalls = _stub.Server.LogEntries.Where(e => e.RequestMessage!.Path.StartsWith("/amer/", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, connectorCalls.Count);
        Assert.All(connectorCalls, e => Assert.Equal("Bearer " + BotFrameworkStub.ConnectorToken, e.RequestMessage!.Headers!["Authorization"].Single()));
        var graphCalls = _stub.Server.LogEntries.Where(e => e.RequestMessage!.Path.StartsWith("/graph/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, graphCalls.Count);
        Assert.All(graphCalls, e => Assert.Equal("Bearer " + BotFrameworkStub.GraphToken, e.RequestMessage!.Headers!["Authorization"].Single()));
    }

    [Fact]
    public async Task CertificateCredential_SendsASignedClientAssertion_NotASecret()
    {
        using var certificate = BotFrameworkStub.SelfSigned("CN=chatops-incident-bot");
        var path = Path.Combine(_dir, "bot.pfx");
        await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pkcs12, "pfx-pass"));
        var services = Services(new()
        {
            ["Teams:AppPassword"] = null,
            ["Teams:CertificatePath"] = path,
            ["Teams:CertificatePassword"] = "pfx-pass",
        });

        await services.GetRequiredService<ConnectorClient>().SendToConversationAsync(_stub.ServiceUrl, "a:one", Message(), CancellationToken.None);

        var form = Form(Assert.Single(_stub.TokenRequests()));
        Assert.False(form.ContainsKey("client_secret"), "a certificate credential sends no secret");
        Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", form["client_assertion_type"]);
        using var publicOnly = X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert));
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(form["client_assertion"], new TokenValidationParameters
        {
            IssuerSigningKey = new X509SecurityKey(publicOnly),
            ValidIssuer = BotFrameworkStub.AppId,
            ValidAudience = _stub.TokenUrl,
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        Assert.Equal(BotFrameworkStub.AppId, ((JsonWebToken)validation.SecurityToken).Subject);
        Assert.Single(_stub.Requests("POST", "/amer/v3/conversations/"));
    }

    [Fact]
    public async Task PemCertificateWithSeparateKey_IsAccepted()
    {
        using var certificate = BotFrameworkStub.SelfSigned("CN=chatops-incident-bot");
        var crt = Path.Combine(_dir, "tls.crt");
        var key = Path.Combine(_dir, "tls.key");
        await File.WriteAllTextAsync(crt, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(key, certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var services = Services(new() { ["Teams:AppPassword"] = null, ["Teams:CertificatePath"] = crt, ["Teams:CertificateKeyPath"] = key });

        await services.GetRequiredService<ConnectorClient>().SendToConversationAsync(_stub.ServiceUrl, "a:one", Message(), CancellationToken.None);

        Assert.Contains("client_assertion", Form(Assert.Single(_stub.TokenRequests())).Keys);
    }

    [Fact]
    public async Task CertificateFromTheStore_ByThumbprint_SendsAClientAssertion()
    {
        using var certificate = BotFrameworkStub.SelfSigned("CN=chatops-incident-bot-store");
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadWrite);
        store.Add(certificate);
        try
        {
            var services = Services(new() { ["Teams:AppPassword"] = null, ["Teams:CertificateThumbprint"] = certificate.Thumbprint.ToLowerInvariant() });

            await services.GetRequiredService<ConnectorClient>().SendToConversationAsync(_stub.ServiceUrl, "a:one", Message(), CancellationToken.None);

            var form = Form(Assert.Single(_stub.TokenRequests()));
            Assert.False(form.ContainsKey("client_secret"));
            Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", form["client_assertion_type"]);
        }
        finally
        {
            store.Remove(certificate);
        }
    }

    [Fact]
    public async Task SingleTenantBot_GetsTokensFromItsTenantsEndpoint()
    {
        var services = Services(new()
        {
            ["Teams:TokenUrl"] = null,
            ["Teams:GraphTokenUrl"] = null,
            ["Teams:AuthorityHost"] = _stub.LoginUrl,
        });

        await services.GetRequiredService<ConnectorClient>().SendToConversationAsync(_stub.ServiceUrl, "a:one", Message(), CancellationToken.None);

        Assert.Single(_stub.TokenRequests(BotFrameworkStub.TenantId));
        Assert.Empty(_stub.TokenRequests("botframework.com"));
    }

    [Fact]
    public async Task TokenRefused_TheCallIsRefused_NothingIsPosted_AndTheSecretIsNotLogged()
    {
        _stub.Login.Given(Request.Create().WithPath("/botframework.com/oauth2/v2.0/token").UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret {{BotFrameworkStub.AppPassword}}","error_codes":[7000215]}"""));
        var connector = Services().GetRequiredService<ConnectorClient>();

        var ex = await Assert.ThrowsAsync<PermanentChatException>(() => connector.SendToConversationAsync(_stub.ServiceUrl, "a:one", Message(), CancellationToken.None));

        Assert.Contains("invalid_client", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Teams:AppPassword", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(BotFrameworkStub.AppPassword, ex.ToString(), StringComparison.Ordinal);
        Assert.Empty(_stub.Requests("POST", "/amer/"));
        Assert.Contains(_logs.Lines, l => l.Contains("failed with HTTP 401 invalid_client", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(BotFrameworkStub.AppPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TokenEndpointUnavailableOnce_IsRetried_AndTheCallGoesThrough()
    {
        _stub.Login.Given(Request.Create().WithPath("/botframework.com/oauth2/v2.0/token").UsingPost())
            .InScenario("login").WillSetStateTo("recovered").AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(503));
        var connector = Services().GetRequiredService<ConnectorClient>();

        await connector.SendToConversationAsync(_stub.ServiceUrl, "a:one", Message(), CancellationToken.None);

        Assert.Equal(2, _stub.TokenRequests().Count);
        Assert.Single(_stub.Requests("POST", "/amer/v3/conversations/"));
    }

    [Fact]
    public async Task TokenEndpointStillUnavailable_FailsTransiently_SoTheOutboxRetriesLater()
    {
        _stub.Login.Given(Request.Create().WithPath("/graph-tenant/oauth2/v2.0/token").UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(500).WithHeader("Content-Type", "application/json")
                .WithBody("""{"error":"server_error","error_description":"AADSTS50000: There was an error issuing a token."}"""));
        var graph = Services(new() { ["Teams:GraphTokenUrl"] = _stub.TenantTokenUrl("graph-tenant") }).GetRequiredService<GraphClient>();

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => graph.FindChannelByNameAsync(BotFrameworkStub.TeamId, "inc-1", CancellationToken.None));

        Assert.Contains("HTTP 500", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_stub.Requests("GET", "/graph/"));
    }

    [Fact]
    public async Task ConnectorRefusesTheCachedToken_AFreshOneIsForced_Once()
    {
        _stub.Server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/amer/v3/conversations/*/activities")).UsingPost())
            .InScenario("expired").WillSetStateTo("fresh").AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(401));
        var connector = Services().GetRequiredService<ConnectorClient>();
        await connector.SendToConversationAsync(_stub.ServiceUrl, "a:zero", Message(), CancellationToken.None);

        Assert.Equal(2, _stub.TokenRequests().Count);
        await connector.SendToConversationAsync(_stub.ServiceUrl, "a:one", Message(), CancellationToken.None);
        Assert.Equal(2, _stub.TokenRequests().Count);
        Assert.Equal(3, _stub.Requests("POST", "/amer/v3/conversations/").Count);
    }

    [Theory]
    [InlineData("Teams:TokenUrl", "http://login.example.com/botframework.com/oauth2/v2.0/token", "Teams:TokenUrl must be an https Entra token endpoint")]
    [InlineData("Teams:GraphTokenUrl", "https://login.example.com/token", "Teams:GraphTokenUrl must be an https Entra token endpoint")]
    [InlineData("Teams:CertificatePath", "/nonexistent/bot.pfx", "Set only one of Teams:AppPassword, Teams:CertificatePath and Teams:CertificateThumbprint")]
    public void BadCredentialSettings_StopStartUp_NamingTheKey(string key, string value, string expected)
    {
        var services = Services(new() { [key] = value });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<TeamsOptions>>().Value);

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificateThatDoesNotLoad_StopsStartUp_WithoutThePassword()
    {
        using var certificate = BotFrameworkStub.SelfSigned("CN=chatops-incident-bot");
        var path = Path.Combine(_dir, "bot.pfx");
        await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pkcs12, "right-password"));
        var services = Services(new() { ["Teams:AppPassword"] = null, ["Teams:CertificatePath"] = path, ["Teams:CertificatePassword"] = "wrong-password-xyz" });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<TeamsOptions>>().Value);

        Assert.Contains($"Teams:CertificatePath '{path}' could not be loaded", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-xyz", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TokenAuthority_KeepsDiscoveryForMicrosoftsHosts_Only()
    {
        var microsoft = TokenAuthority.TryParse("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token")!;
        var custom = TokenAuthority.TryParse(_stub.TokenUrl)!;

        Assert.Equal("https://login.microsoftonline.com/contoso.onmicrosoft.com/", microsoft.Authority);
        Assert.True(microsoft.KnownHost);
        Assert.Equal(_stub.LoginUrl + "/botframework.com/", custom.Authority);
        Assert.False(custom.KnownHost);
        Assert.Null(TokenAuthority.TryParse("https://login.microsoftonline.com/oauth2/v2.0/token"));
    }
}
