using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Privacy;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.Sandbox.Outbound;

namespace ChatOpsIncident.Sandbox.Inbound;

/// <summary>A channel as the API lists it; incident channels link to their incident page.</summary>
public sealed record ChannelView(string Id, string Name, string Kind, bool Private, string? Topic, Guid? IncidentId, string? Incident, string? IncidentUrl);

/// <summary>
/// Which channels and messages a person may see. Public channels are everyone's. A private incident channel follows
/// the one visibility rule (<see cref="IncidentVisibility"/>): its people see it, and a member of the channel counts as
/// asking from inside it; to anyone else it does not exist. Ephemeral messages are only their recipient's.
/// </summary>
internal sealed class SandboxDirectory(IWorkspaceStore store, IIncidentStore incidents)
{
    public async Task<IReadOnlyList<ChannelView>> ChannelsAsync(string? user, CancellationToken ct)
    {
        var views = new List<ChannelView>();
        foreach (var channel in await store.ChannelsAsync(ct))
        {
            if (await ViewAsync(channel, user, ct) is { } view)
            {
                views.Add(view);
            }
        }

        return views;
    }

    /// <summary>The channel, or null when it does not exist for <paramref name="user"/>.</summary>
    public async Task<WorkspaceChannel?> ChannelAsync(string channelId, string user, CancellationToken ct) =>
        await store.FindChannelAsync(channelId, ct) is { } channel && await ViewAsync(channel, user, ct) is not null ? channel : null;

    /// <summary>The message, or null when it does not exist for <paramref name="user"/> (its channel is hidden, or it is someone else's ephemeral).</summary>
    public async Task<WorkspaceMessage?> MessageAsync(string messageId, string user, CancellationToken ct)
    {
        var message = await store.FindMessageAsync(messageId, ct);
        if (message is null || (message.EphemeralFor is not null && message.EphemeralFor != user))
        {
            return null;
        }

        return await ChannelAsync(message.ChannelId, user, ct) is null ? null : message;
    }

    private async Task<ChannelView?> ViewAsync(WorkspaceChannel channel, string? user, CancellationToken ct)
    {
        var record = channel.IncidentId is { } id ? await incidents.GetForDecisionAsync(id, 0, ct) : null;
        if (channel.IsPrivate)
        {
            if (user is null)
            {
                return null;
            }

            var member = (await store.MembersAsync(channel.Id, ct)).Contains(user);
            var visible = record is null
                ? member
                : IncidentVisibility.CanSee(record, Viewer.ChatUser(SandboxChatPlatform.PlatformName, user, member ? channel.Id : null));
            if (!visible)
            {
                return null;
            }
        }

        var incident = record?.Incident;
        return new ChannelView(channel.Id, channel.Name, channel.Kind, channel.IsPrivate, channel.Topic, incident?.Id, incident?.PublicId,
            incident is null ? null : $"/incidents/{incident.Id}");
    }
}
