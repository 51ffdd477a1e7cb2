using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Slack.Inbound;

/// <summary>The verified raw body of a Slack request, as the signature covered it.</summary>
internal sealed record SlackRequest(byte[] Body);

/// <summary>
/// Runs before every /slack endpoint: reads the raw body (at most 1 MiB, else 413), then verifies the signature
/// (replay window, then constant-time compare) and answers 401 before anything is parsed or stored.
/// </summary>
internal sealed partial class SlackSignatureFilter(SlackSignature signature, IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackSignatureFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var body = await ReadBodyAsync(http, options.Value.MaxBodyBytes);
        if (body is null)
        {
            Log.BodyTooLarge(logger, http.Request.Path);
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var check = signature.Verify(
            http.Request.Headers[SlackSignature.TimestampHeader].ToString(),
            http.Request.Headers[SlackSignature.SignatureHeader].ToString(),
            body,
            time.GetUtcNow());
        if (check != SignatureCheck.Valid)
        {
            Log.SignatureRefused(logger, http.Request.Path, check);
            return Results.Unauthorized();
        }

        http.Items[typeof(SlackRequest)] = new SlackRequest(body);
        return await next(context);
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

        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var ms = new MemoryStream(request.ContentLength is { } length ? (int)length : 4096);
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
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
