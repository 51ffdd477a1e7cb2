using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatOpsIncident.Slack.Outbound;

/// <summary>Every Web API answer: HTTP 200 with <c>ok</c>; failures carry an <c>error</c> code.</summary>
internal class SlackResponse
{
    public bool Ok { get; set; }
    public string? Error { get; set; }
    public string? Warning { get; set; }
    public string? Needed { get; set; }
    public ResponseMetadata? ResponseMetadata { get; set; }
}

internal sealed class ResponseMetadata
{
    public string? NextCursor { get; set; }
    public List<string>? Messages { get; set; }
    public List<string>? Warnings { get; set; }
}

internal sealed class AuthTestResponse : SlackResponse
{
    public string? Url { get; set; }
    public string? Team { get; set; }
    public string? TeamId { get; set; }
    public string? UserId { get; set; }
    public string? BotId { get; set; }
}

internal sealed class SlackChannel
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Creator { get; set; }
    public bool IsPrivate { get; set; }
    public bool IsArchived { get; set; }
    public bool IsMember { get; set; }
    public SlackText? Purpose { get; set; }
    public SlackText? Topic { get; set; }
}

internal sealed class SlackText
{
    public string? Value { get; set; }
}

internal sealed class ChannelResponse : SlackResponse
{
    public SlackChannel? Channel { get; set; }
}

internal sealed class ChannelListResponse : SlackResponse
{
    public List<SlackChannel> Channels { get; set; } = [];
}

internal sealed class SlackMessageMetadata
{
    public string? EventType { get; set; }
    public JsonElement EventPayload { get; set; }
}

internal sealed class SlackMessage
{
    public string? Type { get; set; }
    public string? Subtype { get; set; }
    public string? User { get; set; }
    public string? BotId { get; set; }
    public string? Username { get; set; }
    public string? Text { get; set; }
    public string Ts { get; set; } = "";
    public string? ThreadTs { get; set; }
    public SlackMessageMetadata? Metadata { get; set; }
}

internal sealed class PostMessageResponse : SlackResponse
{
    public string? Channel { get; set; }
    public string? Ts { get; set; }
    public SlackMessage? Message { get; set; }
}

internal sealed class MessagesResponse : SlackResponse
{
    public List<SlackMessage> Messages { get; set; } = [];
    public bool HasMore { get; set; }
}

internal sealed class PermalinkResponse : SlackResponse
{
    public string? Permalink { get; set; }
}

internal sealed class SlackUser
{
    public string Id { get; set; } = "";
    public string? Name { get; set; }
    public string? RealName { get; set; }
    public SlackUserProfile? Profile { get; set; }
    public bool IsBot { get; set; }

    /// <summary>The user's IANA time zone (<c>America/Los_Angeles</c>), as set in their Slack profile.</summary>
    public string? Tz { get; set; }
}

internal sealed class SlackUserProfile
{
    public string? DisplayName { get; set; }
    public string? RealName { get; set; }
}

internal sealed class UserResponse : SlackResponse
{
    public SlackUser? User { get; set; }
}

internal sealed class SlackView
{
    public string? Id { get; set; }
    public string? Hash { get; set; }
}

internal sealed class ViewResponse : SlackResponse
{
    public SlackView? View { get; set; }
}

internal static class SlackJson
{
    /// <summary>Slack's wire names are snake_case; unknown fields are ignored, so new Slack fields never break parsing.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}
