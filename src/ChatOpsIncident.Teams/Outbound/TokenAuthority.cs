namespace ChatOpsIncident.Teams.Outbound;

/// <summary>
/// The Entra authority behind a token endpoint (<c>https://HOST/TENANT/oauth2/v2.0/token</c>): MSAL is given the
/// authority and builds the endpoint itself, so the existing <c>Teams:TokenUrl</c>/<c>Teams:GraphTokenUrl</c> keys keep
/// working. Authority validation and instance discovery stay on for Microsoft's own login hosts and are switched off
/// only for another host (a sovereign-cloud proxy, or the tests' local HTTPS stand-in), which MSAL could not discover.
/// </summary>
internal sealed record TokenAuthority(string Authority, string Tenant, bool KnownHost)
{
    private const string Suffix = "/oauth2/v2.0/token";

    /// <summary>The hosts MSAL knows (its instance-discovery list): public, US Gov, China, Germany clouds.</summary>
    private static readonly HashSet<string> KnownHosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "login.microsoftonline.com", "login.microsoft.com", "login.windows.net", "sts.windows.net",
        "login.microsoftonline.us", "login.usgovcloudapi.net", "login.chinacloudapi.cn",
        "login.partner.microsoftonline.cn", "login.microsoftonline.de",
    };

    public static TokenAuthority? TryParse(string? tokenUrl)
    {
        if (!Uri.TryCreate(tokenUrl, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps
            || !string.IsNullOrEmpty(uri.Query) || !uri.AbsolutePath.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var tenantPath = uri.AbsolutePath[..^Suffix.Length].Trim('/');
        if (tenantPath.Length == 0 || tenantPath.Contains('/', StringComparison.Ordinal))
        {
            return null;
        }

        var authority = $"{uri.Scheme}://{uri.Authority}/{tenantPath}/";
        return new TokenAuthority(authority, Uri.UnescapeDataString(tenantPath), KnownHosts.Contains(uri.Host));
    }
}
