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

    /// <summary>The client secret of the app; used for Connector and Graph tokens. Never logged.</summary>
    [Required(ErrorMessage = "Teams:AppPassword is required when Teams:AppId is set (the bot's client secret).")]
    public string? AppPassword { get; set; }

    /// <summary>The tenant of a single-tenant bot and of Graph calls.</summary>
    public string? TenantId { get; set; }

    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>
    /// Token endpoint for the Connector token. Default: the tenant's endpoint when <see cref="TenantId"/> is set (Azure
    /// creates single-tenant bots), otherwise the multi-tenant botframework.com one; a multi-tenant bot that sets a
    /// tenant for the allow-list sets this to https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token.
    /// </summary>
    public string? TokenUrl { get; set; }

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
            ? $"https://login.microsoftonline.com/{Uri.EscapeDataString(TenantId)}/oauth2/v2.0/token"
            : "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token";

    internal string GraphTokenEndpoint => !string.IsNullOrWhiteSpace(GraphTokenUrl)
        ? GraphTokenUrl
        : !string.IsNullOrWhiteSpace(TenantId)
            ? $"https://login.microsoftonline.com/{Uri.EscapeDataString(TenantId)}/oauth2/v2.0/token"
            : ConnectorTokenUrl;
}

/// <summary>The endpoints must be absolute http(s) URLs; runs on start with the DataAnnotations.</summary>
internal sealed class TeamsOptionsValidator : IValidateOptions<TeamsOptions>
{
    public ValidateOptionsResult Validate(string? name, TeamsOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        RequireAbsolute(builder, options.OpenIdMetadataUrl, "Teams:OpenIdMetadataUrl");
        RequireAbsolute(builder, options.ConnectorTokenUrl, "Teams:TokenUrl");
        RequireAbsolute(builder, options.GraphTokenEndpoint, "Teams:GraphTokenUrl");
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

    private static void RequireAbsolute(ValidateOptionsResultBuilder builder, string? value, string key)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            builder.AddError($"{key} must be an absolute http(s) URL.");
        }
    }
}
