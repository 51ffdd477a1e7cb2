using ChatOpsIncident.Slack.Inbound;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Slack;

/// <summary>Every log line of the Slack adapter. None carries a token, a signing secret or a response_url.</summary>
internal static partial class Log
{
    // Debug, not Warning: a flood of forged requests must not become a flood of log writes.
    [LoggerMessage(EventId = SlackEventId.SignatureRefused, Level = LogLevel.Debug, Message = "Slack request to {Path} refused: signature {Check}")]
    public static partial void SignatureRefused(ILogger logger, PathString path, SignatureCheck check);

    [LoggerMessage(EventId = SlackEventId.BodyTooLarge, Level = LogLevel.Warning, Message = "Slack request to {Path} refused: body larger than allowed")]
    public static partial void BodyTooLarge(ILogger logger, PathString path);

    [LoggerMessage(EventId = SlackEventId.StoreTimedOut, Level = LogLevel.Error, Message = "Slack delivery ({Kind}) not stored within {Timeout}; answered with a retryable failure")]
    public static partial void StoreTimedOut(ILogger logger, string kind, TimeSpan timeout);

    [LoggerMessage(EventId = SlackEventId.StoreFailed, Level = LogLevel.Error, Message = "Slack delivery could not be stored ({What})")]
    public static partial void StoreFailed(ILogger logger, Exception ex, string what);

    [LoggerMessage(EventId = SlackEventId.AppRateLimited, Level = LogLevel.Warning, Message = "Slack says the app is rate limited (minute {Minute}); events are being dropped")]
    public static partial void AppRateLimited(ILogger logger, string? minute);

    [LoggerMessage(EventId = SlackEventId.FormFailed, Level = LogLevel.Warning, Message = "A Slack modal could not be opened ({Reason})")]
    public static partial void FormFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = SlackEventId.Retrying, Level = LogLevel.Information, Message = "Slack {Method}: retry {Attempt} in {Delay} after {Reason}")]
    public static partial void Retrying(ILogger logger, string method, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(EventId = SlackEventId.CircuitOpened, Level = LogLevel.Warning, Message = "Slack Web API circuit opened for {Duration}")]
    public static partial void CircuitOpened(ILogger logger, TimeSpan duration);

    [LoggerMessage(EventId = SlackEventId.CallFailed, Level = LogLevel.Warning, Message = "Slack {Method} failed: {Error}")]
    public static partial void CallFailed(ILogger logger, string method, string error);

    [LoggerMessage(EventId = SlackEventId.ChannelReused, Level = LogLevel.Information, Message = "Reusing Slack channel {ChannelId} created earlier for {Incident}")]
    public static partial void ChannelReused(ILogger logger, string channelId, string incident);

    [LoggerMessage(EventId = SlackEventId.ChannelNameTaken, Level = LogLevel.Information, Message = "Slack channel name {Name} is taken; trying a suffix")]
    public static partial void ChannelNameTaken(ILogger logger, string name);

    [LoggerMessage(EventId = SlackEventId.InviteRefused, Level = LogLevel.Warning, Message = "Slack refused an invite to {ChannelId}: {Error}")]
    public static partial void InviteRefused(ILogger logger, string channelId, string error);

    [LoggerMessage(EventId = SlackEventId.PostUncertain, Level = LogLevel.Warning, Message = "A post to {ChannelId} may have landed ({Error}); looking for it before posting again")]
    public static partial void PostUncertain(ILogger logger, string channelId, string error);

    [LoggerMessage(EventId = SlackEventId.PermalinkFailed, Level = LogLevel.Information, Message = "No permalink for a message in {ChannelId}: {Error}")]
    public static partial void PermalinkFailed(ILogger logger, string channelId, string error);

    [LoggerMessage(EventId = SlackEventId.UserLookupFailed, Level = LogLevel.Information, Message = "users.info for {UserId} failed: {Error}")]
    public static partial void UserLookupFailed(ILogger logger, string userId, string error);

    [LoggerMessage(EventId = SlackEventId.ResponseUrlFailed, Level = LogLevel.Warning, Message = "Posting to a response_url failed with HTTP {Status}; falling back to an ephemeral message")]
    public static partial void ResponseUrlFailed(ILogger logger, int status);

    [LoggerMessage(EventId = SlackEventId.EphemeralFailed, Level = LogLevel.Warning, Message = "An ephemeral reply in {ChannelId} failed: {Error}")]
    public static partial void EphemeralFailed(ILogger logger, string channelId, string error);

    [LoggerMessage(EventId = SlackEventId.ResponseUrlRefused, Level = LogLevel.Warning, Message = "Did not post to a response_url on host {Host}: it is not under Slack:ResponseUrlPrefixes")]
    public static partial void ResponseUrlRefused(ILogger logger, string host);

    [LoggerMessage(EventId = SlackEventId.TeamRefused, Level = LogLevel.Warning, Message = "Refused a Slack {Kind} from workspace '{Team}': it is not one of Slack:AllowedTeams; nothing was stored")]
    public static partial void TeamRefused(ILogger logger, string kind, string team);

    [LoggerMessage(EventId = SlackEventId.JoinedChannel, Level = LogLevel.Information, Message = "Joined {ChannelId} to post there (the bot was not a member)")]
    public static partial void JoinedChannel(ILogger logger, string channelId);

    [LoggerMessage(EventId = SlackEventId.JoinFailed, Level = LogLevel.Warning, Message = "Could not join {ChannelId}: {Error}")]
    public static partial void JoinFailed(ILogger logger, string channelId, string error);

    [LoggerMessage(EventId = SlackEventId.ChannelCheck, Level = LogLevel.Warning, Message = "The {Role} channel {ChannelId} will not get posts: {Problem}")]
    public static partial void ChannelCheck(ILogger logger, string role, string channelId, string problem);

    [LoggerMessage(EventId = SlackEventId.ChannelCheckFailed, Level = LogLevel.Warning, Message = "Could not check the {Role} channel {ChannelId} at start-up: {Error}")]
    public static partial void ChannelCheckFailed(ILogger logger, string role, string channelId, string error);

    [LoggerMessage(EventId = SlackEventId.UserZoneLookupFailed, Level = LogLevel.Information, Message = "users.info for {UserId}'s time zone failed ({Error}); their times are read in UTC")]
    public static partial void UserZoneLookupFailed(ILogger logger, string userId, string error);

    [LoggerMessage(EventId = SlackEventId.DirectMessageCommand, Level = LogLevel.Debug, Message = "A direct message to the bot read as a command in {ChannelId}")]
    public static partial void DirectMessageCommand(ILogger logger, string channelId);
}
