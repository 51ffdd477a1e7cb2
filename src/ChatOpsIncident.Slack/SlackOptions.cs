using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Slack;

/// <summary>The <c>Slack</c> section. The adapter is on when <see cref="BotToken"/> is set.</summary>
public sealed class SlackOptions
{
    public const string SectionName = "Slack";

    /// <summary>Signs every inbound request; the host refuses to start with a bot token but no secret.</summary>
    [Required(ErrorMessage = "Slack:SigningSecret is required when Slack:BotToken is set (it verifies every request from Slack).")]
    public string SigningSecret { get; set; } = "";

    [Required(ErrorMessage = "Slack:BotToken is required when Slack:SigningSecret is set (the bot calls the Slack Web API with it).")]
    public string BotToken { get; set; } = "";

    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>Channel id where declarations are announced (never for private incidents).</summary>
    public string? FeedChannel { get; set; }

    /// <summary>The reaction that puts a message on the timeline.</summary>
    public string TimelineEmoji { get; set; } = "pushpin";

    /// <summary>The reaction the bot adds to a captured message.</summary>
    public string CaptureAckEmoji { get; set; } = "white_check_mark";

    /// <summary>How long a request may wait for PostgreSQL before it is refused (5xx / "try again"), well inside Slack's 3 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:03", MinimumIsExclusive = true, MaximumIsExclusive = true,
        ErrorMessage = "Slack:AckTimeout must be positive and under 00:00:03 (Slack's acknowledgement window).")]
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest accepted request body.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Workspace ids (T…) whose requests are served; empty = any workspace that can reach the signed endpoints (a
    /// single-workspace app). A distributed or Enterprise Grid app lists its workspaces so no other one can act here.
    /// </summary>
    public List<string> AllowedTeams { get; set; } = [];

    /// <summary>
    /// The only URL prefixes a <c>response_url</c> is posted to. The URL arrives in a request body: a forged one must not
    /// make the bot post (and leak an answer) to an arbitrary host.
    /// </summary>
    public List<string> ResponseUrlPrefixes { get; set; } = [];

    internal static readonly string[] DefaultResponseUrlPrefixes = ["https://hooks.slack.com/"];

    internal IReadOnlyList<string> ResponseUrlAllowList => ResponseUrlPrefixes.Count > 0 ? ResponseUrlPrefixes : DefaultResponseUrlPrefixes;

    internal bool AllowsTeam(string? teamId) =>
        AllowedTeams.Count == 0 || (teamId is { Length: > 0 } && AllowedTeams.Contains(teamId, StringComparer.Ordinal));

    /// <summary>Web API call behaviour (retries, breaker, pacing).</summary>
    public SlackHttpOptions Http { get; set; } = new();

    public override string ToString() => $"SlackOptions(ApiBaseUrl={ApiBaseUrl}, FeedChannel={FeedChannel}, BotToken=***, SigningSecret=***)";
}

public sealed class SlackHttpOptions
{
    /// <summary>One attempt's timeout.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public int MaxRetries { get; set; } = 4;

    /// <summary>First retry delay; later ones grow exponentially with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A Retry-After longer than this is not waited for inside one call; the caller (outbox) retries later.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    public double BreakerFailureRatio { get; set; } = 0.5;

    public int BreakerMinimumThroughput { get; set; } = 10;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>chat.postMessage pacing per channel: one per interval, with a small burst allowance.</summary>
    public TimeSpan PostInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int PostBurst { get; set; } = 3;
}

/// <summary>The rules no attribute expresses; runs on start with the DataAnnotations.</summary>
internal sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options) =>
        options.ApiBaseUrl is { IsAbsoluteUri: true, Scheme: "https" or "http" }
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Slack:ApiBaseUrl must be an absolute http(s) URL, e.g. https://slack.com/api/.");
}
