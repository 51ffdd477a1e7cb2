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

    /// <summary>OpenID Connect issuer (https://slack.com, https://login.microsoftonline.com/{tenant}/v2.0). Unset = loopback only.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>User ids (chat ids, OIDC subjects) or e-mails that see every incident, private ones included.</summary>
    public List<string> Admins { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
}
