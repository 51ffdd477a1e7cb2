using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Sandbox;

/// <summary>Every log line of the local workspace.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = SandboxEventId.Enabled, Level = LogLevel.Information, Message = "The local workspace is on at /sandbox (Development only) with {Users} people")]
    public static partial void Enabled(ILogger logger, int users);

    [LoggerMessage(EventId = SandboxEventId.ChannelCreated, Level = LogLevel.Information, Message = "Workspace channel #{Name} ({ChannelId}) opened for {Incident}")]
    public static partial void ChannelCreated(ILogger logger, string name, string channelId, string incident);

    [LoggerMessage(EventId = SandboxEventId.ChannelNameTaken, Level = LogLevel.Debug, Message = "Workspace channel name #{Name} is taken; trying the next")]
    public static partial void ChannelNameTaken(ILogger logger, string name);

    [LoggerMessage(EventId = SandboxEventId.FormOpened, Level = LogLevel.Debug, Message = "Workspace form {Kind} opened for {User}")]
    public static partial void FormOpened(ILogger logger, string kind, string user);

    [LoggerMessage(EventId = SandboxEventId.UnknownButton, Level = LogLevel.Debug, Message = "Workspace button {ActionId} is not one the bot knows")]
    public static partial void UnknownButton(ILogger logger, string actionId);

    [LoggerMessage(EventId = SandboxEventId.DemoSeeded, Level = LogLevel.Information, Message = "Sandbox:Demo: {Count} past incident(s) seeded (none when they were seeded before)")]
    public static partial void DemoSeeded(ILogger logger, int count);

    [LoggerMessage(EventId = SandboxEventId.DemoFailed, Level = LogLevel.Warning, Message = "Sandbox:Demo: seeding the past incidents failed; the workspace runs without them")]
    public static partial void DemoFailed(ILogger logger, Exception exception);
}
