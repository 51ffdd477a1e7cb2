using System.Net;
using System.Security.Claims;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Privacy;
using ChatOpsIncident.Host.Api;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Web;

/// <summary>Who is looking at the pages: their identities (any of which may match a participant) and whether they are an admin.</summary>
internal sealed record WebViewer(UserRef User, IReadOnlyList<string> Ids, bool IsAdmin, bool CanSignOut)
{
    /// <summary>The antiforgery token the sign-out form posts back (set by the pages' filter when the viewer can sign out).</summary>
    public string? SignOutToken { get; init; }

    /// <summary>The viewer as Core's visibility rule knows them.</summary>
    public Viewer Viewer => new(Ids, IsAdmin);

    public bool CanSee(IncidentRecord record) => IncidentVisibility.CanSee(record, Viewer);
}

/// <summary>Why a request may not see the pages, which decides the answer.</summary>
internal enum WebRefusal
{
    /// <summary>Sign-in is on and the request is not signed in: challenge (redirect to the issuer).</summary>
    SignIn,

    /// <summary>Only the admin token opens the pages: 401 with the sign-in form.</summary>
    Token,

    /// <summary>Nothing is configured that could open the pages (or a Development request came through a proxy): 403.</summary>
    Closed,

    /// <summary>Signed in, but from a tenant or workspace that is not allowed: 403.</summary>
    Outside,
}

/// <summary>
/// Decides who is asking, for the pages, the dashboard and the API. In order: the admin token (bearer header or the
/// sign-in form's cookie) is an admin; with <c>Auth:Authority</c> set, people sign in through OpenID Connect; in
/// Development only, a loopback client that did not come through a proxy is a local admin. Everyone else is refused.
/// </summary>
internal sealed class WebAccess(IOptions<AuthOptions> options, IOptions<ApiOptions> api, IHostEnvironment environment)
{
    /// <summary>Development/Testing only, for an admin (token or loopback): look at the pages as this user (never more than the admin).</summary>
    public const string TestUserCookie = "chatops-test-user";
    public const string TestUserHeader = "X-ChatOps-Test-User";

    public const string SlackUserIdClaim = "https://slack.com/user_id";
    public const string SlackTeamIdClaim = "https://slack.com/team_id";

    // Ids an issuer never reassigns: Slack's user id, Entra's object id, the OIDC subject.
    private static readonly string[] StableIdClaims = [SlackUserIdClaim, "oid", "sub"];

    // Addresses a user (or an admin of another tenant) can change: trusted only when the issuer verified them.
    private static readonly string[] EmailClaims = ["email", "preferred_username", "upn"];

    // Headers a proxy adds; ForwardedHeadersMiddleware moves X-Forwarded-For to X-Original-For after rewriting the address.
    private static readonly string[] ProxyHeaders = ["X-Forwarded-For", "X-Original-For", "Forwarded", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Original-Host", "X-Original-Proto"];

    private AuthOptions Options => options.Value;

    public bool OidcEnabled => Options.Enabled;

    /// <summary>The admin token, or null when none is configured.</summary>
    public string? Token => api.Value.Token is { Length: > 0 } token ? token : null;

    /// <summary>Outside Development with neither a token nor sign-in, nothing can open the API, the pages or the dashboard.</summary>
    public bool IsClosed => !environment.IsDevelopment() && Token is null && !OidcEnabled;

    /// <summary>The viewer, or null when the request may not see the pages (the caller answers 401/403).</summary>
    public WebViewer? Resolve(HttpContext http) => Decide(http).Viewer;

    public (WebViewer? Viewer, WebRefusal Refusal) Decide(HttpContext http)
    {
        if (AdminToken.IsPresented(http.Request, Token))
        {
            // A bearer header cannot be dropped by the browser; the cookie can.
            var viaCookie = http.Request.Headers.Authorization.Count == 0;
            return (Narrowed(http, new WebViewer(new UserRef("web-admin", "admin (API token)"), ["web-admin"], IsAdmin: true, CanSignOut: viaCookie)), default);
        }

        if (Options.Enabled)
        {
            return SignedIn(http.User);
        }

        if (IsDevelopmentLocal(http))
        {
            return (Narrowed(http, new WebViewer(new UserRef("web-local", "local admin"), ["web-local"], IsAdmin: true, CanSignOut: false)), default);
        }

        return (null, Token is null ? WebRefusal.Closed : WebRefusal.Token);
    }

    /// <summary>The viewer signed in through OpenID Connect, if their tenant and workspace are allowed.</summary>
    private (WebViewer? Viewer, WebRefusal Refusal) SignedIn(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return (null, WebRefusal.SignIn);
        }

        if (!Allowed(Options.AllowedTenants, user.FindFirst("tid")?.Value) || !Allowed(Options.AllowedSlackTeams, user.FindFirst(SlackTeamIdClaim)?.Value))
        {
            return (null, WebRefusal.Outside);
        }

        var ids = IdsOf(user);
        var chatId = user.FindFirst(SlackUserIdClaim)?.Value ?? user.FindFirst("oid")?.Value ?? user.FindFirst("sub")?.Value ?? ids.FirstOrDefault() ?? "unknown";
        var name = user.FindFirst("name")?.Value ?? user.FindFirst("email")?.Value;
        return (new WebViewer(new UserRef(chatId, name), ids, IsAdmin(ids), CanSignOut: true), default);
    }

    private static bool Allowed(List<string> allowed, string? value) =>
        allowed.Count == 0 || (!string.IsNullOrEmpty(value) && allowed.Contains(value, StringComparer.OrdinalIgnoreCase));

    /// <summary>The ids a signed-in user is known by: the stable ones, and their e-mail only when it is verified.</summary>
    public static List<string> IdsOf(ClaimsPrincipal user)
    {
        var verified = string.Equals(user.FindFirst("email_verified")?.Value, "true", StringComparison.OrdinalIgnoreCase);
        var claims = verified ? StableIdClaims.Concat(EmailClaims) : StableIdClaims;
        return claims.Select(c => user.FindFirst(c)?.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Development and Testing only: an admin may look at the pages as a given user (the browser tests do).</summary>
    private WebViewer Narrowed(HttpContext http, WebViewer admin)
    {
        if ((environment.IsDevelopment() || environment.IsEnvironment("Testing"))
            && (http.Request.Headers[TestUserHeader].FirstOrDefault() ?? http.Request.Cookies[TestUserCookie]) is { Length: > 0 } testUser)
        {
            return new WebViewer(new UserRef(testUser), [testUser], IsAdmin([testUser]), admin.CanSignOut);
        }

        return admin;
    }

    private bool IsAdmin(IEnumerable<string> ids) => ids.Any(id => Options.Admins.Contains(id, StringComparer.OrdinalIgnoreCase));

    /// <summary>Loopback trust is a Development convenience only: never in Production, never through a proxy.</summary>
    public bool IsDevelopmentLocal(HttpContext http) => environment.IsDevelopment() && IsLocal(http);

    /// <summary>
    /// A loopback client that did not come through a proxy. A reverse proxy or sidecar on the same machine makes every
    /// request look local, so a request carrying any forwarding header is never local, whatever the forwarded-headers
    /// setting (the middleware rewrites the address and keeps the original header as X-Original-For).
    /// </summary>
    public static bool IsLocal(HttpContext http)
    {
        var remote = http.Connection.RemoteIpAddress;
        if (remote is null || !IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote))
        {
            return false;
        }

        return !ProxyHeaders.Any(http.Request.Headers.ContainsKey);
    }
}
