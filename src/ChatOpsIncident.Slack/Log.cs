using ChatOpsIncident.Slack.Inbound;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Slack;

/// <summary>Every log line of the Slack adapter. None carries a token, a signing secret or a response_url.</summary>
internal static partial class Log
{
    // Debug, not Warning: a flood of forged requests must not become a flood of log writes.
    [LoggerMessage(1, LogLevel.Debug, "Slack request to {Path} refused: signature {Check}")]
    public static partial void SignatureRefused(ILogger logger, PathString path, SignatureCheck check);

    [LoggerMessage(2, LogLevel.Warning, "Slack request to {Path} refused: body larger than allowed")]
    public static partial void BodyTooLarge(ILogger logger, PathString path);

    [LoggerMessage(3, LogLevel.Error, "Slack delivery ({Kind}) not stored within {Timeout}; answered with a retryable failure")]
    public static partial void StoreTimedOut(ILogger logger, string kind, TimeSpan timeout);

    [LoggerMessage(4, LogLevel.Error, "Slack delivery could not be stored ({What})")]
    public static partial void StoreFailed(ILogger logger, Exception ex, string what);

    [LoggerMessage(5, LogLevel.Warning, "Slack says the app is rate limited (minute {Minute}); events are being dropped")]
    public static partial void AppRateLimited(ILogger logger, string? minute);

    [LoggerMessage(6, LogLevel.Warning, "A Slack modal could not be opened ({Reason})")]
    public static partial void FormFailed(ILogger logger, string reason);

    [LoggerMessage(10, LogLevel.Information, "Slack {Method}: retry {Attempt} in {Delay} after {Reason}")]
    public static partial void Retrying(ILogger logger, string method, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(11, LogLevel.Warning, "Slack Web API circuit opened for {Duration}")]
    public static partial void CircuitOpened(ILogger logger, TimeSpan duration);

    [LoggerMessage(12, LogLevel.Warning, "Slack {Method} failed: {Error}")]
    public static partial void CallFailed(ILogger logger, string method, string error);

    [LoggerMessage(20, LogLevel.Information, "Reusing Slack channel {ChannelId} created earlier for {Incident}")]
    public static partial void ChannelReused(ILogger logger, string channelId, string incident);

    [LoggerMessage(21, LogLevel.Information, "Slack channel name {Name} is taken; trying a suffix")]
    public static partial void ChannelNameTaken(ILogger logger, string name);

    [LoggerMessage(22, LogLevel.Warning, "Slack refused an invite to {ChannelId}: {Error}")]
    public static partial void InviteRefused(ILogger logger, string channelId, string error);

    [LoggerMessage(23, LogLevel.Warning, "A post to {ChannelId} may have landed ({Error}); looking for it before posting again")]
    public static partial void PostUncertain(ILogger logger, string channelId, string error);

    [LoggerMessage(24, LogLevel.Information, "No permalink for a message in {ChannelId}: {Error}")]
    public static partial void PermalinkFailed(ILogger logger, string channelId, string error);

    [LoggerMessage(25, LogLevel.Information, "users.info for {UserId} failed: {Error}")]
    public static partial void UserLookupFailed(ILogger logger, string userId, string error);

    [LoggerMessage(26, LogLevel.Warning, "Posting to a response_url failed with HTTP {Status}; falling back to an ephemeral message")]
    public static partial void ResponseUrlFailed(ILogger logger, int status);

    [LoggerMessage(27, LogLevel.Warning, "An ephemeral reply in {ChannelId} failed: {Error}")]
    public static partial void EphemeralFailed(ILogger logger, string channelId, string error);
}
