using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Chat;

/// <summary>One chat platform, as the core needs it. Slack and Teams each implement it.</summary>
public interface IChatPlatform
{
    /// <summary>"slack" or "teams": the value stored in <see cref="Incident.Platform"/>.</summary>
    string Name { get; }

    /// <summary>Where declarations are announced, or null when none is configured.</summary>
    string? FeedChannelId { get; }

    /// <summary>The Slack slash command (and the sandbox's), the default prefix of a command quoted back to people.</summary>
    const string DefaultCommandPrefix = "/incident";

    /// <summary>How people start a command on this platform (<c>/incident</c>, Teams' <c>@Incident</c>): refusals quote fixes with it.</summary>
    string CommandPrefix => DefaultCommandPrefix;

    /// <summary>
    /// Creates the incident channel, named from <paramref name="request"/> under the platform's own rules (the platform
    /// may add a suffix on collision). Must be safe to call again for the same <paramref name="incident"/>: a retry
    /// after a crash must not create a second channel.
    /// </summary>
    Task<ChannelInfo> CreateChannelAsync(Incident incident, ChannelNameRequest request, bool isPrivate, CancellationToken ct);

    Task InviteAsync(string channelId, IReadOnlyCollection<UserRef> users, CancellationToken ct);

    Task SetTopicAsync(string channelId, string topic, CancellationToken ct);

    Task<PostedMessage> PostAsync(string channelId, ChatMessage message, CancellationToken ct);

    Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken ct);

    Task PinAsync(PostedMessage posted, CancellationToken ct);

    /// <summary>Looks a message up for the timeline (text, author, original time, permalink).</summary>
    Task<CapturedMessage?> FetchMessageAsync(SourceRef source, CancellationToken ct);

    /// <summary>
    /// Shows that a capture worked (Slack: a reaction on the message; Teams: a reply in its thread). Called after every
    /// capture of the message, repeats included, so it must do nothing the second time.
    /// </summary>
    Task AcknowledgeCaptureAsync(SourceRef source, CancellationToken ct);

    /// <summary>Pages the on-call for a severity that says Page (optional; may only post a loud message).</summary>
    Task PageAsync(Guid incidentId, string channelId, string reason, CancellationToken ct);

    /// <summary>
    /// Answers one person privately (Slack: response_url, else ephemeral). Platforms without private answers reply in
    /// the conversation, which is what Teams does for a command typed there.
    /// </summary>
    async Task RespondAsync(string channelId, UserRef user, string? responseUrl, ChatMessage message, CancellationToken ct) =>
        await PostAsync(channelId, message, ct);

    /// <summary>
    /// Sends <paramref name="message"/> to <paramref name="user"/> alone, as a direct message, about the incident whose
    /// channel is <paramref name="channelId"/>. Must not land twice when the outbox retries it. Platforms without direct
    /// messages skip it: the channel post that goes with it mentions the person anyway.
    /// </summary>
    Task DirectMessageAsync(string channelId, UserRef user, ChatMessage message, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Archives a channel the bot no longer needs (a merged incident's). Platforms that cannot leave it as it is.</summary>
    Task ArchiveAsync(string channelId, CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// Sends a form (<see cref="ChatForms"/>) into a conversation, rendered when it is sent. Only platforms whose forms
    /// are messages have it; Slack opens its modals on the request path.
    /// </summary>
    Task SendFormAsync(string channelId, string form, Guid incidentId, CancellationToken ct) =>
        throw new Processing.PermanentChatException($"The {Name} integration sends no forms as messages");

    /// <summary>How a channel is named in a message so readers can find it (Slack: "#name" when it can be looked up).</summary>
    Task<string> DescribeChannelAsync(string channelId, CancellationToken ct) => Task.FromResult(channelId);
}

/// <summary>Finds the platform an incident lives on.</summary>
public interface IChatPlatforms
{
    IChatPlatform? Find(string platform);
}

internal sealed class ChatPlatforms(IEnumerable<IChatPlatform> platforms) : IChatPlatforms
{
    private readonly Dictionary<string, IChatPlatform> _byName = platforms.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    public IChatPlatform? Find(string platform) => _byName.GetValueOrDefault(platform);
}
