using System.Text.Json;
using ChatOpsIncident.Teams.Activities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace ChatOpsIncident.Teams.Inbound;

internal enum AuthOutcome
{
    Valid,
    /// <summary>No token, or a token that is not genuine (signature, issuer, audience, lifetime): 401.</summary>
    Unauthenticated,
    /// <summary>A genuine token that does not cover this activity (service URL, channel endorsement): 403.</summary>
    Forbidden,
}

/// <summary>The Bot Connector's signing keys and, per key id, the channels each key is endorsed for.</summary>
internal sealed record BotSigningKeys(IReadOnlyList<SecurityKey> Keys, IReadOnlyDictionary<string, string[]> Endorsements);

/// <summary>Reads the OpenID metadata, then its JWKS, keeping the non-standard <c>endorsements</c> of each key.</summary>
internal sealed class BotSigningKeysRetriever : IConfigurationRetriever<BotSigningKeys>
{
    public async Task<BotSigningKeys> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        using var metadata = JsonDocument.Parse(await retriever.GetDocumentAsync(address, cancel));
        var jwksUri = metadata.RootElement.TryGetProperty("jwks_uri", out var uri) ? uri.GetString() : null;
        if (string.IsNullOrEmpty(jwksUri))
        {
            throw new InvalidOperationException("The OpenID metadata has no jwks_uri.");
        }

        var json = await retriever.GetDocumentAsync(jwksUri, cancel);
        var set = new JsonWebKeySet(json);
        var endorsements = new Dictionary<string, string[]>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(json);
        foreach (var key in doc.RootElement.GetProperty("keys").EnumerateArray())
        {
            if (key.TryGetProperty("kid", out var kid) && kid.GetString() is { } id)
            {
                endorsements[id] = key.TryGetProperty("endorsements", out var e) && e.ValueKind == JsonValueKind.Array
                    ? e.EnumerateArray().Select(x => x.GetString() ?? "").ToArray()
                    : [];
            }
        }

        return new BotSigningKeys(set.GetSigningKeys().ToList(), endorsements);
    }
}

/// <summary>
/// Validates the bearer token the Bot Connector sends with every activity (Bot Framework "Authentication with the
/// Bot Connector API"): RS256 with a published key, issuer, audience = our app id, lifetime with 5 minutes of skew,
/// the <c>serviceurl</c> claim equal to the activity's, and the key endorsed for the activity's channel.
/// </summary>
internal sealed class BotTokenValidator
{
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);
    private readonly ConfigurationManager<BotSigningKeys> _keys;
    private readonly IOptions<TeamsOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BotTokenValidator> _logger;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public BotTokenValidator(IHttpClientFactory http, IOptions<TeamsOptions> options, TimeProvider time, ILogger<BotTokenValidator> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        var address = options.Value.OpenIdMetadataUrl;
        var documents = new HttpDocumentRetriever(http.CreateClient(TeamsHttpClients.OpenId))
        {
            // Production metadata is https; a plain-http URL is only ever configured for a local stand-in.
            RequireHttps = address.StartsWith("https:", StringComparison.OrdinalIgnoreCase),
        };
        _keys = new ConfigurationManager<BotSigningKeys>(address, new BotSigningKeysRetriever(), documents)
        {
            // The protocol asks for a refresh at least every 24 h; keys also refresh when an unknown kid shows up.
            AutomaticRefreshInterval = TimeSpan.FromHours(12),
            RefreshInterval = TimeSpan.FromMinutes(1),
        };
    }

    public async Task<(AuthOutcome Outcome, JsonWebToken? Token)> AuthenticateAsync(string? authorization, CancellationToken ct)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (AuthOutcome.Unauthenticated, null);
        }

        var raw = authorization["Bearer ".Length..].Trim();
        if (!_handler.CanReadToken(raw))
        {
            return (AuthOutcome.Unauthenticated, null);
        }

        var result = await ValidateAsync(raw, ct);
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // Keys roll over: fetch them again once before refusing a token signed with a key we have not seen.
            _keys.RequestRefresh();
            result = await ValidateAsync(raw, ct);
        }

        if (!result.IsValid)
        {
            Log.TokenRejected(_logger, result.Exception?.GetType().Name ?? "invalid");
            return (AuthOutcome.Unauthenticated, null);
        }

        return (AuthOutcome.Valid, (JsonWebToken)result.SecurityToken);
    }

    /// <summary>The checks that need the activity: its service URL and channel must be what the token vouches for.</summary>
    public async Task<AuthOutcome> AuthorizeAsync(JsonWebToken token, Activity activity, CancellationToken ct)
    {
        var claim = token.Claims.FirstOrDefault(c => string.Equals(c.Type, "serviceurl", StringComparison.OrdinalIgnoreCase))?.Value;
        if (claim is null || activity.ServiceUrl is null || !SameServiceUrl(claim, activity.ServiceUrl))
        {
            Log.TokenForbidden(_logger, "serviceurl claim does not match the activity");
            return AuthOutcome.Forbidden;
        }

        var keys = await _keys.GetConfigurationAsync(ct);
        var channel = activity.ChannelId ?? "";
        if (!keys.Endorsements.TryGetValue(token.Kid ?? "", out var endorsed) || !endorsed.Contains(channel, StringComparer.OrdinalIgnoreCase))
        {
            Log.TokenForbidden(_logger, $"signing key not endorsed for channel '{channel}'");
            return AuthOutcome.Forbidden;
        }

        return AuthOutcome.Valid;
    }

    private async Task<TokenValidationResult> ValidateAsync(string raw, CancellationToken ct)
    {
        BotSigningKeys keys;
        try
        {
            keys = await _keys.GetConfigurationAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.MetadataUnavailable(_logger, ex);
            return new TokenValidationResult { IsValid = false, Exception = ex };
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = _options.Value.TokenIssuer,
            ValidAudience = _options.Value.AppId,
            IssuerSigningKeys = keys.Keys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = Skew,
            // The clock comes from TimeProvider (testable, and the codebase never reads the wall clock directly).
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = _time.GetUtcNow().UtcDateTime;
                return expires is { } exp && exp + Skew >= now && (notBefore is not { } nbf || nbf - Skew <= now);
            },
        };
        return await _handler.ValidateTokenAsync(raw, parameters);
    }

    private static bool SameServiceUrl(string a, string b) =>
        string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
}
