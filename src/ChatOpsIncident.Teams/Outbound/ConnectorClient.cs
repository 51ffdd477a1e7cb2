using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Teams.Activities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace ChatOpsIncident.Teams.Outbound;

internal sealed record ResourceResponse(string? Id);

internal sealed record ConversationResourceResponse(string? Id, string? ActivityId, string? ServiceUrl);

/// <summary>The Bot Connector v3 REST API at an activity's service URL, with the bot's own token.</summary>
internal sealed class ConnectorClient(IHttpClientFactory http, TeamsTokenProvider tokens, IOptions<TeamsOptions> options, ILogger<ConnectorClient> logger)
{
    public async Task<ResourceResponse> SendToConversationAsync(string serviceUrl, string conversationId, JsonObject activity, CancellationToken ct)
    {
        var uri = Url(serviceUrl, $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities");
        return await SendAsync<ResourceResponse>(HttpMethod.Post, uri, activity, ct) ?? new ResourceResponse(null);
    }

    /// <summary>Starts a new conversation; in a team channel that is a new top-level post (a thread) carrying the activity.</summary>
    public async Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, JsonObject parameters, CancellationToken ct)
    {
        var uri = Url(serviceUrl, "v3/conversations");
        return await SendAsync<ConversationResourceResponse>(HttpMethod.Post, uri, parameters, ct) ?? new ConversationResourceResponse(null, null, null);
    }

    public async Task UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, JsonObject activity, CancellationToken ct)
    {
        var uri = Url(serviceUrl, $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities/{Uri.EscapeDataString(activityId)}");
        await SendAsync<ResourceResponse>(HttpMethod.Put, uri, activity, ct);
    }

    /// <summary>One member of a conversation (used to learn the Entra object id behind a mention), or null.</summary>
    public async Task<ChannelAccount?> GetMemberAsync(string serviceUrl, string conversationId, string memberId, CancellationToken ct)
    {
        var uri = Url(serviceUrl, $"v3/conversations/{Uri.EscapeDataString(conversationId)}/members/{Uri.EscapeDataString(memberId)}");
        try
        {
            return await SendAsync<ChannelAccount>(HttpMethod.Get, uri, null, ct);
        }
        catch (PermanentChatException)
        {
            return null;
        }
    }

    internal static Uri Url(string serviceUrl, string path) =>
        new(new Uri(serviceUrl.EndsWith('/') ? serviceUrl : serviceUrl + "/"), path);

    private async Task<T?> SendAsync<T>(HttpMethod method, Uri uri, JsonObject? body, CancellationToken ct)
    {
        // The token is a bearer credential for our bot: a stored or forged service URL on another host would receive it.
        if (!ServiceUrls.IsAllowed(uri.AbsoluteUri, options.Value.Hosts))
        {
            Log.ServiceUrlRefused(logger, uri.Host);
            throw new PermanentChatException($"The service URL host '{uri.Host}' is not one of Teams:ServiceUrlHosts; nothing was sent.");
        }

        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.ConnectorTokenAsync(ct));
            if (body is not null)
            {
                request.Content = JsonContent.Create(body, options: TeamsJson.Options);
            }

            HttpResponseMessage sent;
            try
            {
                sent = await http.CreateClient(TeamsHttpClients.Connector).SendAsync(request, ct);
            }
            catch (Exception ex) when (method == HttpMethod.Post && !ct.IsCancellationRequested && IsAmbiguous(ex))
            {
                // The Connector has no idempotency key and no way to list what the bot sent: after a POST that may have
                // landed, a retry risks a second card in the channel. At-most-once: set it aside, never re-post it.
                Log.AmbiguousPost(logger, uri.AbsolutePath, ex.GetType().Name);
                throw new PermanentChatException(
                    $"The Bot Connector did not answer POST {uri.AbsolutePath} ({ex.GetType().Name}); the message may have been posted, so it is not sent again.");
            }

            using var response = sent;
            if (response.IsSuccessStatusCode)
            {
                if (response.Content.Headers.ContentLength == 0)
                {
                    return default;
                }

                var text = await response.Content.ReadAsStringAsync(ct);
                return string.IsNullOrWhiteSpace(text) ? default : JsonSerializer.Deserialize<T>(text, TeamsJson.Options);
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 1)
            {
                // A cached token the Connector no longer accepts: fetch a new one once.
                tokens.Invalidate(TeamsTokenProvider.ConnectorScope);
                continue;
            }

            throw await FailureAsync("Bot Connector", method, response, logger, ct);
        }
    }

    /// <summary>
    /// A failure after which the request may have been processed: a timeout (ours or Polly's) or a connection that
    /// broke after the request left. Failures before anything was sent (DNS, connect, TLS) are not ambiguous.
    /// </summary>
    internal static bool IsAmbiguous(Exception ex) => ex switch
    {
        TimeoutRejectedException => true,
        OperationCanceledException => true,
        HttpRequestException e => !TeamsResilience.NeverSent(e),
        _ => false,
    };

    /// <summary>Turns an error answer into a retryable or a permanent failure, without echoing request content.</summary>
    internal static async Task<Exception> FailureAsync(string service, HttpMethod method, HttpResponseMessage response, ILogger logger, CancellationToken ct)
    {
        var code = await ErrorCodeAsync(response, ct);
        var status = (int)response.StatusCode;
        Log.CallFailed(logger, service, method.Method, response.RequestMessage?.RequestUri?.AbsolutePath ?? "", status, code);
        var message = $"{service} {method.Method} answered HTTP {status}{(code.Length == 0 ? "" : " " + code)}";
        return TeamsResilience.IsRetryable(response.StatusCode) || status >= 500 && status != 500 || status == 401
            ? new HttpRequestException(message, null, response.StatusCode)
            : new PermanentChatException(message);
    }

    internal static async Task<string> ErrorCodeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object && e.TryGetProperty("code", out var c)
                ? c.GetString() ?? ""
                : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
