using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Teams.Outbound;

/// <summary>Client-credentials tokens for the Bot Connector and for Graph, cached until shortly before they expire.</summary>
internal sealed class TeamsTokenProvider(IHttpClientFactory http, IOptions<TeamsOptions> options, TimeProvider time, ILogger<TeamsTokenProvider> logger)
{
    public const string ConnectorScope = "https://api.botframework.com/.default";
    public const string GraphScope = "https://graph.microsoft.com/.default";

    // Refresh early so a token never expires between being handed out and being used.
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _cache = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();

    public Task<string> ConnectorTokenAsync(CancellationToken ct) => GetAsync(options.Value.ConnectorTokenUrl, ConnectorScope, ct);

    public Task<string> GraphTokenAsync(CancellationToken ct) => GetAsync(options.Value.GraphTokenEndpoint, GraphScope, ct);

    /// <summary>Drops a token the service refused (401), so the next call fetches a new one.</summary>
    public void Invalidate(string scope) => _cache.TryRemove(scope, out _);

    private async Task<string> GetAsync(string tokenUrl, string scope, CancellationToken ct)
    {
        if (Fresh(scope) is { } cached)
        {
            return cached;
        }

        var gate = _locks.GetOrAdd(scope, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (Fresh(scope) is { } again)
            {
                return again;
            }

            var o = options.Value;
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = o.AppId ?? "",
                ["client_secret"] = o.AppPassword ?? "",
                ["scope"] = scope,
            });
            using var response = await http.CreateClient(TeamsHttpClients.Token).PostAsync(new Uri(tokenUrl), form, ct);
            if (!response.IsSuccessStatusCode)
            {
                // The error body can echo request details; only the status and the OAuth error code are kept.
                var error = await ReadErrorCodeAsync(response, ct);
                Log.TokenFailed(logger, scope, (int)response.StatusCode, error);
                var message = $"Token request for {scope} failed: HTTP {(int)response.StatusCode} {error}";
                if ((int)response.StatusCode is 400 or 401)
                {
                    throw new Core.Processing.PermanentChatException(message + " (check Teams:AppId, Teams:AppPassword and the tenant)");
                }

                throw new HttpRequestException(message, null, response.StatusCode);
            }

            var token = await response.Content.ReadFromJsonAsync<TokenResponse>(ct)
                ?? throw new HttpRequestException("The token endpoint returned no token.");
            if (string.IsNullOrEmpty(token.AccessToken))
            {
                throw new HttpRequestException("The token endpoint returned no access_token.");
            }

            var expires = time.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(60, token.ExpiresIn));
            _cache[scope] = (token.AccessToken, expires);
            Log.TokenAcquired(logger, scope, expires);
            return token.AccessToken;
        }
        finally
        {
            gate.Release();
        }
    }

    private string? Fresh(string scope) =>
        _cache.TryGetValue(scope, out var entry) && entry.Expires - Margin > time.GetUtcNow() ? entry.Token : null;

    private static async Task<string> ReadErrorCodeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync<TokenError>(ct);
            return body?.Error ?? "";
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException)
        {
            return "";
        }
    }

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);

    private sealed record TokenError([property: JsonPropertyName("error")] string? Error);
}
