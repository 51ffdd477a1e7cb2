using System.Security.Cryptography;
using System.Text;
using ChatOpsIncident.Host.Api;
using Hangfire.Dashboard;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Scheduling;

/// <summary>
/// Who may open <c>/hangfire</c>. Development: local requests only. Elsewhere: a signed-in user (the web pages'
/// sign-in), <c>Authorization: Bearer &lt;Api:Token&gt;</c>, or the dashboard cookie that <c>POST /hangfire-login</c>
/// sets after checking the token. No <c>Api:Token</c> and no sign-in means nobody: never anonymous.
/// </summary>
internal sealed class DashboardAuthorization(IOptions<ApiOptions> api, IHostEnvironment environment) : IDashboardAuthorizationFilter
{
    public const string CookieName = "chatops_dashboard";

    public bool Authorize(DashboardContext context) => IsAllowed(context.GetHttpContext(), api.Value.Token, environment);

    public static bool IsAllowed(HttpContext http, string? token, IHostEnvironment environment)
    {
        if (environment.IsDevelopment())
        {
            return IsLocal(http);
        }

        if (http.User.Identity?.IsAuthenticated == true)
        {
            return true;
        }

        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        if (http.Request.Headers.Authorization.Count > 0)
        {
            return ApiTokenFilter.IsAuthorized(http.Request, token);
        }

        return http.Request.Cookies.TryGetValue(CookieName, out var cookie) && Equal(cookie, CookieValue(token));
    }

    /// <summary>The cookie proves the token was presented without carrying it: an HMAC of a fixed label keyed by the token.</summary>
    public static string CookieValue(string token) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), "chatops-hangfire-dashboard"u8));

    public static bool Equal(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    private static bool IsLocal(HttpContext http)
    {
        var remote = http.Connection.RemoteIpAddress;
        return remote is null || System.Net.IPAddress.IsLoopback(remote) || remote.Equals(http.Connection.LocalIpAddress);
    }
}
