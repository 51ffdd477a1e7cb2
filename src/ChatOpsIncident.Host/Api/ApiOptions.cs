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
}

/// <summary>A short admin token can be guessed: refuse it at start-up, naming the key and never the value.</summary>
internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options) =>
        string.IsNullOrEmpty(options.Token) || options.Token.Length >= ApiOptions.MinimumTokenLength
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Api:Token must be at least {ApiOptions.MinimumTokenLength} characters (it is {options.Token.Length}); generate one, e.g. `openssl rand -hex 32`.");
}
