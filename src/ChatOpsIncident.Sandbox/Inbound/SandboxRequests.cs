using System.Text.Json;

namespace ChatOpsIncident.Sandbox.Inbound;

/// <summary><c>POST /sandbox/api/channels/{id}/messages</c>: text starting with <c>/incident</c> is the slash command.</summary>
public sealed record PostMessageRequest(string? User, string? Text, string? ThreadId = null, string? ClientMessageId = null);

/// <summary><c>POST /sandbox/api/messages/{id}/reactions</c>: an emoji name (pushpin) or its character (📌).</summary>
public sealed record ReactionRequest(string? User, string? Name, string? ClientId = null);

/// <summary><c>POST /sandbox/api/messages/{id}/actions</c>: the button's <c>actionId</c> as the message lists it.</summary>
public sealed record ActionRequest(string? User, string? ActionId, string? ClientId = null);

/// <summary><c>POST /sandbox/api/forms/{id}</c>: the answers by field name (strings; a checkbox may be a boolean).</summary>
public sealed record FormRequest(string? User, Dictionary<string, JsonElement>? Values);

/// <summary>
/// What the API answers once the input is stored: the message it concerns, the inbox delivery id, and whether that
/// delivery had been stored before (a retry; null when the input needed no delivery).
/// </summary>
public sealed record Accepted(string? Id, string? Delivery, bool? Duplicate = null);

public sealed record Problem(string Error, IReadOnlyDictionary<string, string>? Errors = null);
