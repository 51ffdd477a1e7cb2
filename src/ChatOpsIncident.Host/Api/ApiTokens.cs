using System.Security.Cryptography;
using System.Text;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Privacy;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Api;

/// <summary>The scopes a token can hold; <see cref="Admin"/> holds them all and sees private incidents.</summary>
public static class ApiScopes
{
    public const string IncidentsRead = "incidents:read";
    public const string IncidentsWrite = "incidents:write";
    public const string AlertsWrite = "alerts:write";
    public const string ChangesWrite = "changes:write";
    public const string Admin = "admin";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { IncidentsRead, IncidentsWrite, AlertsWrite, ChangesWrite, Admin };
}

/// <summary>The scope an endpoint needs, as endpoint metadata that <see cref="ApiTokenFilter"/> checks.</summary>
internal sealed record RequiresScope(string Scope);

/// <summary>The person a token acts as (<c>Api:Tokens:n:User</c>): a chat user id, and the platform when it was named.</summary>
internal sealed record ApiUser(string Id, string? Platform)
{
    /// <summary>The platforms a <c>platform:user</c> prefix may name; anything else is part of the id (Teams ids hold colons).</summary>
    private static readonly string[] Platforms = ["slack", "teams", "sandbox"];

    public static ApiUser? Parse(string text)
    {
        var value = text.Trim();
        if (value.Length == 0 || value.Any(char.IsWhiteSpace))
        {
            return null;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && Platforms.FirstOrDefault(p => string.Equals(p, value[..colon], StringComparison.OrdinalIgnoreCase)) is { } platform)
        {
            var id = value[(colon + 1)..];
            return id.Length == 0 ? null : new ApiUser(id, platform);
        }

        return new ApiUser(value, null);
    }
}

/// <summary>Who called the API: the token's name, its scopes, the person it acts as (if any), and what it may see.</summary>
internal sealed record ApiCaller(string Name, IReadOnlySet<string> Scopes, ApiUser? User = null)
{
    public static ApiCaller Admin { get; } = new("admin", new HashSet<string>(StringComparer.Ordinal) { ApiScopes.Admin });

    public bool IsAdmin => Scopes.Contains(ApiScopes.Admin);

    /// <summary>Writing implies reading; admin implies everything.</summary>
    public bool Has(string scope) => IsAdmin || Scopes.Contains(scope) || (scope == ApiScopes.IncidentsRead && Scopes.Contains(ApiScopes.IncidentsWrite));

    /// <summary>
    /// The trust rule: an admin token sees every incident. Any other token sees what its person (<see cref="User"/>)
    /// would: public incidents and the private ones that person is part of; a token without a person is nobody's
    /// person on any incident, so it sees public incidents only, and a private one is "not found" to it.
    /// </summary>
    public Viewer Viewer => IsAdmin ? Viewer.Admin : new Viewer(User is { } user ? [user.Id] : [], IsAdmin: false, User?.Platform);

    /// <summary>
    /// The actor in the timeline and the audit (surface <c>api</c>): the token's person when it has one (the audit
    /// says who, the surface says how), else the token's name, never the token.
    /// </summary>
    public UserRef Actor => User is { } user ? new(user.Id) : new($"api:{Name}", Name);
}

/// <summary>Matches a presented bearer token against <c>Api:Token</c> and <c>Api:Tokens</c>, in constant time.</summary>
internal sealed class ApiTokens
{
    private readonly IReadOnlyList<(byte[] Hash, ApiCaller Caller)> _tokens;

    public ApiTokens(IOptions<ApiOptions> options)
    {
        var list = new List<(byte[], ApiCaller)>();
        if (options.Value.Token is { Length: > 0 } admin)
        {
            list.Add((Hash(admin), ApiCaller.Admin));
        }

        foreach (var t in options.Value.Tokens)
        {
            var hash = t.Token is { Length: > 0 } token ? Hash(token) : Convert.FromHexString(t.TokenSha256!);
            var user = t.User is { } u ? ApiUser.Parse(u) : null;
            list.Add((hash, new ApiCaller(t.Name, new HashSet<string>(t.Scopes, StringComparer.Ordinal), user)));
        }

        _tokens = list;
    }

    public bool Any => _tokens.Count > 0;

    /// <summary>
    /// The caller whose token this is, or null. Every configured token is compared (hashes of equal length, fixed
    /// time), so neither the length nor the position of a match shows in the timing.
    /// </summary>
    public ApiCaller? Find(string presented)
    {
        var hash = Hash(presented);
        ApiCaller? found = null;
        foreach (var (expected, caller) in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                found ??= caller;
            }
        }

        return found;
    }

    /// <summary>
    /// The request's bearer token is a configured one holding <paramref name="scope"/> (admin holds every scope). For
    /// surfaces outside <c>/api</c> that accept a scoped token besides their own secret (the alert intake).
    /// </summary>
    public bool Grants(HttpRequest request, string scope)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && header["Bearer ".Length..].Trim() is { Length: > 0 } presented
            && Find(presented) is { } caller
            && caller.Has(scope);
    }

    public static bool IsSha256Hex(string text) => text.Length == 64 && text.All(Uri.IsHexDigit);

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
