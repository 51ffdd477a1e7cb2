using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Teams;

internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Warning, "Rejected a Bot Framework token: {Reason}")]
    public static partial void TokenRejected(ILogger logger, string reason);

    [LoggerMessage(101, LogLevel.Warning, "Refused an authenticated activity: {Reason}")]
    public static partial void TokenForbidden(ILogger logger, string reason);

    [LoggerMessage(102, LogLevel.Error, "The Bot Framework OpenID metadata or keys could not be loaded")]
    public static partial void MetadataUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(103, LogLevel.Warning, "Token request for {Scope} failed with HTTP {Status} {Error}")]
    public static partial void TokenFailed(ILogger logger, string scope, int status, string error);

    [LoggerMessage(104, LogLevel.Debug, "Token for {Scope} acquired, valid until {Expires}")]
    public static partial void TokenAcquired(ILogger logger, string scope, DateTimeOffset expires);

    [LoggerMessage(105, LogLevel.Warning, "{Service} {Method} {Path} answered HTTP {Status} {Code}")]
    public static partial void CallFailed(ILogger logger, string service, string method, string path, int status, string code);

    [LoggerMessage(106, LogLevel.Information, "Channel name {Name} is taken by another channel; trying the next suffix for {Incident}")]
    public static partial void ChannelNameTaken(ILogger logger, string name, string incident);

    [LoggerMessage(107, LogLevel.Information, "Created Teams channel {Name} for {Incident}")]
    public static partial void ChannelCreated(ILogger logger, string name, string incident);

    [LoggerMessage(108, LogLevel.Debug, "Activity {DeliveryId} was delivered before; not stored again")]
    public static partial void DuplicateActivity(ILogger logger, string deliveryId);

    [LoggerMessage(109, LogLevel.Debug, "Ignored a {Type} activity: {Reason}")]
    public static partial void Ignored(ILogger logger, string type, string reason);

    [LoggerMessage(110, LogLevel.Information, "The bot was added to team {Team}")]
    public static partial void TeamInstalled(ILogger logger, string team);

    [LoggerMessage(111, LogLevel.Information, "The bot left team {Team}")]
    public static partial void TeamRemoved(ILogger logger, string team);

    [LoggerMessage(112, LogLevel.Warning, "Rejected a malformed activity body: {Reason}")]
    public static partial void Malformed(ILogger logger, string reason);

    [LoggerMessage(113, LogLevel.Warning, "A command could not be carried out on Teams: {Reason}")]
    public static partial void CommandRefusedByTeams(ILogger logger, string reason);

    [LoggerMessage(114, LogLevel.Warning, "Bot Connector POST {Path} got no answer ({Failure}); the message may have been posted, so it is not sent again")]
    public static partial void AmbiguousPost(ILogger logger, string path, string failure);
}
