namespace ChatOpsIncident.Core.Chat;

/// <summary>How to reach a channel or chat proactively: the platform's service endpoint for it and where it lives.</summary>
public sealed record ConversationReference(
    string ChannelId,
    string ServiceUrl,
    string? TenantId,
    string? TeamId,
    string? AadGroupId,
    string? Kind,
    string? Name);

/// <summary>A team (workspace) the bot was added to; incident channels are created in one of them.</summary>
public sealed record TeamInstallation(string TeamId, string? AadGroupId, string? Name, string? TenantId, string ServiceUrl);

/// <summary>The channel reserved for an incident: the name before the platform call, the id once it answered.</summary>
public sealed record IncidentChannel(Guid IncidentId, string AadGroupId, string DisplayName, string? ChannelId, string? WebUrl);

/// <summary>
/// A message the bot posted, kept because reactions arrive with only its id and updates need its thread. The incident it
/// is about (null for replies about none) decides which incident a click on it may act on.
/// </summary>
public sealed record SentMessage(string ChannelId, string MessageId, string ConversationId, string Text, DateTimeOffset PostedAt, Guid? IncidentId = null);

/// <summary>
/// Conversation state an adapter keeps for a platform that cannot be asked later: service URLs per conversation,
/// installations, channel reservations and posted message ids. The adapter never runs SQL; the store project
/// implements this port.
/// </summary>
public interface IConversationStore
{
    /// <summary>Inserts or refreshes the reference; a later activity that knows less never overwrites a known value with null.</summary>
    Task UpsertConversationAsync(ConversationReference reference, CancellationToken ct);

    Task<ConversationReference?> FindConversationAsync(string channelId, CancellationToken ct);

    /// <summary>Records (or re-records after a removal) an installation.</summary>
    Task UpsertInstallationAsync(TeamInstallation installation, CancellationToken ct);

    Task MarkInstallationRemovedAsync(string teamId, CancellationToken ct);

    /// <summary>The current installations, newest first.</summary>
    Task<IReadOnlyList<TeamInstallation>> InstallationsAsync(CancellationToken ct);

    /// <summary>Reserves the channel name for the incident, or returns the reservation made by an earlier attempt.</summary>
    Task<IncidentChannel> ReserveChannelAsync(Guid incidentId, string aadGroupId, string displayName, CancellationToken ct);

    /// <summary>Changes the reserved name while no channel has been recorded for it.</summary>
    Task RenameReservationAsync(Guid incidentId, string displayName, CancellationToken ct);

    Task RecordChannelAsync(Guid incidentId, string channelId, string displayName, string? webUrl, CancellationToken ct);

    /// <summary>Records a posted message; recording it again replaces its text (an update).</summary>
    Task RecordMessageAsync(SentMessage message, CancellationToken ct);

    Task<SentMessage?> FindMessageAsync(string channelId, string messageId, CancellationToken ct);
}
