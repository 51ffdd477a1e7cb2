using System.Security.Cryptography;
using System.Text;

namespace ChatOpsIncident.Host.Api;

/// <summary>
/// The admin token (<c>Api:Token</c>) as the host accepts it: a bearer header, or the HttpOnly cookie the sign-in forms
/// (<c>/signin</c> for the pages, <c>/hangfire/login</c> for the dashboard) set after checking a POSTed token. One
/// helper for both forms, so the pages and the dashboard agree on what the cookie proves.
/// </summary>
internal static class AdminToken
{
    public const string CookieName = "chatops.token";

    /// <summary>The sign-in forms' rate-limit policy: a fixed window per client address, so a token cannot be guessed at speed.</summary>
    public const string SignInRateLimit = "sign-in";

    public static bool Equal(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    /// <summary>The bearer header matches the token (constant time). No token configured matches nothing.</summary>
    public static bool IsBearer(HttpRequest request, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Equal(header["Bearer ".Length..].Trim(), token);
    }

    /// <summary>
    /// The request presents the token: its bearer header when it sends one (a wrong header is not rescued by a cookie),
    /// otherwise the sign-in cookie.
    /// </summary>
    public static bool IsPresented(HttpRequest request, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        if (request.Headers.Authorization.Count > 0)
        {
            return IsBearer(request, token);
        }

        return HasCookie(request, token);
    }

    public static bool HasCookie(HttpRequest request, string? token) =>
        !string.IsNullOrEmpty(token) && request.Cookies.TryGetValue(CookieName, out var cookie) && Equal(cookie, CookieValue(token));

    /// <summary>The cookie proves the token was presented without carrying it: an HMAC of a fixed label keyed by the token.</summary>
    public static string CookieValue(string token) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), "chatops-admin-token-cookie"u8));

    /// <summary>Checks a POSTed token; on success sets the cookie (HttpOnly, SameSite=Strict, Secure over https).</summary>
    public static async Task<bool> SignInAsync(HttpContext http, string? token, CancellationToken ct)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : null;
        var presented = form?["token"].ToString() ?? "";
        if (string.IsNullOrEmpty(token) || presented.Length == 0 || !Equal(presented, token))
        {
            return false;
        }

        http.Response.Cookies.Append(CookieName, CookieValue(token), new CookieOptions
        {
            HttpOnly = true,
            // Behind a TLS-terminating proxy this is right only when forwarded headers are honoured (README).
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            MaxAge = TimeSpan.FromHours(12),
        });
        return true;
    }

    public static void SignOut(HttpContext http) =>
        http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/", HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Strict });
}
