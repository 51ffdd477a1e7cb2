using ChatOpsIncident.Core.Processing;

namespace ChatOpsIncident.Slack.Outbound;

/// <summary>Slack answered <c>ok:false</c> with an error that will not go away on retry (<c>channel_not_found</c>, <c>invalid_blocks</c>…).</summary>
internal sealed class SlackApiException(string method, string error, string? detail = null)
    : PermanentChatException($"Slack {method} failed: {error}{(detail is null ? "" : $" ({detail})")}")
{
    public string Method { get; } = method;

    public string Error { get; } = error;
}

/// <summary>A failure worth trying again later: rate limited, Slack unavailable, timed out, or the circuit is open.</summary>
internal sealed class SlackTransientException(string method, string error, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception($"Slack {method} failed: {error}", inner)
{
    public string Method { get; } = method;

    public string Error { get; } = error;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>True when the call may have reached Slack and taken effect (timeout, 5xx): a post must not be blindly repeated.</summary>
    public bool MayHaveTakenEffect { get; init; }
}
