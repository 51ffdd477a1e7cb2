using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Sandbox.Rendering;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Sandbox.Outbound;

/// <summary>
/// The core's chat port over the local workspace: channels, members, messages and reactions in PostgreSQL (through
/// <see cref="IWorkspaceStore"/>). Every post is stored under the outbox key that carried it, so a delivery that runs
/// again after a crash finds its message instead of posting a second one.
/// </summary>
internal sealed class SandboxChatPlatform(
    IWorkspaceStore store,
    SandboxUsers users,
    IOptions<SandboxOptions> options,
    TimeProvider time,
    ILogger<SandboxChatPlatform> logger) : IChatPlatform
{
    public const string PlatformName = "sandbox";

    /// <summary>The standing channels the migration creates.</summary>
    public const string GeneralChannel = "general";
    public const string FeedChannel = "incidents";
    public const string StakeholderChannel = "stakeholders";

    private const int MaxNameLength = 80;
    private const int MaxNameAttempts = 20;

    public string Name => PlatformName;

    public string? FeedChannelId => FeedChannel;

    /// <summary>Where a channel opens in the workspace page (relative: the page is served by this host).</summary>
    public static string ChannelUrl(string channelId) => $"/sandbox?channel={Uri.EscapeDataString(channelId)}";

    public static string Permalink(string channelId, string messageId) => $"{ChannelUrl(channelId)}&message={Uri.EscapeDataString(messageId)}";

    public async Task<ChannelInfo> CreateChannelAsync(Incident incident, ChannelNameRequest request, bool isPrivate, CancellationToken ct)
    {
        var name = request.Slugged(MaxNameLength);
        for (var n = 1; n <= MaxNameAttempts; n++)
        {
            var candidate = n == 1 ? name : $"{name[..Math.Min(name.Length, MaxNameLength - 4)]}-{n}";
            if (await store.CreateIncidentChannelAsync(incident.Id, candidate, isPrivate, ct) is { } channel)
            {
                Log.ChannelCreated(logger, channel.Name, channel.Id, incident.PublicId);
                return new ChannelInfo(channel.Id, channel.Name, ChannelUrl(channel.Id));
            }

            Log.ChannelNameTaken(logger, candidate);
        }

        throw new PermanentChatException($"#{name} and {MaxNameAttempts - 1} suffixed names are taken in the workspace");
    }

    public async Task InviteAsync(string channelId, IReadOnlyCollection<UserRef> users, CancellationToken ct)
    {
        var ids = users.Select(u => u.Id).Where(id => id.Length > 0 && id != SandboxUsers.BotId).ToList();
        if (ids.Count > 0)
        {
            await store.AddMembersAsync(channelId, ids, ct);
        }
    }

    public Task SetTopicAsync(string channelId, string topic, CancellationToken ct) => store.SetTopicAsync(channelId, topic, ct);

    public async Task<PostedMessage> PostAsync(string channelId, ChatMessage message, CancellationToken ct)
    {
        var stored = await PostAsync(channelId, message, ephemeralFor: null, suffix: "", ct);
        return new PostedMessage(channelId, stored.Id, Permalink(channelId, stored.Id));
    }

    public async Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken ct)
    {
        if (!await store.UpdateAsync(posted.MessageId, message.Text, SandboxJson.Write(message), form: null, time.GetUtcNow(), ct))
        {
            throw new PermanentChatException($"message {posted.MessageId} is not in the workspace");
        }
    }

    public Task PinAsync(PostedMessage posted, CancellationToken ct) => store.PinAsync(posted.MessageId, ct);

    public async Task<CapturedMessage?> FetchMessageAsync(SourceRef source, CancellationToken ct)
    {
        // Only a message everyone in the channel sees can go on the timeline: never someone's ephemeral answer.
        var message = source.MessageId is null ? null : await store.FindMessageAsync(source.MessageId, ct);
        if (message is null || message.ChannelId != source.ChannelId || message.EphemeralFor is not null)
        {
            return null;
        }

        var author = new UserRef(message.UserId, users.NameOf(message.UserId));
        return new CapturedMessage(new SourceRef(PlatformName, message.ChannelId, message.Id, Permalink(message.ChannelId, message.Id), message.ThreadId),
            author, message.Text, message.PostedAt);
    }

    public async Task AcknowledgeCaptureAsync(SourceRef source, CancellationToken ct)
    {
        if (source.MessageId is not null)
        {
            // A reaction that is there already is left as it is: acknowledging again changes nothing.
            await store.ReactAsync(source.MessageId, SandboxUsers.BotId, options.Value.CaptureAckEmoji, add: true, ct);
        }
    }

    public async Task PageAsync(Guid incidentId, string channelId, string reason, CancellationToken ct) =>
        await PostAsync(channelId, new ChatMessage($"📟 Paging the on-call: {reason}") { Title = "Paging the on-call", Tone = MessageTone.Danger }, ephemeralFor: null, suffix: ":page", ct);

    public async Task RespondAsync(string channelId, UserRef user, string? responseUrl, ChatMessage message, CancellationToken ct) =>
        await PostAsync(channelId.Length > 0 ? channelId : GeneralChannel, message, user.Id, suffix: "", ct);

    public async Task<string> DescribeChannelAsync(string channelId, CancellationToken ct) =>
        await store.FindChannelAsync(channelId, ct) is { } channel ? $"#{channel.Name}" : channelId;

    private Task<WorkspaceMessage> PostAsync(string channelId, ChatMessage message, string? ephemeralFor, string suffix, CancellationToken ct)
    {
        // The outbox row's key makes the post idempotent; a post outside the outbox (none today) gets a key of its own.
        var key = (OutboxDelivery.Current?.Message.Key ?? $"direct:{Guid.NewGuid():N}") + suffix;
        return store.PostAsync(new NewWorkspaceMessage("bot:" + key, channelId, SandboxUsers.BotId, message.Text, time.GetUtcNow())
        {
            Body = SandboxJson.Write(message),
            EphemeralFor = ephemeralFor,
        }, ct);
    }
}
