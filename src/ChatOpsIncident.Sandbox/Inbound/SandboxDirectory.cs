using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Privacy;

namespace ChatOpsIncident.Sandbox.Inbound;

/// <summary>A channel as the API lists it; incident channels link to their incident page and say when they are a drill.</summary>
public sealed record ChannelView(string Id, string Name, string Kind, bool Private, string? Topic, Guid? IncidentId, string? Incident, string? IncidentUrl, bool Drill = false);

/// <summary>
/// Which channels and messages a person may see. Public channels are everyone's. A private incident channel follows
/// the one visibility rule (<see cref="IncidentVisibility"/>): its people see it, and a member of the channel counts as
/// asking from inside it; to anyone else it does not exist. Ephemeral messages are only their recipient's. The store
/// applies the rule in one query (the page polls the channel list every few seconds: no load per channel).
/// </summary>
internal sealed class SandboxDirectory(IWorkspaceStore store)
{
    public async Task<IReadOnlyList<ChannelView>> ChannelsAsync(string? user, CancellationToken ct) =>
        (await store.VisibleChannelsAsync(user, null, ct)).Select(View).ToList();

    /// <summary>The channel, or null when it does not exist for <paramref name="user"/>.</summary>
    public async Task<WorkspaceChannel?> ChannelAsync(string channelId, string user, CancellationToken ct) =>
        (await store.VisibleChannelsAsync(user, channelId, ct)) is [var visible] ? visible.Channel : null;

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

    private static ChannelView View(VisibleChannel v)
    {
        var c = v.Channel;
        var number = v.IncidentNumber is { } n ? $"INC-{n}" : null;
        return new ChannelView(c.Id, c.Name, c.Kind, c.IsPrivate, c.Topic, number is null ? null : c.IncidentId, number,
            number is null ? null : $"/incidents/{c.IncidentId}", v.Drill);
    }
}
