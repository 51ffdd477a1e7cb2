using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Api;

public sealed class ApiOptions
{
    public const string SectionName = "Api";

    public const int MinimumTokenLength = 32;

    /// <summary>
    /// The admin token: the JSON API, the pages and the dashboard accept it as <c>Authorization: Bearer &lt;token&gt;</c>
    /// (or the sign-in forms' cookie). Unset outside Development, they are closed unless sign-in (Auth:Authority) is on.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>Scoped API tokens (<c>Api:Tokens:0:Name</c>, <c>…:Token</c> or <c>…:TokenSha256</c>, <c>…:Scopes:0</c>); the API only.</summary>
    public List<ApiTokenOptions> Tokens { get; set; } = [];
}

/// <summary>One scoped token: a CI pipeline, an alert router, a dashboard. Scopes are listed in <see cref="ApiScopes"/>.</summary>
public sealed class ApiTokenOptions
{
    public string Name { get; set; } = "";

    /// <summary>The token itself (at least 32 characters).</summary>
    public string? Token { get; set; }

    /// <summary>Or its SHA-256 as hex, so the configuration need not hold the secret (<c>printf %s "$TOKEN" | sha256sum</c>).</summary>
    public string? TokenSha256 { get; set; }

    public List<string> Scopes { get; set; } = [];

    /// <summary>
    /// Optional: the person the token acts as, a chat user id (<c>U024BE7LH</c>, a Teams <c>29:…</c> id) or
    /// <c>platform:user</c> (<c>slack:U024BE7LH</c>). The token then sees the private incidents that person is part of,
    /// and its writes are that person's (the audit names the user, surface <c>api</c>). Without it the token is nobody's
    /// person on any incident.
    /// </summary>
    public string? User { get; set; }
}

/// <summary>A short admin token can be guessed: refuse it at start-up, naming the key and never the value.</summary>
internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrEmpty(options.Token) && options.Token.Length < ApiOptions.MinimumTokenLength)
        {
            failures.Add($"Api:Token must be at least {ApiOptions.MinimumTokenLength} characters (it is {options.Token.Length}); generate one, e.g. `openssl rand -hex 32`.");
        }

        for (var i = 0; i < options.Tokens.Count; i++)
        {
            var t = options.Tokens[i];
            var key = $"Api:Tokens:{i}";
            if (string.IsNullOrWhiteSpace(t.Name))
            {
                failures.Add($"{key}:Name is required (it names the caller in the audit).");
            }

            if (string.IsNullOrEmpty(t.Token) == string.IsNullOrEmpty(t.TokenSha256))
            {
                failures.Add($"{key} needs exactly one of Token or TokenSha256.");
            }
            else if (t.Token is { Length: > 0 and < ApiOptions.MinimumTokenLength })
            {
                failures.Add($"{key}:Token must be at least {ApiOptions.MinimumTokenLength} characters; generate one, e.g. `openssl rand -hex 32`.");
            }
            else if (t.TokenSha256 is { Length: > 0 } hash && !ApiTokens.IsSha256Hex(hash))
            {
                failures.Add($"{key}:TokenSha256 must be 64 hex digits (a SHA-256).");
            }

            if (t.User is { } user && ApiUser.Parse(user) is null)
            {
                failures.Add($"{key}:User must be a chat user id or platform:user (e.g. U024BE7LH or slack:U024BE7LH), without spaces.");
            }

            if (t.Scopes.Count == 0 || t.Scopes.Any(s => !ApiScopes.All.Contains(s)))
            {
                failures.Add($"{key}:Scopes must list one or more of {string.Join(", ", ApiScopes.All)}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
