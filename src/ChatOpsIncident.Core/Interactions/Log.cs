using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Core;

/// <summary>Interactions and timeline capture (moved here from the Slack adapter, which logged them as 30–33).</summary>
internal static partial class Log
{
    [LoggerMessage(1700, LogLevel.Information, "A declaration repeated {Incident}; finishing that one instead of declaring twice")]
    public static partial void DeclareTwin(ILogger logger, string incident);

    [LoggerMessage(1710, LogLevel.Information, "Captured message {Platform} {ChannelId}/{MessageId} no longer exists; nothing captured")]
    public static partial void CaptureMissing(ILogger logger, string platform, string channelId, string? messageId);

    [LoggerMessage(1711, LogLevel.Information, "Captured message {Platform} {ChannelId}/{MessageId} removed from the timeline")]
    public static partial void CaptureRemoved(ILogger logger, string platform, string channelId, string messageId);

    [LoggerMessage(1712, LogLevel.Information, "Captured message {Platform} {ChannelId}/{MessageId} edited on the timeline")]
    public static partial void CaptureEdited(ILogger logger, string platform, string channelId, string messageId);
}
