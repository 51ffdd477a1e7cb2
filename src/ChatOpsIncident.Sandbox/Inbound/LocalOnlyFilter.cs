using System.Net;
using Microsoft.AspNetCore.Http;

namespace ChatOpsIncident.Sandbox.Inbound;

/// <summary>
/// The workspace lets anyone act as anyone, so it answers only a browser on this machine: a loopback client that did
/// not come through a proxy (a proxy or sidecar on the same machine makes every request look local, so a forwarding
/// header means "not local"). The sandbox also runs only in Development (see the registration).
/// </summary>
internal sealed class LocalOnlyFilter : IEndpointFilter
{
    private static readonly string[] ProxyHeaders = ["X-Forwarded-For", "X-Original-For", "Forwarded", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Original-Host", "X-Original-Proto"];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        IsLocal(context.HttpContext)
            ? await next(context)
            : Results.Json(new Problem("The local workspace answers only on this machine."), statusCode: StatusCodes.Status403Forbidden);

    public static bool IsLocal(HttpContext http)
    {
        var remote = http.Connection.RemoteIpAddress;
        return remote is not null && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote)
            && !ProxyHeaders.Any(http.Request.Headers.ContainsKey);
    }
}
