using System.Text.Json;
using System.Text.Json.Serialization;
using ChatOpsIncident.Core.Chat;

namespace ChatOpsIncident.Sandbox.Rendering;

/// <summary>How the workspace writes the bot's neutral messages, its forms and the JSON API: camelCase, enums by name.</summary>
internal static class SandboxJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Read<T>(string? json) where T : class => json is null ? null : JsonSerializer.Deserialize<T>(json, Options);

    public static ChatMessage? Message(string? body) => Read<ChatMessage>(body);
}
