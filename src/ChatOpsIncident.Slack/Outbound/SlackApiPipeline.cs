using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace ChatOpsIncident.Slack.Outbound;

/// <summary>One HTTP attempt against the Web API: status, Retry-After, raw body and the parsed envelope.</summary>
internal sealed record ApiOutcome(HttpStatusCode Status, TimeSpan? RetryAfter, string Body, SlackResponse? Envelope)
{
    /// <summary>Errors Slack documents as transient ("try again").</summary>
    public static readonly HashSet<string> TransientErrors = new(StringComparer.Ordinal)
    {
        "internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited", "rate_limited",
    };

    public bool RateLimited => Status == HttpStatusCode.TooManyRequests || Envelope?.Error is "ratelimited" or "rate_limited";

    public bool ServerFailure => (int)Status >= 500 || (Envelope is { Ok: false, Error: { } e } && TransientErrors.Contains(e) && !RateLimited);
}

/// <summary>
/// The Polly pipeline every Web API call goes through: Slack's Retry-After on 429, jittered retries on transient
/// failures (only for calls safe to repeat), a circuit breaker shared by all calls, and a per-attempt timeout.
/// </summary>
internal sealed partial class SlackApiPipeline
{
    /// <summary>False for calls that may have taken effect when they fail ambiguously (chat.postMessage).</summary>
    public static readonly ResiliencePropertyKey<bool> SafeToRetry = new("slack.safe-to-retry");
    public static readonly ResiliencePropertyKey<string> Method = new("slack.method");

    public SlackApiPipeline(IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackApiPipeline> logger)
    {
        var http = options.Value.Http;
        Pipeline = new ResiliencePipelineBuilder<ApiOutcome> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<ApiOutcome>
            {
                MaxRetryAttempts = Math.Max(1, http.MaxRetries),
                Delay = http.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxDelay = http.MaxRetryAfter,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, http)),
                // Slack says how long to wait on 429; honour it exactly instead of guessing.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { RateLimited: true, RetryAfter: { } after } ? after : (TimeSpan?)null),
                OnRetry = args =>
                {
                    Log.Retrying(logger, args.Context.Properties.GetValue(Method, "?"), args.AttemptNumber + 1, args.RetryDelay,
                        args.Outcome.Exception?.GetType().Name ?? Describe(args.Outcome.Result));
                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<ApiOutcome>
            {
                FailureRatio = http.BreakerFailureRatio,
                MinimumThroughput = Math.Max(2, http.BreakerMinimumThroughput),
                SamplingDuration = http.BreakerSamplingDuration,
                BreakDuration = http.BreakerBreakDuration,
                // 429 is Slack pacing us, not Slack failing: it never opens the circuit.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is HttpRequestException or TimeoutRejectedException
                    || args.Outcome.Result is { ServerFailure: true }),
                OnOpened = args =>
                {
                    Log.CircuitOpened(logger, args.BreakDuration);
                    return default;
                },
            })
            .AddTimeout(http.AttemptTimeout)
            .Build();
    }

    public ResiliencePipeline<ApiOutcome> Pipeline { get; }

    private static bool ShouldRetry(Outcome<ApiOutcome> outcome, ResilienceContext context, SlackHttpOptions http)
    {
        var safe = context.Properties.GetValue(SafeToRetry, true);
        if (outcome.Result is { } r)
        {
            if (r.RateLimited)
            {
                // A 429 means the call did not happen, so even a post is safe to repeat — within reason.
                return r.RetryAfter is null || r.RetryAfter <= http.MaxRetryAfter;
            }

            return safe && r.ServerFailure;
        }

        return safe && outcome.Exception is HttpRequestException or TimeoutRejectedException;
    }

    private static string Describe(ApiOutcome? r) =>
        r is null ? "?" : r.Envelope?.Error ?? ((int)r.Status).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
