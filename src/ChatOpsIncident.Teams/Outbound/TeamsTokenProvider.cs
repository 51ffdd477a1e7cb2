using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using ChatOpsIncident.Core.Processing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace ChatOpsIncident.Teams.Outbound;

/// <summary>
/// Client-credentials tokens for the Bot Connector and for Graph, acquired and cached by MSAL (a
/// <see cref="IConfidentialClientApplication"/> per authority, with a client secret or a certificate). MSAL serves a
/// cached token until shortly before it expires and then fetches a new one; a token the service refused (401) is
/// dropped by <see cref="Invalidate"/> so the next call forces a fresh one.
/// </summary>
internal sealed class TeamsTokenProvider : IDisposable
{
    public const string ConnectorScope = "https://api.botframework.com/.default";
    public const string GraphScope = "https://graph.microsoft.com/.default";

    private readonly IOptions<TeamsOptions> _options;
    private readonly IMsalHttpClientFactory _http;
    private readonly ILogger<TeamsTokenProvider> _logger;
    private readonly Lazy<X509Certificate2?> _certificate;
    private readonly ConcurrentDictionary<string, Lazy<IConfidentialClientApplication>> _apps = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _refused = new();

    public TeamsTokenProvider(IHttpClientFactory http, IOptions<TeamsOptions> options, ILogger<TeamsTokenProvider> logger)
    {
        _options = options;
        _http = new MsalHttpClients(http);
        _logger = logger;
        _certificate = new Lazy<X509Certificate2?>(() => options.Value.UsesCertificate ? TeamsCertificate.Load(options.Value) : null);
    }

    public Task<string> ConnectorTokenAsync(CancellationToken ct) => GetAsync(_options.Value.ConnectorTokenUrl, ConnectorScope, ct);

    public Task<string> GraphTokenAsync(CancellationToken ct) => GetAsync(_options.Value.GraphTokenEndpoint, GraphScope, ct);

    /// <summary>Drops a token the service refused (401), so the next call fetches a new one.</summary>
    public void Invalidate(string scope) => _refused[scope] = true;

    public void Dispose()
    {
        if (_certificate.IsValueCreated)
        {
            _certificate.Value?.Dispose();
        }
    }

    private async Task<string> GetAsync(string tokenUrl, string scope, CancellationToken ct)
    {
        var authority = TokenAuthority.TryParse(tokenUrl)
            ?? throw new PermanentChatException($"The token endpoint for {scope} is not an https Entra token endpoint (check Teams:TokenUrl and Teams:GraphTokenUrl).");
        var app = _apps.GetOrAdd(authority.Authority, _ => new Lazy<IConfidentialClientApplication>(() => Build(authority))).Value;
        var force = _refused.TryRemove(scope, out _);
        try
        {
            var result = await app.AcquireTokenForClient([scope]).WithForceRefresh(force).ExecuteAsync(ct);
            if (result.AuthenticationResultMetadata?.TokenSource == TokenSource.IdentityProvider)
            {
                Log.TokenAcquired(_logger, scope, result.ExpiresOn);
            }

            return result.AccessToken;
        }
        catch (MsalServiceException ex)
        {
            // MSAL's message carries the service's error_description, which may echo request details: only the status
            // and the OAuth error code leave this method, and the MSAL exception is not attached.
            if (force)
            {
                _refused[scope] = true;
            }

            Log.TokenFailed(_logger, scope, ex.StatusCode, ex.ErrorCode ?? "");
            var message = $"Token request for {scope} failed: HTTP {ex.StatusCode} {ex.ErrorCode}";
            if (ex.StatusCode is 400 or 401 or 403)
            {
                throw new PermanentChatException(message + $" (check Teams:AppId, {Credential()} and the tenant)");
            }

            throw new HttpRequestException(message, null, ex.StatusCode == 0 ? null : (HttpStatusCode)ex.StatusCode);
        }
        catch (MsalClientException ex)
        {
            // A local problem (credential, configuration): retrying changes nothing.
            Log.TokenFailed(_logger, scope, 0, ex.ErrorCode ?? "");
            throw new PermanentChatException($"Token request for {scope} could not be made: {ex.ErrorCode} (check {Credential()})");
        }
    }

    private string Credential() => _options.Value.UsesCertificate ? "the certificate (Teams:CertificatePath or Teams:CertificateThumbprint)" : "Teams:AppPassword";

    private IConfidentialClientApplication Build(TokenAuthority authority)
    {
        var o = _options.Value;
        var builder = ConfidentialClientApplicationBuilder.Create(o.AppId)
            .WithAuthority(authority.Authority, validateAuthority: authority.KnownHost)
            // Our named client retries 429/5xx (honouring Retry-After); MSAL's own extra retry would double that.
            .WithHttpClientFactory(_http, retryOnceOn5xx: false)
            .WithClientName("ChatOpsIncident");
        if (!authority.KnownHost)
        {
            // A host MSAL cannot discover (the tests' HTTPS stand-in, a proxy): use it as configured, without asking
            // login.microsoftonline.com about it. Microsoft's own hosts keep discovery and validation.
            builder = builder.WithInstanceDiscovery(false);
        }

        builder = _certificate.Value is { } certificate
            ? builder.WithCertificate(certificate, o.SendCertificateChain)
            : builder.WithClientSecret(o.AppPassword);
        Log.TokenClientCreated(_logger, authority.Authority, _certificate.Value is null ? "client secret" : "certificate", authority.KnownHost ? "on" : "off (custom host)");
        return builder.Build();
    }
}
