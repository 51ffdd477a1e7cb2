using System.ComponentModel.DataAnnotations;
using ChatOpsIncident.Teams.Outbound;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Teams;

/// <summary>The <c>Teams</c> section. The adapter is on when <see cref="AppId"/> is set.</summary>
public sealed class TeamsOptions
{
    public const string SectionName = "Teams";

    /// <summary>The bot's Microsoft App ID (Entra application id): the audience of inbound tokens.</summary>
    public string? AppId { get; set; }

    /// <summary>The client secret of the app; used for Connector and Graph tokens. Never logged. Or a certificate below.</summary>
    public string? AppPassword { get; set; }

    /// <summary>
    /// A certificate credential instead of <see cref="AppPassword"/>: a PKCS#12 file (.pfx/.p12, with
    /// <see cref="CertificatePassword"/>) or a PEM certificate whose private key is in the same file or in
    /// <see cref="CertificateKeyPath"/>. MSAL signs a client assertion with it, so no secret travels.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of the PKCS#12 file or of an encrypted PEM key. Never logged.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>PEM private key of a PEM <see cref="CertificatePath"/>, when it is not in the same file (a Kubernetes TLS secret's tls.key).</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>A certificate from the store (CurrentUser\My, then LocalMachine\My) by SHA-1 thumbprint, instead of a file.</summary>
    public string? CertificateThumbprint { get; set; }

    /// <summary>Send the certificate chain (x5c) with each token request: needed for subject-name/issuer ("SNI") registration.</summary>
    public bool SendCertificateChain { get; set; }

    /// <summary>The tenant of a single-tenant bot and of Graph calls.</summary>
    public string? TenantId { get; set; }

    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>
    /// Token endpoint for the Connector token. Default: the tenant's endpoint when <see cref="TenantId"/> is set (Azure
    /// creates single-tenant bots), otherwise the multi-tenant botframework.com one; a multi-tenant bot that sets a
    /// tenant for the allow-list sets this to https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token.
    /// </summary>
    public string? TokenUrl { get; set; }

    /// <summary>
    /// The Entra login host the default token endpoints are on (<c>https://login.microsoftonline.us</c> for US Gov).
    /// MSAL validates the authority only on Microsoft's own hosts; any other host is used as configured.
    /// </summary>
    public string AuthorityHost { get; set; } = "https://login.microsoftonline.com";

    /// <summary>Token endpoint for Graph; defaults to the tenant's endpoint, or <see cref="TokenUrl"/> without a tenant.</summary>
    public string? GraphTokenUrl { get; set; }

    public string GraphBaseUrl { get; set; } = "https://graph.microsoft.com/v1.0/";

    /// <summary>The Graph team (group) id where incident channels are created.</summary>
    public string? TeamId { get; set; }

    /// <summary>Channel id (19:…@thread.tacv2) where declarations are announced.</summary>
    public string? FeedChannel { get; set; }

    /// <summary>Where proactive messages go for a conversation the bot has not heard from yet.</summary>
    public string DefaultServiceUrl { get; set; } = "https://smba.trafficmanager.net/teams/";

    /// <summary>Reaction types that put a bot message on the timeline; empty = any reaction.</summary>
    public List<string> TimelineReactions { get; set; } = [];

    /// <summary>Issuer of Connector tokens (US Gov clouds use another).</summary>
    public string TokenIssuer { get; set; } = "https://api.botframework.com";

    /// <summary>One attempt's timeout; the whole call (four attempts) may take four times this, and Polly caps that at a day.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "06:00:00", MinimumIsExclusive = true, ErrorMessage = "Teams:RequestTimeout must be positive (at most 06:00:00).")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Entra tenants whose activities are accepted; empty = just <see cref="TenantId"/>. Anyone can sideload a manifest
    /// with our bot id into their own tenant, so an activity from elsewhere is refused (403) before anything is stored.
    /// </summary>
    public List<string> AllowedTenants { get; set; } = [];

    /// <summary>
    /// Hosts the Connector token may be sent to (a leading <c>*.</c> matches subdomains). Every Teams service URL is on
    /// one of the defaults; an activity or stored conversation pointing elsewhere is refused, so the token never leaves.
    /// </summary>
    public List<string> ServiceUrlHosts { get; set; } = [];

    internal static readonly string[] DefaultServiceUrlHosts = ["smba.trafficmanager.net", "*.botframework.com", "*.botframework.us", "*.botframework.azure.us"];

    public bool Enabled => !string.IsNullOrWhiteSpace(AppId);

    internal IReadOnlyCollection<string> Tenants => AllowedTenants.Count > 0
        ? AllowedTenants
        : string.IsNullOrWhiteSpace(TenantId) ? [] : [TenantId];

    internal IReadOnlyList<string> Hosts => ServiceUrlHosts.Count > 0 ? ServiceUrlHosts : DefaultServiceUrlHosts;

    internal bool AllowsTenant(string? tenant) =>
        tenant is { Length: > 0 } && Tenants.Contains(tenant, StringComparer.OrdinalIgnoreCase);

    internal bool AllowsServiceUrl(string? serviceUrl) => ServiceUrls.IsAllowed(serviceUrl, Hosts);

    internal string ConnectorTokenUrl => !string.IsNullOrWhiteSpace(TokenUrl)
        ? TokenUrl
        : !string.IsNullOrWhiteSpace(TenantId)
            ? TenantEndpoint(TenantId)
            : TenantEndpoint("botframework.com");

    private string TenantEndpoint(string tenant) => $"{AuthorityHost.TrimEnd('/')}/{Uri.EscapeDataString(tenant)}/oauth2/v2.0/token";

    internal bool UsesCertificate => !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(CertificateThumbprint);

    internal string GraphTokenEndpoint => !string.IsNullOrWhiteSpace(GraphTokenUrl)
        ? GraphTokenUrl
        : !string.IsNullOrWhiteSpace(TenantId)
            ? TenantEndpoint(TenantId)
            : ConnectorTokenUrl;
}

/// <summary>The endpoints must be absolute http(s) URLs; runs on start with the DataAnnotations.</summary>
internal sealed class TeamsOptionsValidator : IValidateOptions<TeamsOptions>
{
    public ValidateOptionsResult Validate(string? name, TeamsOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        RequireAbsolute(builder, options.OpenIdMetadataUrl, "Teams:OpenIdMetadataUrl");
        RequireTokenEndpoint(builder, options.ConnectorTokenUrl, "Teams:TokenUrl");
        RequireTokenEndpoint(builder, options.GraphTokenEndpoint, "Teams:GraphTokenUrl");
        if (options.Enabled)
        {
            ValidateCredential(builder, options);
        }

        RequireAbsolute(builder, options.GraphBaseUrl, "Teams:GraphBaseUrl");
        RequireAbsolute(builder, options.DefaultServiceUrl, "Teams:DefaultServiceUrl");
        if (options.Enabled && options.Tenants.Count == 0)
        {
            // Fail closed: without a tenant list every organisation that sideloads our bot id could declare incidents here.
            builder.AddError("Teams:TenantId (or Teams:AllowedTenants) is required when Teams:AppId is set (activities from other tenants are refused).");
        }

        if (options.Enabled && !options.AllowsServiceUrl(options.DefaultServiceUrl))
        {
            builder.AddError("Teams:DefaultServiceUrl must be on one of Teams:ServiceUrlHosts (the Connector token is sent there).");
        }
        return builder.Build();
    }

    /// <summary>Exactly one credential, and a certificate that loads with its private key (checked on start, not at the first post).</summary>
    private static void ValidateCredential(ValidateOptionsResultBuilder builder, TeamsOptions options)
    {
        var secret = !string.IsNullOrEmpty(options.AppPassword);
        var file = !string.IsNullOrWhiteSpace(options.CertificatePath);
        var store = !string.IsNullOrWhiteSpace(options.CertificateThumbprint);
        if (!secret && !file && !store)
        {
            builder.AddError("Teams:AppPassword is required when Teams:AppId is set (the bot's client secret), unless Teams:CertificatePath or Teams:CertificateThumbprint names a certificate.");
            return;
        }

        if ((secret ? 1 : 0) + (file ? 1 : 0) + (store ? 1 : 0) > 1)
        {
            builder.AddError("Set only one of Teams:AppPassword, Teams:CertificatePath and Teams:CertificateThumbprint (the bot's one credential).");
            return;
        }

        if (file || store)
        {
            try
            {
                using var certificate = TeamsCertificate.Load(options);
            }
            catch (InvalidOperationException ex)
            {
                builder.AddError(ex.Message);
            }
        }
    }

    /// <summary>MSAL takes an authority, not a token URL: the URL must be https://HOST/TENANT/oauth2/v2.0/token.</summary>
    private static void RequireTokenEndpoint(ValidateOptionsResultBuilder builder, string value, string key)
    {
        if (TokenAuthority.TryParse(value) is null)
        {
            builder.AddError($"{key} must be an https Entra token endpoint, https://HOST/TENANT/oauth2/v2.0/token (MSAL derives the authority from it).");
        }
    }

    private static void RequireAbsolute(ValidateOptionsResultBuilder builder, string? value, string key)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            builder.AddError($"{key} must be an absolute http(s) URL.");
        }
    }
}
