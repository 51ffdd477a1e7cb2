using System.Collections.Concurrent;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.TestSupport;

/// <summary>
/// An in-memory chat platform that records every call, for core and scheduler tests that are not about a wire
/// protocol. (Adapter tests use WireMock as Slack / Bot Framework instead.)
/// </summary>
public sealed class RecordingChatPlatform(string name = "slack", string? feedChannelId = "CFEED") : IChatPlatform
{
    private int _next;

    public string Name { get; } = name;

    public string? FeedChannelId { get; } = feedChannelId;

    public ConcurrentQueue<(string ChannelId, ChatMessage Message, string MessageId)> Posts { get; } = new();

    public ConcurrentQueue<(PostedMessage Target, ChatMessage Message)> Updates { get; } = new();

    public ConcurrentQueue<(string ChannelId, string Name, bool Private)> Channels { get; } = new();

    public ConcurrentQueue<(string ChannelId, string Topic)> Topics { get; } = new();

    public ConcurrentQueue<(string ChannelId, UserRef User)> Invites { get; } = new();

    public ConcurrentQueue<string> Pages { get; } = new();

    /// <summary>Direct messages: the incident channel they are about, the person, the message.</summary>
    public ConcurrentQueue<(string ChannelId, UserRef User, ChatMessage Message)> DirectMessages { get; } = new();

    public ConcurrentQueue<string> Archived { get; } = new();

    public ConcurrentQueue<PostedMessage> Pins { get; } = new();

    public ConcurrentQueue<SourceRef> Fetched { get; } = new();

    public ConcurrentQueue<SourceRef> Acknowledged { get; } = new();

    /// <summary>Messages FetchMessageAsync returns, by message id.</summary>
    public ConcurrentDictionary<string, CapturedMessage> Messages { get; } = new();

    /// <summary>When set, PostAsync throws it (then clears it when <see cref="FailOnce"/>).</summary>
    public Exception? PostFailure { get; set; }

    public bool FailOnce { get; set; } = true;

    public IEnumerable<ChatMessage> PostsTo(string channelId) => Posts.Where(p => p.ChannelId == channelId).Select(p => p.Message);

    public Task<ChannelInfo> CreateChannelAsync(Incident incident, ChannelNameRequest request, bool isPrivate, CancellationToken ct)
    {
        // Slack's length limit: the names tests expect are the ones a Slack workspace gets.
        var name = request.Slugged(80);
        var existing = Channels.FirstOrDefault(c => c.Name == name);
        if (existing.ChannelId is not null)
        {
            return Task.FromResult(new ChannelInfo(existing.ChannelId, existing.Name, $"https://chat.example/{existing.ChannelId}"));
        }

        var id = "C" + Interlocked.Increment(ref _next).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        Channels.Enqueue((id, name, isPrivate));
        return Task.FromResult(new ChannelInfo(id, name, $"https://chat.example/{id}"));
    }

    public Task InviteAsync(string channelId, IReadOnlyCollection<UserRef> users, CancellationToken ct)
    {
        foreach (var u in users)
        {
            Invites.Enqueue((channelId, u));
        }

        return Task.CompletedTask;
    }

    public Task SetTopicAsync(string channelId, string topic, CancellationToken ct)
    {
        Topics.Enqueue((channelId, topic));
        return Task.CompletedTask;
    }

    public Task<PostedMessage> PostAsync(string channelId, ChatMessage message, CancellationToken ct)
    {
        if (PostFailure is { } failure)
        {
            if (FailOnce)
            {
                PostFailure = null;
            }

            throw failure;
        }

        var id = "M" + Interlocked.Increment(ref _next).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        Posts.Enqueue((channelId, message, id));
        return Task.FromResult(new PostedMessage(channelId, id));
    }

    public Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken ct)
    {
        Updates.Enqueue((posted, message));
        return Task.CompletedTask;
    }

    public Task PinAsync(PostedMessage posted, CancellationToken ct)
    {
        Pins.Enqueue(posted);
        return Task.CompletedTask;
    }

    public Task<CapturedMessage?> FetchMessageAsync(SourceRef source, CancellationToken ct)
    {
        Fetched.Enqueue(source);
        return Task.FromResult(source.MessageId is not null && Messages.TryGetValue(source.MessageId, out var m) ? m : null);
    }

    public Task AcknowledgeCaptureAsync(SourceRef source, CancellationToken ct)
    {
        Acknowledged.Enqueue(source);
        return Task.CompletedTask;
    }

    public Task DirectMessageAsync(string channelId, UserRef user, ChatMessage message, CancellationToken ct)
    {
        DirectMessages.Enqueue((channelId, user, message));
        return Task.CompletedTask;
    }

    public Task ArchiveAsync(string channelId, CancellationToken ct)
    {
        Archived.Enqueue(channelId);
        return Task.CompletedTask;
    }

    public Task PageAsync(Guid incidentId, string channelId, string reason, CancellationToken ct)
    {
        Pages.Enqueue(reason);
        return Task.CompletedTask;
    }

    /// <summary>Waits until <paramref name="condition"/> holds (the outbox delivers asynchronously).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = Environment.TickCount64 + (long)(timeout ?? TimeSpan.FromSeconds(15)).TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"Condition not met in time{(because is null ? "" : ": " + because)}");
            }

            await Task.Delay(25);
        }
    }
}
