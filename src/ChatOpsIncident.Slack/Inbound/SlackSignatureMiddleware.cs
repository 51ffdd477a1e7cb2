using System.Buffers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Slack.Inbound;

/// <summary>The verified raw body of a Slack request, as the signature covered it.</summary>
internal sealed record SlackRequest(byte[] Body);

/// <summary>
/// First in the pipeline for /slack/*: reads the raw body (at most 1 MiB, else 413) and verifies the signature
/// (replay window, then constant-time compare); 401 before routing, parsing or storing anything. Running ahead of
/// the rest of the pipeline keeps a flood of forged requests cheap.
/// </summary>
internal sealed partial class SlackSignatureMiddleware(SlackSignature signature, IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackSignatureMiddleware> logger) : IMiddleware
{
    public static readonly PathString Prefix = new("/slack");

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var body = await ReadBodyAsync(http, options.Value.MaxBodyBytes);
        if (body is null)
        {
            Log.BodyTooLarge(logger, http.Request.Path);
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var check = signature.Verify(
            http.Request.Headers[SlackSignature.TimestampHeader].ToString(),
            http.Request.Headers[SlackSignature.SignatureHeader].ToString(),
            body,
            time.GetUtcNow());
        if (check != SignatureCheck.Valid)
        {
            Log.SignatureRefused(logger, http.Request.Path, check);
            http.Items[Core.Processing.RequestRefusal.ItemKey] = new Core.Processing.RequestRefusal("slack", check == SignatureCheck.Stale ? Core.Processing.RequestRefusal.Stale : Core.Processing.RequestRefusal.BadSignature);
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        http.Items[typeof(SlackRequest)] = new SlackRequest(body);
        await next(http);
    }

    /// <summary>The body bytes, or null when it is larger than <paramref name="max"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext http, long max)
    {
        var request = http.Request;
        if (request.ContentLength > max)
        {
            return null;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max;
        }

        try
        {
            if (request.ContentLength is { } length)
            {
                var exact = new byte[length];
                await request.Body.ReadExactlyAsync(exact, http.RequestAborted);
                return exact;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                using var ms = new MemoryStream();
                int read;
                while ((read = await request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
                {
                    if (ms.Length + read > max)
                    {
                        return null;
                    }

                    ms.Write(buffer, 0, read);
                }

                return ms.ToArray();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        catch (EndOfStreamException)
        {
            // Fewer bytes than Content-Length announced: nothing to verify.
            return [];
        }
    }
}

/// <summary>Puts <see cref="SlackSignatureMiddleware"/> at the very front of the host's pipeline.</summary>
internal sealed class SlackSignatureStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseWhen(http => http.Request.Path.StartsWithSegments(SlackSignatureMiddleware.Prefix), slack => slack.UseMiddleware<SlackSignatureMiddleware>());
        next(app);
    };
}

/// <summary>
/// On the /slack route group: refuses any request the middleware did not verify (defence in depth, should the
/// endpoints ever be mapped without it).
/// </summary>
internal sealed class SlackVerifiedFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.Items.ContainsKey(typeof(SlackRequest)) ? next(context) : ValueTask.FromResult<object?>(Results.Unauthorized());
}
