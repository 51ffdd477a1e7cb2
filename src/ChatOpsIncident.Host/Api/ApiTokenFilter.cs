using ChatOpsIncident.Host.Web;

namespace ChatOpsIncident.Host.Api;

/// <summary>
/// The JSON API needs a bearer token: the admin token (<c>Api:Token</c>) or a scoped one (<c>Api:Tokens</c>) holding
/// the scope the endpoint requires (<see cref="RequiresScope"/>; 403 otherwise). With no token configured it is
/// closed, except to a loopback client in Development that did not come through a proxy (a developer's machine).
/// </summary>
internal sealed class ApiTokenFilter(WebAccess access, ApiTokens tokens) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        ApiCaller caller;
        if (tokens.Any)
        {
            var header = http.Request.Headers.Authorization.ToString();
            var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "";
            if (presented.Length == 0 || tokens.Find(presented) is not { } found)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.Problem("A valid bearer token is required (Authorization: Bearer <token> from Api:Token or Api:Tokens).", statusCode: StatusCodes.Status401Unauthorized);
            }

            caller = found;
        }
        else if (access.IsDevelopmentLocal(http))
        {
            caller = ApiCaller.Admin;
        }
        else
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem("The API is closed: set Api:Token (at least 32 characters) or Api:Tokens and send one as Authorization: Bearer <token>.", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (http.GetEndpoint()?.Metadata.GetMetadata<RequiresScope>() is { } required && !caller.Has(required.Scope))
        {
            http.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{required.Scope}\"";
            return Results.Problem($"This token ({caller.Name}) lacks the {required.Scope} scope.", statusCode: StatusCodes.Status403Forbidden);
        }

        http.Items[typeof(ApiCaller)] = caller;
        http.Items[typeof(Core.Privacy.Viewer)] = caller.Viewer;
        return await next(context);
    }
}
