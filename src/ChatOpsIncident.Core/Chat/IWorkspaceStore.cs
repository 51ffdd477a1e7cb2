namespace ChatOpsIncident.Core.Chat;

/// <summary>What a workspace channel is for; incident channels are the ones the bot creates.</summary>
public static class WorkspaceChannelKinds
{
    public const string General = "general";
    public const string Feed = "feed";
    public const string Stakeholders = "stakeholders";
    public const string Incident = "incident";
}

/// <summary>A channel of the local workspace.</summary>
public sealed record WorkspaceChannel(string Id, string Name, string Kind, bool IsPrivate, string? Topic, Guid? IncidentId, DateTimeOffset CreatedAt);

/// <summary>A channel someone may see, with what the list shows of its incident (its number, whether it is a drill).</summary>
public sealed record VisibleChannel(WorkspaceChannel Channel, int? IncidentNumber, bool Drill);

public sealed record WorkspaceReaction(string Name, string UserId);

/// <summary>
/// A stored workspace message. <paramref name="Body"/> is the bot's neutral message (JSON) and <paramref name="Form"/> a
/// form waiting for its answer (JSON), both as the adapter wrote them. <paramref name="Revision"/> grows with every
/// change to the message (posted, edited, reacted to), in commit order, so it is a cursor for "what changed since".
/// </summary>
public sealed record WorkspaceMessage(
    string Id,
    long Seq,
    string ChannelId,
    string? ThreadId,
    string UserId,
    string Text,
    string? Body,
    string? Form,
    string? EphemeralFor,
    bool Pinned,
    DateTimeOffset PostedAt,
    DateTimeOffset? EditedAt,
    long Revision)
{
    public IReadOnlyList<WorkspaceReaction> Reactions { get; init; } = [];
}

/// <summary>
/// A message to store. <paramref name="Key"/> makes the post idempotent: the client's message id for a person's
/// message, the outbox key for the bot's; storing the same key again returns the message stored the first time.
/// </summary>
public sealed record NewWorkspaceMessage(string Key, string ChannelId, string UserId, string Text, DateTimeOffset PostedAt)
{
    public string? ThreadId { get; init; }
    public string? Body { get; init; }
    public string? Form { get; init; }
    public string? EphemeralFor { get; init; }
}

/// <summary>
/// The local workspace's state (channels, members, messages, reactions), kept in the incident database so it
/// survives restarts and replicas share it. The sandbox adapter never runs SQL; the store project implements this port.
/// </summary>
public interface IWorkspaceStore
{
    Task<IReadOnlyList<WorkspaceChannel>> ChannelsAsync(CancellationToken ct);

    Task<WorkspaceChannel?> FindChannelAsync(string channelId, CancellationToken ct);

    /// <summary>
    /// The channels <paramref name="viewer"/> may see (all of them, or only <paramref name="channelId"/>), in one query:
    /// public channels are everyone's; a private one is its members' — for an incident channel under the one
    /// visibility rule (<see cref="Privacy.IncidentVisibility"/>: a member asks from inside it; the incident's people
    /// see it wherever they ask). A null viewer sees the public channels only.
    /// </summary>
    Task<IReadOnlyList<VisibleChannel>> VisibleChannelsAsync(string? viewer, string? channelId, CancellationToken ct);

    /// <summary>
    /// The incident's channel: created under <paramref name="name"/>, or the one created for the incident earlier (a
    /// retry). Null when another channel holds the name (the caller tries a suffixed name).
    /// </summary>
    Task<WorkspaceChannel?> CreateIncidentChannelAsync(Guid incidentId, string name, bool isPrivate, CancellationToken ct);

    Task SetTopicAsync(string channelId, string topic, CancellationToken ct);

    /// <summary>Adds members; adding someone again changes nothing.</summary>
    Task AddMembersAsync(string channelId, IReadOnlyCollection<string> userIds, CancellationToken ct);

    Task<IReadOnlySet<string>> MembersAsync(string channelId, CancellationToken ct);

    /// <summary>Whether the workspace already stored a delivery under this id (a client's retry).</summary>
    Task<bool> HasDeliveryAsync(string deliveryId, CancellationToken ct);

    /// <summary>Stores the message, or returns the one stored under the same key before.</summary>
    Task<WorkspaceMessage> PostAsync(NewWorkspaceMessage message, CancellationToken ct);

    /// <summary>Replaces a message's text and body (and clears its form when <paramref name="form"/> is null).</summary>
    Task<bool> UpdateAsync(string messageId, string text, string? body, string? form, DateTimeOffset at, CancellationToken ct);

    Task<bool> PinAsync(string messageId, CancellationToken ct);

    Task<WorkspaceMessage?> FindMessageAsync(string messageId, CancellationToken ct);

    /// <summary>
    /// Messages of the channel changed after <paramref name="afterRevision"/> that <paramref name="viewer"/> may see
    /// (everyone's, and the ephemeral ones meant for them), oldest change first, at most <paramref name="max"/>.
    /// </summary>
    Task<IReadOnlyList<WorkspaceMessage>> MessagesAsync(string channelId, string viewer, long afterRevision, int max, CancellationToken ct);

    /// <summary>Adds or removes one person's reaction; false when that changed nothing (already there, or not there).</summary>
    Task<bool> ReactAsync(string messageId, string userId, string name, bool add, CancellationToken ct);

    Task<bool> HasReactionAsync(string messageId, string userId, string name, CancellationToken ct);
}
