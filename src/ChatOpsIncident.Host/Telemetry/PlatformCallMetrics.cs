using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Http;

namespace ChatOpsIncident.Host.Telemetry;

/// <summary>
/// Adds <see cref="PlatformCallHandler"/> as the innermost handler of every named platform client (after the clients'
/// own resilience handlers), so each attempt is measured — a 429 that Polly retries still counts.
/// </summary>
internal sealed class PlatformCallFilter(OperationsMetrics metrics, TimeProvider time) : IHttpMessageHandlerBuilderFilter
{
    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        if (PlatformCallHandler.PlatformOf(builder.Name) is { } platform)
        {
            builder.AdditionalHandlers.Add(new PlatformCallHandler(platform, builder.Name!, metrics, time));
        }
    };
}

internal sealed partial class PlatformCallHandler(string platform, string client, OperationsMetrics metrics, TimeProvider time) : DelegatingHandler
{
    /// <summary>The platform a named client talks to, or null for clients that are not a platform's (not measured).</summary>
    internal static string? PlatformOf(string? client) => client switch
    {
        null or "" => null,
        "IPager" or "PagerDutyPager" => "pagerduty",
        _ when client.StartsWith("slack-", StringComparison.Ordinal) => "slack",
        _ when client.StartsWith("teams-", StringComparison.Ordinal) => "teams",
        _ when client.StartsWith("sandbox", StringComparison.Ordinal) => "sandbox",
        _ => null,
    };

    /// <summary>
    /// A low-cardinality name of the call: Slack's Web API method (<c>chat.postMessage</c>); otherwise the verb and the
    /// path with every id-like segment (conversation ids, GUIDs, numbers) replaced by <c>{id}</c>.
    /// </summary>
    internal static string MethodOf(string client, HttpRequestMessage request)
    {
        var path = request.RequestUri is { IsAbsoluteUri: true } uri ? uri.AbsolutePath : request.RequestUri?.OriginalString ?? "";
        if (client == "slack-api")
        {
            return path.TrimEnd('/').Split('/')[^1] is { Length: > 0 } m && Word().IsMatch(m) ? m : "other";
        }

        if (client == "slack-response-url")
        {
            return "response_url";
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Length <= 40 && Word().IsMatch(s) ? s : "{id}");
        return $"{request.Method.Method} /{string.Join('/', segments)}";
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = MethodOf(client, request);
        var started = time.GetTimestamp();
        int? status = null;
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            status = (int)response.StatusCode;
            return response;
        }
        finally
        {
            metrics.PlatformCall(platform, method, time.GetElapsedTime(started), status);
        }
    }

    // Words like chat.postMessage, v3, conversations, oauth2, v2.0, token: not ids.
    [GeneratedRegex("^[A-Za-z][A-Za-z.]*[0-9.]*$")]
    private static partial Regex Word();
}
