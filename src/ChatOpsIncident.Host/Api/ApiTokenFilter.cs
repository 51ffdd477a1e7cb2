using System.Security.Cryptography;
using System.Text;

namespace ChatOpsIncident.Host.Api;

/// <summary>Checks the bearer token in constant time; no token configured means the API is open (Development).</summary>
internal sealed class ApiTokenFilter(Microsoft.Extensions.Options.IOptions<ApiOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!IsAuthorized(context.HttpContext.Request, options.Value.Token))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem("A valid bearer token is required (Authorization: Bearer <Api:Token>).", statusCode: StatusCodes.Status401Unauthorized);
        }

        return await next(context);
    }

    public static bool IsAuthorized(HttpRequest request, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return true;
        }

        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        var expected = Encoding.UTF8.GetBytes(token);
        return CryptographicOperations.FixedTimeEquals(presented, expected);
    }
}
