using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Privacy;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>
/// Who ran a command, from where. <paramref name="DeliveryId"/> identifies the inbound delivery: a command that
/// runs twice with the same id changes nothing the second time. <paramref name="Viewer"/> is who is asking, for the
/// visibility rule: surfaces that know more than the chat user (the web's admins and sign-in ids) pass it; chat leaves
/// it out and is seen as the actor in <paramref name="ChannelId"/>.
/// </summary>
public sealed record CommandContext(string Platform, string Surface, UserRef Actor, string? ChannelId, string DeliveryId, Viewer? Viewer = null)
{
    public Viewer Asker => Viewer ?? Viewer.ChatUser(Platform, Actor.Id, ChannelId);

    /// <summary>
    /// The incident the person named (<c>status INC-42</c>), or null to act on the incident of <see cref="ChannelId"/>.
    /// Set by every chat adapter from <see cref="ParseResult.Reference"/>; <see cref="IncidentService"/> resolves it, under
    /// the visibility rule, in one place for every platform.
    /// </summary>
    public int? Reference { get; init; }

    /// <summary>
    /// The person's IANA time zone where the platform tells it (Slack <c>users.info</c>, the Teams activity), so a time
    /// without a zone (<c>started 09:12</c>) is read as they meant it; null reads it in UTC.
    /// </summary>
    public string? TimeZone { get; init; }

    /// <summary>True when the command names its incident instead of running in that incident's channel.</summary>
    public bool ByReference => Reference is not null;

    /// <summary>This context with the reference the parser found (none leaves it as it was).</summary>
    public CommandContext Referring(ParseResult parsed) => parsed.Reference is { } n ? this with { Reference = n } : this;
}

/// <summary>The answer to a command; a refused one may list what its gate waits for in <paramref name="Reasons"/>.</summary>
public sealed record CommandResult(ChatMessage? Reply, Incident? Incident = null, IncidentCommand? Form = null, bool Refused = false, IReadOnlyList<string>? Reasons = null)
{
    public static CommandResult Refuse(string text) => new(ChatMessage.Plain(text), Refused: true);

    public static CommandResult Ok(string text, Incident? incident = null) => new(ChatMessage.Plain(text), incident);
}
