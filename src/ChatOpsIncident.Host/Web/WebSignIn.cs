using ChatOpsIncident.Host.Api;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace ChatOpsIncident.Host.Web;

/// <summary>
/// Signing in to the pages with the admin token (for a team without an identity provider), and signing out. The token
/// is POSTed, never put in a query string, and exchanged for the HttpOnly cookie <see cref="AdminToken"/> describes.
/// </summary>
internal static class WebSignIn
{
    private const string HtmlType = "text/html; charset=utf-8";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/signin", (HttpContext http) => Form(http.Request.Query["returnUrl"], refused: false, StatusCodes.Status200OK));
        app.MapPost("/signin", SignInAsync).RequireRateLimiting(AdminToken.SignInRateLimit);
        // A POST with the antiforgery token: a GET (an <img> on any page) could sign people out.
        app.MapPost("/signout", SignOutAsync);
    }

    private static async Task<IResult> SignInAsync(HttpContext http, WebAccess access, ILogger<WebAccess> logger)
    {
        var returnUrl = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync(http.RequestAborted))["returnUrl"].ToString() : null;
        if (!await AdminToken.SignInAsync(http, access.Token, http.RequestAborted))
        {
            Log.SignInRefused(logger, http.Connection.RemoteIpAddress?.ToString());
            return Form(returnUrl, refused: true, StatusCodes.Status401Unauthorized);
        }

        return Results.Redirect(LocalPath(returnUrl));
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, WebAccess access, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Content("<!DOCTYPE html><html lang=\"en\"><title>Form expired</title><p>The form expired. <a href=\"/incidents\">Back to the incidents</a></p></html>", HtmlType, statusCode: StatusCodes.Status400BadRequest);
        }

        AdminToken.SignOut(http);
        if (access.OidcEnabled)
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }

        return Results.Content("<!DOCTYPE html><html lang=\"en\"><title>Signed out</title><p>You are signed out. <a href=\"/incidents\">Sign in again</a></p></html>", HtmlType);
    }

    /// <summary>Only a path on this site: an absolute or protocol-relative return address would be an open redirect.</summary>
    public static string LocalPath(string? returnUrl) =>
        returnUrl is { Length: > 1 } url && url[0] == '/' && url[1] is not ('/' or '\\') ? url : "/incidents";

    public static IResult Form(string? returnUrl, bool refused, int status) => Results.Content($"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Sign in · ChatOpsIncident</title><link rel="stylesheet" href="/assets/site.css"></head>
        <body><main id="main">
        <h1>Sign in</h1>
        {(refused ? "<p role=\"alert\">The token is not valid.</p>" : "")}
        <p>Enter the admin token (<code>Api:Token</code>) to open the incident pages.</p>
        <form method="post" action="/signin">
        <input type="hidden" name="returnUrl" value="{Html.E(LocalPath(returnUrl))}">
        <label for="token">Token</label>
        <input id="token" type="password" name="token" autocomplete="current-password" required autofocus>
        <p><button type="submit">Sign in</button></p>
        </form>
        </main></body></html>
        """, HtmlType, statusCode: status);
}
