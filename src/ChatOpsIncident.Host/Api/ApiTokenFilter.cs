using ChatOpsIncident.Host.Web;

namespace ChatOpsIncident.Host.Api;

/// <summary>
/// The JSON API needs the admin token (bearer header). Without <c>Api:Token</c> it is closed, except to a loopback
/// client in Development that did not come through a proxy (a developer's machine).
/// </summary>
internal sealed class ApiTokenFilter(WebAccess access) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (access.Token is { } token)
        {
            if (!AdminToken.IsBearer(http.Request, token))
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.Problem("A valid bearer token is required (Authorization: Bearer <Api:Token>).", statusCode: StatusCodes.Status401Unauthorized);
            }
        }
        else if (!access.IsDevelopmentLocal(http))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem("The API is closed: set Api:Token (at least 32 characters) and send it as Authorization: Bearer <token>.", statusCode: StatusCodes.Status401Unauthorized);
        }

        // The admin token is the only API credential: whoever presents it sees what an admin sees.
        http.Items[typeof(Core.Privacy.Viewer)] = Core.Privacy.Viewer.Admin;
        return await next(context);
    }
}
