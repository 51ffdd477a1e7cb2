using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Core;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Declared {Incident} ({Severity}) from {Surface}")]
    public static partial void Declared(ILogger logger, string incident, string severity, string surface);

    [LoggerMessage(2, LogLevel.Information, "Applied {Command} to {Incident} from {Surface}")]
    public static partial void CommandApplied(ILogger logger, string command, string incident, string surface);

    [LoggerMessage(3, LogLevel.Debug, "Version conflict on {Incident} (attempt {Attempt}); reloading")]
    public static partial void Conflict(ILogger logger, string incident, int attempt);

    [LoggerMessage(4, LogLevel.Information, "Captured a message on {Incident} for {User}")]
    public static partial void Captured(ILogger logger, string incident, string user);

    [LoggerMessage(10, LogLevel.Warning, "Inbox item {Id} ({Platform}/{Kind}) failed on attempt {Attempt}; retry at {RetryAt}")]
    public static partial void InboxFailed(ILogger logger, Exception exception, long id, string platform, string kind, int attempt, DateTimeOffset retryAt);

    [LoggerMessage(11, LogLevel.Error, "Inbox item {Id} ({Platform}/{Kind}) gave up after {Attempt} attempts")]
    public static partial void InboxDead(ILogger logger, Exception exception, long id, string platform, string kind, int attempt);

    [LoggerMessage(12, LogLevel.Warning, "Outbox message {Key} failed on attempt {Attempt}; retry at {RetryAt}")]
    public static partial void OutboxFailed(ILogger logger, Exception exception, string key, int attempt, DateTimeOffset retryAt);

    [LoggerMessage(13, LogLevel.Error, "Outbox message {Key} gave up after {Attempt} attempts")]
    public static partial void OutboxDead(ILogger logger, Exception exception, string key, int attempt);

    [LoggerMessage(14, LogLevel.Warning, "No handler for inbox items of platform {Platform}; item {Id} parked")]
    public static partial void NoHandler(ILogger logger, string platform, long id);

    [LoggerMessage(15, LogLevel.Error, "The {Worker} loop failed; retrying")]
    public static partial void LoopFailed(ILogger logger, Exception exception, string worker);
}
