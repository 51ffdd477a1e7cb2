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

/// <summary>Who called the API: the token's name (the audit's actor), its scopes, and what it may see.</summary>
internal sealed record ApiCaller(string Name, IReadOnlySet<string> Scopes)
{
    public static ApiCaller Admin { get; } = new("admin", new HashSet<string>(StringComparer.Ordinal) { ApiScopes.Admin });

    public bool IsAdmin => Scopes.Contains(ApiScopes.Admin);

    /// <summary>Writing implies reading; admin implies everything.</summary>
    public bool Has(string scope) => IsAdmin || Scopes.Contains(scope) || (scope == ApiScopes.IncidentsRead && Scopes.Contains(ApiScopes.IncidentsWrite));

    /// <summary>
    /// The trust rule: an admin token sees every incident; any other token is nobody's person on any incident, so it
    /// sees public incidents only, and a private one is "not found" to it.
    /// </summary>
    public Viewer Viewer => IsAdmin ? Viewer.Admin : new Viewer([], IsAdmin: false);

    /// <summary>The actor in the timeline and the audit (surface <c>api</c>): the token's name, never the token.</summary>
    public UserRef Actor => new($"api:{Name}", Name);
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
            list.Add((hash, new ApiCaller(t.Name, new HashSet<string>(t.Scopes, StringComparer.Ordinal))));
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

    public static bool IsSha256Hex(string text) => text.Length == 64 && text.All(Uri.IsHexDigit);

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
