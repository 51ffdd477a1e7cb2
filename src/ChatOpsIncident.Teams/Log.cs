using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Teams;

internal static partial class Log
{
    [LoggerMessage(EventId = TeamsEventId.TokenRejected, Level = LogLevel.Warning, Message = "Rejected a Bot Framework token: {Reason}")]
    public static partial void TokenRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = TeamsEventId.TokenForbidden, Level = LogLevel.Warning, Message = "Refused an authenticated activity: {Reason}")]
    public static partial void TokenForbidden(ILogger logger, string reason);

    [LoggerMessage(EventId = TeamsEventId.MetadataUnavailable, Level = LogLevel.Error, Message = "The Bot Framework OpenID metadata or keys could not be loaded")]
    public static partial void MetadataUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = TeamsEventId.TokenFailed, Level = LogLevel.Warning, Message = "Token request for {Scope} failed with HTTP {Status} {Error}")]
    public static partial void TokenFailed(ILogger logger, string scope, int status, string error);

    [LoggerMessage(EventId = TeamsEventId.TokenAcquired, Level = LogLevel.Debug, Message = "Token for {Scope} acquired, valid until {Expires}")]
    public static partial void TokenAcquired(ILogger logger, string scope, DateTimeOffset expires);

    [LoggerMessage(EventId = TeamsEventId.CallFailed, Level = LogLevel.Warning, Message = "{Service} {Method} {Path} answered HTTP {Status} {Code}")]
    public static partial void CallFailed(ILogger logger, string service, string method, string path, int status, string code);

    [LoggerMessage(EventId = TeamsEventId.ChannelNameTaken, Level = LogLevel.Information, Message = "Channel name {Name} is taken by another channel; trying the next suffix for {Incident}")]
    public static partial void ChannelNameTaken(ILogger logger, string name, string incident);

    [LoggerMessage(EventId = TeamsEventId.ChannelCreated, Level = LogLevel.Information, Message = "Created Teams channel {Name} for {Incident}")]
    public static partial void ChannelCreated(ILogger logger, string name, string incident);

    [LoggerMessage(EventId = TeamsEventId.DuplicateActivity, Level = LogLevel.Debug, Message = "Activity {DeliveryId} was delivered before; not stored again")]
    public static partial void DuplicateActivity(ILogger logger, string deliveryId);

    [LoggerMessage(EventId = TeamsEventId.Ignored, Level = LogLevel.Debug, Message = "Ignored a {Type} activity: {Reason}")]
    public static partial void Ignored(ILogger logger, string type, string reason);

    [LoggerMessage(EventId = TeamsEventId.TeamInstalled, Level = LogLevel.Information, Message = "The bot was added to team {Team}")]
    public static partial void TeamInstalled(ILogger logger, string team);

    [LoggerMessage(EventId = TeamsEventId.TeamRemoved, Level = LogLevel.Information, Message = "The bot left team {Team}")]
    public static partial void TeamRemoved(ILogger logger, string team);

    [LoggerMessage(EventId = TeamsEventId.Malformed, Level = LogLevel.Warning, Message = "Rejected a malformed activity body: {Reason}")]
    public static partial void Malformed(ILogger logger, string reason);

    [LoggerMessage(EventId = TeamsEventId.CommandRefusedByTeams, Level = LogLevel.Warning, Message = "A command could not be carried out on Teams: {Reason}")]
    public static partial void CommandRefusedByTeams(ILogger logger, string reason);

    [LoggerMessage(EventId = TeamsEventId.AmbiguousPost, Level = LogLevel.Warning, Message = "Bot Connector POST {Path} got no answer ({Failure}); the message may have been posted, so it is not sent again")]
    public static partial void AmbiguousPost(ILogger logger, string path, string failure);

    [LoggerMessage(EventId = TeamsEventId.ActivityRefused, Level = LogLevel.Warning, Message = "Refused a {Type} activity from tenant '{Tenant}' on channel '{Channel}': {Reason}")]
    public static partial void ActivityRefused(ILogger logger, string type, string tenant, string channel, string reason);

    [LoggerMessage(EventId = TeamsEventId.ServiceUrlRefused, Level = LogLevel.Warning, Message = "Refused to call the Bot Connector at host '{Host}': it is not one of Teams:ServiceUrlHosts, so no token is sent there")]
    public static partial void ServiceUrlRefused(ILogger logger, string host);

    [LoggerMessage(EventId = TeamsEventId.CardActionRefused, Level = LogLevel.Warning, Message = "Refused a card action on incident {Incident} from conversation '{Conversation}': the card was not posted there")]
    public static partial void CardActionRefused(ILogger logger, string incident, string conversation);

    [LoggerMessage(EventId = TeamsEventId.PrivateReplyFallback, Level = LogLevel.Warning, Message = "Could not open a private chat with {User} ({Error}); answering in the conversation {Conversation} instead")]
    public static partial void PrivateReplyFallback(ILogger logger, string user, string error, string conversation);

    [LoggerMessage(EventId = TeamsEventId.ChannelUnknown, Level = LogLevel.Warning, Message = "The {Role} channel {ChannelId} may not get posts: the bot has not seen it (add the bot to its team)")]
    public static partial void ChannelUnknown(ILogger logger, string role, string channelId);

    [LoggerMessage(EventId = TeamsEventId.ChannelCheckFailed, Level = LogLevel.Warning, Message = "Could not check the {Role} channel {ChannelId} at start-up: {Error}")]
    public static partial void ChannelCheckFailed(ILogger logger, string role, string channelId, string error);

    [LoggerMessage(EventId = TeamsEventId.TokenClientCreated, Level = LogLevel.Information, Message = "Teams tokens come from {Authority} with a {Credential} (authority validation {Validation})")]
    public static partial void TokenClientCreated(ILogger logger, string authority, string credential, string validation);
}
