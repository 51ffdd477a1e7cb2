using ChatOpsIncident.Core.Review;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Web;

public sealed class WebOptions
{
    public const string SectionName = "Web";

    /// <summary>The public address of the pages (e.g. https://incidents.example.com), used in links posted to chat.</summary>
    public string? BaseUrl { get; set; }
}

public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>OpenID Connect issuer (https://slack.com, https://login.microsoftonline.com/{tenant}/v2.0). Unset = the admin token only (and loopback in Development).</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>
    /// Stable ids (OIDC <c>sub</c>, Entra <c>oid</c>, Slack user id) or e-mails that see every incident, private ones
    /// included. An e-mail matches only when the issuer says it is verified (<c>email_verified</c>).
    /// </summary>
    public List<string> Admins { get; set; } = [];

    /// <summary>When set, only users whose Entra tenant (<c>tid</c>) is listed get in; others get 403.</summary>
    public List<string> AllowedTenants { get; set; } = [];

    /// <summary>When set, only users whose Slack workspace (<c>https://slack.com/team_id</c>) is listed get in; others get 403.</summary>
    public List<string> AllowedSlackTeams { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
}

/// <summary>Web:BaseUrl, when set, must be a link chat clients can open.</summary>
internal sealed class WebOptionsValidator : IValidateOptions<WebOptions>
{
    public ValidateOptionsResult Validate(string? name, WebOptions options) =>
        string.IsNullOrWhiteSpace(options.BaseUrl) || PostmortemDraft.IsWebLink(options.BaseUrl)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Web:BaseUrl must be an absolute http(s) URL, not '{options.BaseUrl}'.");
}

/// <summary>Sign-in is on when Auth:Authority is set; then the issuer must be https and the client fully configured.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var builder = new ValidateOptionsResultBuilder();
        if (AuthorityUri(options) is null)
        {
            builder.AddError("Auth:Authority must be an https URL (the OpenID Connect issuer).");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            builder.AddError("Auth:ClientId is required when Auth:Authority is set.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            builder.AddError("Auth:ClientSecret is required when Auth:Authority is set.");
        }

        return builder.Build();
    }

    /// <summary>The issuer, or null when it is not https (plain http only on loopback, for local testing).</summary>
    public static Uri? AuthorityUri(AuthOptions options) =>
        Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority)
        && (authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback))
            ? authority
            : null;
}
