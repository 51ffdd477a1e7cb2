using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Core;

internal static partial class Log
{
    [LoggerMessage(EventId = CoreEventId.Declared, Level = LogLevel.Information, Message = "Declared {Incident} ({Severity}) from {Surface}")]
    public static partial void Declared(ILogger logger, string incident, string severity, string surface);

    [LoggerMessage(EventId = CoreEventId.CommandApplied, Level = LogLevel.Information, Message = "Applied {Command} to {Incident} from {Surface}")]
    public static partial void CommandApplied(ILogger logger, string command, string incident, string surface);

    [LoggerMessage(EventId = CoreEventId.Conflict, Level = LogLevel.Debug, Message = "Version conflict on {Incident} (attempt {Attempt}); reloading")]
    public static partial void Conflict(ILogger logger, string incident, int attempt);

    [LoggerMessage(EventId = CoreEventId.Captured, Level = LogLevel.Information, Message = "Captured a message on {Incident} for {User}")]
    public static partial void Captured(ILogger logger, string incident, string user);

    [LoggerMessage(EventId = CoreEventId.InboxFailed, Level = LogLevel.Warning, Message = "Inbox item {Id} ({Platform}/{Kind}) failed on attempt {Attempt}; retry at {RetryAt}")]
    public static partial void InboxFailed(ILogger logger, Exception exception, long id, string platform, string kind, int attempt, DateTimeOffset retryAt);

    [LoggerMessage(EventId = CoreEventId.InboxDead, Level = LogLevel.Error, Message = "Inbox item {Id} ({Platform}/{Kind}) gave up after {Attempt} attempts")]
    public static partial void InboxDead(ILogger logger, Exception exception, long id, string platform, string kind, int attempt);

    [LoggerMessage(EventId = CoreEventId.OutboxFailed, Level = LogLevel.Warning, Message = "Outbox message {Key} failed on attempt {Attempt}; retry at {RetryAt}")]
    public static partial void OutboxFailed(ILogger logger, Exception exception, string key, int attempt, DateTimeOffset retryAt);

    [LoggerMessage(EventId = CoreEventId.StaleUpdateSkipped, Level = LogLevel.Information, Message = "Outbox update {Key} skipped: it renders version {Version} and version {Sent} of {Target} went out already")]
    public static partial void StaleUpdateSkipped(ILogger logger, string key, int version, int sent, string target);

    [LoggerMessage(EventId = CoreEventId.OutboxDead, Level = LogLevel.Error, Message = "Outbox message {Key} gave up after {Attempt} attempts")]
    public static partial void OutboxDead(ILogger logger, Exception exception, string key, int attempt);

    [LoggerMessage(EventId = CoreEventId.NoHandler, Level = LogLevel.Warning, Message = "No handler for inbox items of platform {Platform}; item {Id} parked")]
    public static partial void NoHandler(ILogger logger, string platform, long id);

    [LoggerMessage(EventId = CoreEventId.LoopFailed, Level = LogLevel.Error, Message = "The {Worker} loop failed; retrying")]
    public static partial void LoopFailed(ILogger logger, Exception exception, string worker);

    [LoggerMessage(EventId = CoreEventId.LeaseRenewFailed, Level = LogLevel.Warning, Message = "Renewing the leases of in-flight items failed; retrying")]
    public static partial void LeaseRenewFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = CoreEventId.LeaseLost, Level = LogLevel.Warning, Message = "Lost the claim on {Queue} item {Id} to another replica; leaving it to the new holder")]
    public static partial void LeaseLost(ILogger logger, string queue, long id);

    [LoggerMessage(EventId = CoreEventId.DeadObserverFailed, Level = LogLevel.Error, Message = "A dead-letter observer failed for {Queue} item {Id}")]
    public static partial void DeadObserverFailed(ILogger logger, Exception exception, string queue, long id);

    [LoggerMessage(EventId = CoreEventId.DeadLetterNotifyFailed, Level = LogLevel.Warning, Message = "Could not tell anyone that {Item} died")]
    public static partial void DeadLetterNotifyFailed(ILogger logger, Exception exception, string item);

    [LoggerMessage(EventId = CoreEventId.ClaimsGivenBack, Level = LogLevel.Information, Message = "Stopping: gave {Count} claimed {Queue} items back")]
    public static partial void ClaimsGivenBack(ILogger logger, int count, string queue);

    [LoggerMessage(EventId = CoreEventId.GiveBackFailed, Level = LogLevel.Warning, Message = "Stopping: could not give {Count} claimed {Queue} items back; they run elsewhere once their lease lapses")]
    public static partial void GiveBackFailed(ILogger logger, Exception exception, int count, string queue);

    [LoggerMessage(EventId = CoreEventId.GroupCommitFailed, Level = LogLevel.Error, Message = "A group commit of {Count} inbound deliveries failed; their requests answer with a retryable failure")]
    public static partial void GroupCommitFailed(ILogger logger, Exception exception, int count);
}
