using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>
/// Who ran a command, from where. <paramref name="DeliveryId"/> identifies the inbound delivery: a command that
/// runs twice with the same id changes nothing the second time.
/// </summary>
public sealed record CommandContext(string Platform, string Surface, UserRef Actor, string? ChannelId, string DeliveryId);

public sealed record CommandResult(ChatMessage? Reply, Incident? Incident = null, IncidentCommand? Form = null, bool Refused = false)
{
    public static CommandResult Refuse(string text) => new(ChatMessage.Plain(text), Refused: true);

    public static CommandResult Ok(string text, Incident? incident = null) => new(ChatMessage.Plain(text), incident);
}
