using ChatOpsIncident.Host.Api;
using ChatOpsIncident.Host.Web;
using Hangfire.Dashboard;

namespace ChatOpsIncident.Host.Scheduling;

/// <summary>
/// Who may open <c>/hangfire</c>: admins only. The admin token (<c>Authorization: Bearer &lt;Api:Token&gt;</c> or the
/// cookie <c>POST /hangfire/login</c> sets after checking it), a signed-in admin (<c>Auth:Admins</c>), or in
/// Development a loopback client that did not come through a proxy. A signed-in non-admin gets 403, not a read-only
/// dashboard: failed jobs show exception messages (PostgreSQL puts row values in constraint errors, chat APIs echo
/// channels) and job arguments carry incident ids, none of which passes the visibility rule. Never anonymous.
/// </summary>
internal sealed class DashboardAuthorization(WebAccess access) : IDashboardAuthorizationFilter
{
    public const string CookieName = AdminToken.CookieName;

    public bool Authorize(DashboardContext context) => IsAllowed(context.GetHttpContext(), access);

    public static bool IsAllowed(HttpContext http, WebAccess access)
    {
        if (access.IsDevelopmentLocal(http) || AdminToken.IsPresented(http.Request, access.Token))
        {
            return true;
        }

        // Only a signed-in admin; the Testing-only "look as user" narrowing does not apply to sign-in.
        return access.OidcEnabled && access.Decide(http).Viewer is { IsAdmin: true };
    }

    /// <summary>The cookie's value for a token (the one helper the pages' sign-in uses too).</summary>
    public static string CookieValue(string token) => AdminToken.CookieValue(token);

    public static bool IsLocal(HttpContext http) => WebAccess.IsLocal(http);
}
