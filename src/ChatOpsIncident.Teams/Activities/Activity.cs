using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatOpsIncident.Teams.Activities;

/// <summary>The parts of a Bot Framework Activity the adapter reads (inbound) or writes (outbound).</summary>
internal sealed record Activity
{
    public string? Type { get; init; }
    public string? Id { get; init; }
    public string? Name { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
    public string? ServiceUrl { get; init; }
    public string? ChannelId { get; init; }
    public ChannelAccount? From { get; init; }
    public ConversationAccount? Conversation { get; init; }
    public ChannelAccount? Recipient { get; init; }
    public string? Text { get; init; }
    public string? TextFormat { get; init; }
    public string? ReplyToId { get; init; }
    public TeamsChannelData? ChannelData { get; init; }
    public List<Entity>? Entities { get; init; }
    public List<ChannelAccount>? MembersAdded { get; init; }
    public List<ChannelAccount>? MembersRemoved { get; init; }
    public List<MessageReaction>? ReactionsAdded { get; init; }
    public List<MessageReaction>? ReactionsRemoved { get; init; }
    public string? Action { get; init; }
    public JsonElement? Value { get; init; }

    /// <summary>The sender's IANA time zone as the Bot Framework carries it (<c>localTimezone</c>), when the client sent it.</summary>
    public string? LocalTimezone { get; init; }

    /// <summary>
    /// The sender's time zone: the activity's <c>localTimezone</c>, else the <c>timezone</c> of its <c>clientInfo</c>
    /// entity (what the Teams clients send); null when neither is there (times are then read in UTC).
    /// </summary>
    [JsonIgnore]
    public string? SenderTimeZone => LocalTimezone is { Length: > 0 } zone
        ? zone
        : Entities?.FirstOrDefault(e => e.Type == "clientInfo" && !string.IsNullOrWhiteSpace(e.Timezone))?.Timezone;

    /// <summary>The Teams channel (19:…@thread.tacv2) for channel conversations, else the conversation id itself.</summary>
    [JsonIgnore]
    public string? ChannelKey => ChannelData?.Channel?.Id is { Length: > 0 } channel
        ? channel
        : Conversations.RootOf(Conversation?.Id);

    [JsonIgnore]
    public string? TenantId => ChannelData?.Tenant?.Id ?? Conversation?.TenantId;

    [JsonIgnore]
    public bool IsFromBotItself => From?.Id is { } f && Recipient?.Id is { } r && f == r;
}

internal sealed record ChannelAccount
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? AadObjectId { get; init; }
}

internal sealed record ConversationAccount
{
    public string? Id { get; init; }
    public string? ConversationType { get; init; }
    public bool? IsGroup { get; init; }
    public string? TenantId { get; init; }
    public string? Name { get; init; }
}

internal sealed record TeamsChannelData
{
    public IdName? Tenant { get; init; }
    public TeamInfo? Team { get; init; }
    public IdName? Channel { get; init; }
    public string? EventType { get; init; }
    public ChannelSettings? Settings { get; init; }
}

internal sealed record IdName
{
    public string? Id { get; init; }
    public string? Name { get; init; }
}

internal sealed record TeamInfo
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? AadGroupId { get; init; }
}

internal sealed record ChannelSettings
{
    public IdName? SelectedChannel { get; init; }
}

internal sealed record Entity
{
    public string? Type { get; init; }
    public ChannelAccount? Mentioned { get; init; }
    public string? Text { get; init; }

    /// <summary>A <c>clientInfo</c> entity's IANA time zone.</summary>
    public string? Timezone { get; init; }
}

internal sealed record MessageReaction
{
    public string? Type { get; init; }
}

/// <summary>The value of a <c>composeExtension/submitAction</c> invoke (a message action).</summary>
internal sealed record MessagingExtensionAction
{
    public string? CommandId { get; init; }
    public string? CommandContext { get; init; }
    public JsonElement? Data { get; init; }
    public MessageActionsPayload? MessagePayload { get; init; }
}

internal sealed record MessageActionsPayload
{
    public string? Id { get; init; }
    public string? ReplyToId { get; init; }
    public DateTimeOffset? CreatedDateTime { get; init; }
    public string? LinkToMessage { get; init; }
    public MessagePayloadFrom? From { get; init; }
    public MessagePayloadBody? Body { get; init; }
}

internal sealed record MessagePayloadFrom
{
    public MessagePayloadUser? User { get; init; }
    public MessagePayloadUser? Application { get; init; }
}

internal sealed record MessagePayloadUser
{
    public string? Id { get; init; }
    public string? DisplayName { get; init; }
}

internal sealed record MessagePayloadBody
{
    public string? ContentType { get; init; }
    public string? Content { get; init; }
}

internal static class ActivityTypes
{
    public const string Message = "message";
    public const string ConversationUpdate = "conversationUpdate";
    public const string MessageReaction = "messageReaction";
    public const string InstallationUpdate = "installationUpdate";
    public const string Invoke = "invoke";
}

internal static class InvokeNames
{
    public const string AdaptiveCardAction = "adaptiveCard/action";
    public const string SubmitAction = "composeExtension/submitAction";
    public const string FetchTask = "composeExtension/fetchTask";
}

internal static class TeamsJson
{
    /// <summary>camelCase out, case-insensitive in, nulls left out (the Connector rejects some explicit nulls).</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static Activity Parse(string body) =>
        JsonSerializer.Deserialize<Activity>(body, Options) ?? throw new JsonException("The body is not an activity.");
}

internal static class Conversations
{
    private const string MessageIdMarker = ";messageid=";

    /// <summary>The conversation id without a reply-chain suffix (<c>19:…@thread.tacv2;messageid=123</c> → <c>19:…@thread.tacv2</c>).</summary>
    public static string? RootOf(string? conversationId)
    {
        if (conversationId is null)
        {
            return null;
        }

        var at = conversationId.IndexOf(MessageIdMarker, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? conversationId : conversationId[..at];
    }

    /// <summary>The reply chain (thread) of a root message in a channel.</summary>
    public static string Thread(string channelId, string rootMessageId) => $"{RootOf(channelId)}{MessageIdMarker}{rootMessageId}";

    public static bool IsThread(string conversationId) => conversationId.Contains(MessageIdMarker, StringComparison.OrdinalIgnoreCase);

    /// <summary>Team channels: new posts start a new conversation (thread) there; chats are posted to directly.</summary>
    public static bool IsChannel(string conversationId) =>
        !IsThread(conversationId)
        && conversationId.StartsWith("19:", StringComparison.Ordinal)
        && (conversationId.EndsWith("@thread.tacv2", StringComparison.OrdinalIgnoreCase) || conversationId.EndsWith("@thread.skype", StringComparison.OrdinalIgnoreCase));
}
