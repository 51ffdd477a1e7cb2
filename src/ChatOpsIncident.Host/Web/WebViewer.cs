using System.Net;
using System.Security.Claims;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Privacy;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Web;

/// <summary>Who is looking at the pages: their identities (any of which may match a participant) and whether they are an admin.</summary>
internal sealed record WebViewer(UserRef User, IReadOnlyList<string> Ids, bool IsAdmin, bool CanSignOut)
{
    public bool CanSee(IncidentRecord record) => IncidentVisibility.CanSee(record, new Viewer(Ids, IsAdmin));
}

/// <summary>
/// Decides who may see the pages. With <c>Auth:Authority</c> set, people sign in through OpenID Connect. Without it
/// the pages are served to loopback clients only (a developer's machine), who are treated as admins.
/// </summary>
internal sealed class WebAccess(IOptions<AuthOptions> options, IHostEnvironment environment)
{
    /// <summary>Development/Testing only, loopback mode only: look at the pages as this user (never more than local admin).</summary>
    public const string TestUserCookie = "chatops-test-user";
    public const string TestUserHeader = "X-ChatOps-Test-User";

    // Claims that carry the ids people are known by in chat and in the directory.
    private static readonly string[] IdClaims = ["https://slack.com/user_id", "oid", "sub", "email", "preferred_username", "upn", ClaimTypes.NameIdentifier, ClaimTypes.Email];

    private AuthOptions Options => options.Value;

    public bool OidcEnabled => Options.Enabled;

    /// <summary>The viewer, or null when the request may not see the pages (the caller answers 401/403).</summary>
    public WebViewer? Resolve(HttpContext http)
    {
        if (Options.Enabled)
        {
            var user = http.User;
            if (user.Identity?.IsAuthenticated != true)
            {
                return null;
            }

            var ids = IdClaims.Select(c => user.FindFirst(c)?.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var chatId = user.FindFirst("https://slack.com/user_id")?.Value ?? user.FindFirst("oid")?.Value ?? user.FindFirst("sub")?.Value ?? ids.FirstOrDefault() ?? "unknown";
            var name = user.FindFirst("name")?.Value ?? user.FindFirst("email")?.Value;
            return new WebViewer(new UserRef(chatId, name), ids, IsAdmin(ids), CanSignOut: true);
        }

        if (!IsLocal(http))
        {
            return null;
        }

        if ((environment.IsDevelopment() || environment.IsEnvironment("Testing"))
            && (http.Request.Headers[TestUserHeader].FirstOrDefault() ?? http.Request.Cookies[TestUserCookie]) is { Length: > 0 } testUser)
        {
            return new WebViewer(new UserRef(testUser), [testUser], IsAdmin([testUser]), CanSignOut: false);
        }

        return new WebViewer(new UserRef("web-local", "local admin"), ["web-local"], IsAdmin: true, CanSignOut: false);
    }

    private bool IsAdmin(IEnumerable<string> ids) => ids.Any(id => Options.Admins.Contains(id, StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// A loopback client that did not come through a proxy. A reverse proxy on the same machine makes every request look
    /// local, so a forwarded request is never trusted as local.
    /// </summary>
    public static bool IsLocal(HttpContext http)
    {
        var remote = http.Connection.RemoteIpAddress;
        if (remote is null || !IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote))
        {
            return false;
        }

        return !http.Request.Headers.ContainsKey("X-Forwarded-For") && !http.Request.Headers.ContainsKey("Forwarded");
    }
}
