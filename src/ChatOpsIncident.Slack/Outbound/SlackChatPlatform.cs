using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Slack.Rendering;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Slack.Outbound;

/// <summary>The core's chat port over the Slack Web API.</summary>
internal sealed partial class SlackChatPlatform(
    SlackApiClient api,
    SlackIdentity identity,
    PostPacer pacer,
    SlackResponseSender responses,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<SlackChatPlatform> logger) : IChatPlatform
{
    public const string PlatformName = "slack";
    private const int MaxNameAttempts = 10;
    private readonly ConcurrentDictionary<string, string?> _userNames = new(StringComparer.Ordinal);
    // Posts whose outcome is unknown (timed out, 5xx): before posting the same content again, look for it first.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _uncertainPosts = new(StringComparer.Ordinal);

    public string Name => PlatformName;

    public string? FeedChannelId => options.Value.FeedChannel is { Length: > 0 } feed ? feed : null;

    public static string Marker(Incident incident) => $"chatops:{incident.Id:N}";

    public async Task<ChannelInfo> CreateChannelAsync(Incident incident, ChannelNameRequest request, bool isPrivate, CancellationToken ct)
    {
        var name = SlackChannelNames.For(request);
        var botUser = await identity.BotUserIdAsync(ct);
        var marker = Marker(incident);
        var purpose = BlockKit.Truncate($"{incident.PublicId}: {incident.Title} · {marker}", 250);
        for (var n = 1; n <= MaxNameAttempts; n++)
        {
            var candidate = n == 1 ? name : SlackChannelNames.WithSuffix(name, n);
            SlackChannel channel;
            try
            {
                channel = (await api.CreateConversationAsync(candidate, isPrivate, ct)).Channel
                    ?? throw new SlackApiException("conversations.create", "no_channel_in_response");
            }
            catch (SlackApiException ex) when (ex.Error == "name_taken")
            {
                // Ours from an earlier attempt that crashed or timed out? The bot created it and it carries this
                // incident's marker (or no purpose yet, when the crash came between create and setPurpose).
                var existing = await FindByNameAsync(candidate, ct);
                if (existing is not null && existing.Creator == botUser
                    && (existing.Purpose?.Value is null or "" || existing.Purpose.Value.Contains(marker, StringComparison.Ordinal)))
                {
                    Log.ChannelReused(logger, existing.Id, incident.PublicId);
                    channel = existing;
                }
                else
                {
                    Log.ChannelNameTaken(logger, candidate);
                    continue;
                }
            }

            if (channel.Purpose?.Value?.Contains(marker, StringComparison.Ordinal) != true)
            {
                await api.SetPurposeAsync(channel.Id, purpose, ct);
            }

            // Slack may normalize the name; keep what it returned.
            var actualName = channel.Name is { Length: > 0 } returned ? returned : candidate;
            return new ChannelInfo(channel.Id, actualName, await identity.ChannelUrlAsync(channel.Id, ct));
        }

        throw new SlackApiException("conversations.create", "name_taken", $"{name} and {MaxNameAttempts - 1} suffixed names are taken");
    }

    private async Task<SlackChannel?> FindByNameAsync(string name, CancellationToken ct)
    {
        string? cursor = null;
        for (var page = 0; page < 50; page++)
        {
            var list = await api.ListConversationsAsync(cursor, ct);
            if (list.Channels.FirstOrDefault(c => c.Name == name) is { } found)
            {
                return found;
            }

            cursor = list.ResponseMetadata?.NextCursor;
            if (string.IsNullOrEmpty(cursor))
            {
                return null;
            }
        }

        return null;
    }

    public async Task InviteAsync(string channelId, IReadOnlyCollection<UserRef> users, CancellationToken ct)
    {
        var botUser = await identity.BotUserIdAsync(ct);
        var ids = users.Select(u => u.Id).Where(id => id != botUser && id.Length > 0).Distinct().ToList();
        if (ids.Count == 0)
        {
            return;
        }

        try
        {
            await api.InviteAsync(channelId, ids, ct);
        }
        catch (SlackApiException ex) when (ex.Error is "already_in_channel" or "cant_invite_self")
        {
            // Already there: the goal is met.
        }
        catch (SlackApiException ex) when (ex.Error is "user_not_found" or "cant_invite" or "user_is_restricted" or "user_is_bot" or "ura_max_channels" or "user_is_ultra_restricted")
        {
            // One person who cannot be invited must not hold up the incident; say so in the log.
            Log.InviteRefused(logger, channelId, ex.Error);
        }
    }

    public async Task SetTopicAsync(string channelId, string topic, CancellationToken ct) =>
        await api.SetTopicAsync(channelId, BlockKit.Truncate(BlockKit.Plain(topic, 250), 250), ct);

    public Task<PostedMessage> PostAsync(string channelId, ChatMessage message, CancellationToken ct) =>
        PostCoreAsync(channelId, message, OutboxDelivery.Current is { } row && row.Message.ChannelId == channelId, ct);

    /// <summary>
    /// A direct message: the person's DM channel (conversations.open, <c>im:write</c>), then an ordinary guarded post,
    /// so a retried outbox row looks in the DM for the message before posting it again.
    /// </summary>
    public async Task DirectMessageAsync(string channelId, UserRef user, ChatMessage message, CancellationToken ct)
    {
        var opened = await api.OpenDirectMessageAsync(user.Id, ct);
        var dm = opened.Channel?.Id is { Length: > 0 } id ? id : throw new SlackApiException("conversations.open", "no_channel_in_response");
        await PostCoreAsync(dm, message, OutboxDelivery.Current is not null, ct);
    }

    public async Task ArchiveAsync(string channelId, CancellationToken ct)
    {
        try
        {
            await api.ArchiveAsync(channelId, ct);
        }
        catch (SlackApiException ex) when (ex.Error == "already_archived")
        {
            // Archived by a person, or by this row's first try: the outcome wanted.
        }
    }

    private async Task<PostedMessage> PostCoreAsync(string channelId, ChatMessage message, bool rowIsThisPost, CancellationToken ct)
    {
        var text = BlockKit.FallbackText(message);
        var blocks = BlockKit.Render(message);
        var postId = PostId(channelId, text, blocks.ToJsonString());
        // A retry of an outbox row (a failed or timed-out try, or a takeover after this or another replica died)
        // may follow a post that landed: the row says so, not this process's memory, so look before posting.
        var retry = rowIsThisPost && OutboxDelivery.Current is { Attempts: > 1 } row ? row.CreatedAt : (DateTimeOffset?)null;
        if ((_uncertainPosts.TryGetValue(postId, out var firstTry) || retry is not null)
            && await FindPostAsync(channelId, postId, retry is { } since && (firstTry == default || since < firstTry) ? since : firstTry, ct) is { } earlier)
        {
            _uncertainPosts.TryRemove(postId, out _);
            return earlier;
        }

        await pacer.WaitAsync(channelId, ct);
        var sentAt = time.GetUtcNow();
        try
        {
            return await PostOnceAsync(channelId, text, blocks, postId, ct);
        }
        catch (SlackTransientException ex) when (ex.MayHaveTakenEffect)
        {
            // The post may have landed. Look for it by its id before posting again; if the lookup fails too, the
            // uncertainty is remembered so the outbox's next attempt looks first.
            _uncertainPosts.TryAdd(postId, sentAt);
            Log.PostUncertain(logger, channelId, ex.Error);
            if (await FindPostAsync(channelId, postId, sentAt, ct) is { } landed)
            {
                _uncertainPosts.TryRemove(postId, out _);
                return landed;
            }

            await pacer.WaitAsync(channelId, ct);
            var posted = await PostOnceAsync(channelId, text, blocks, postId, ct);
            _uncertainPosts.TryRemove(postId, out _);
            return posted;
        }
        finally
        {
            TrimUncertain();
        }
    }

    private async Task<PostedMessage> PostOnceAsync(string channelId, string text, System.Text.Json.Nodes.JsonArray blocks, string postId, CancellationToken ct)
    {
        PostMessageResponse response;
        try
        {
            response = await api.PostMessageAsync(channelId, text, blocks, postId, ct);
        }
        catch (SlackApiException ex) when (ex.Error == "not_in_channel")
        {
            // A public channel the bot was never added to (a stakeholder channel): joined, so the post is tried once more.
            if (!await JoinAsync(channelId, ct))
            {
                throw;
            }

            response = await api.PostMessageAsync(channelId, text, blocks, postId, ct);
        }

        return new PostedMessage(response.Channel ?? channelId, response.Ts ?? throw new SlackApiException("chat.postMessage", "no_ts_in_response"));
    }

    /// <summary>Joins a public channel (needs channels:join); false when Slack refuses (private channel, scope missing).</summary>
    private async Task<bool> JoinAsync(string channelId, CancellationToken ct)
    {
        try
        {
            await api.JoinAsync(channelId, ct);
            Log.JoinedChannel(logger, channelId);
            return true;
        }
        catch (SlackApiException ex)
        {
            Log.JoinFailed(logger, channelId, ex.Error);
            return false;
        }
    }

    public Task RespondAsync(string channelId, UserRef user, string? responseUrl, ChatMessage message, CancellationToken ct) =>
        responses.SendAsync(responseUrl, channelId, user.Id, message, ct);

    public async Task<string> DescribeChannelAsync(string channelId, CancellationToken ct)
    {
        try
        {
            var info = await api.ConversationInfoAsync(channelId, ct);
            return info.Channel?.Name is { Length: > 0 } name ? $"#{name}" : $"#{channelId}";
        }
        catch (Exception ex) when (ex is SlackApiException or SlackTransientException)
        {
            // The channel may be gone: its id still tells an admin which one.
            return $"#{channelId}";
        }
    }

    private async Task<PostedMessage?> FindPostAsync(string channelId, string postId, DateTimeOffset since, CancellationToken ct)
    {
        var oldest = Ts(since - TimeSpan.FromMinutes(1));
        var history = await api.HistoryAsync(channelId, latest: null, oldest: oldest, inclusive: true, limit: 100, includeMetadata: true, ct);
        var found = history.Messages.FirstOrDefault(m => m.Metadata is { EventType: SlackApiClient.PostMetadataType } meta
            && meta.EventPayload.ValueKind == System.Text.Json.JsonValueKind.Object
            && meta.EventPayload.TryGetProperty("post_id", out var id) && id.GetString() == postId);
        return found is null ? null : new PostedMessage(channelId, found.Ts);
    }

    private void TrimUncertain()
    {
        if (_uncertainPosts.IsEmpty)
        {
            return;
        }

        var stale = time.GetUtcNow() - TimeSpan.FromHours(1);
        foreach (var (key, at) in _uncertainPosts)
        {
            if (at < stale)
            {
                _uncertainPosts.TryRemove(key, out _);
            }
        }
    }

    internal static string PostId(string channelId, string text, string blocks)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{channelId}\n{text}\n{blocks}"));
        return Convert.ToHexStringLower(hash)[..32];
    }

    public async Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken ct) =>
        await api.UpdateMessageAsync(posted.ChannelId, posted.MessageId, BlockKit.FallbackText(message), BlockKit.Render(message), ct);

    public async Task PinAsync(PostedMessage posted, CancellationToken ct)
    {
        try
        {
            await api.PinAsync(posted.ChannelId, posted.MessageId, ct);
        }
        catch (SlackApiException ex) when (ex.Error == "already_pinned")
        {
        }
    }

    public async Task<CapturedMessage?> FetchMessageAsync(SourceRef source, CancellationToken ct)
    {
        if (source.MessageId is not { Length: > 0 } ts)
        {
            return null;
        }

        SlackMessage? message = null;
        if (source.ThreadId is null || source.ThreadId == ts)
        {
            // Exact lookup: the newest message at or before ts, limit 1. If it is not ts itself, the message is a
            // thread reply (reactions do not say so) and lives in conversations.replies.
            var history = await api.HistoryAsync(source.ChannelId, latest: ts, oldest: null, inclusive: true, limit: 1, includeMetadata: false, ct);
            message = history.Messages.FirstOrDefault(m => m.Ts == ts);
        }

        if (message is null)
        {
            try
            {
                // The parent comes first in every replies page, so two messages cover parent + the one asked for.
                var replies = await api.RepliesAsync(source.ChannelId, source.ThreadId ?? ts, latest: ts, oldest: ts, inclusive: true, limit: 2, ct);
                message = replies.Messages.FirstOrDefault(m => m.Ts == ts);
            }
            catch (SlackApiException ex) when (ex.Error is "thread_not_found" or "message_not_found")
            {
                message = null;
            }
        }

        if (message is null)
        {
            return null;
        }

        string? permalink = null;
        try
        {
            permalink = (await api.PermalinkAsync(source.ChannelId, ts, ct)).Permalink;
        }
        catch (SlackApiException ex)
        {
            Log.PermalinkFailed(logger, source.ChannelId, ex.Error);
        }

        var author = message.User is { Length: > 0 } user
            ? new UserRef(user, await UserNameAsync(user, ct))
            : message.BotId is { Length: > 0 } bot ? new UserRef(bot, message.Username) : null;
        var src = source with { MessageId = ts, Permalink = permalink, ThreadId = message.ThreadTs is { } thread && thread != ts ? thread : source.ThreadId };
        return new CapturedMessage(src, author, message.Text ?? "", TsToTime(ts));
    }

    private async Task<string?> UserNameAsync(string userId, CancellationToken ct)
    {
        if (_userNames.TryGetValue(userId, out var cached))
        {
            return cached;
        }

        try
        {
            var user = (await api.UserInfoAsync(userId, ct)).User;
            var name = user?.Profile?.DisplayName is { Length: > 0 } display ? display : user?.Name ?? user?.RealName;
            if (_userNames.Count < 10_000)
            {
                _userNames[userId] = name;
            }

            return name;
        }
        catch (SlackApiException ex)
        {
            // A name is a nicety; the id is enough to render a mention.
            Log.UserLookupFailed(logger, userId, ex.Error);
            return null;
        }
    }

    public async Task AcknowledgeCaptureAsync(SourceRef source, CancellationToken ct)
    {
        if (source.MessageId is null)
        {
            return;
        }

        try
        {
            await api.AddReactionAsync(source.ChannelId, source.MessageId, options.Value.CaptureAckEmoji, ct);
        }
        catch (SlackApiException ex) when (ex.Error is "already_reacted" or "message_not_found" or "too_many_reactions")
        {
        }
    }

    public async Task PageAsync(Guid incidentId, string channelId, string reason, CancellationToken ct)
    {
        await pacer.WaitAsync(channelId, ct);
        var text = $"<!channel> :rotating_light: {BlockKit.Mrkdwn(reason)}";
        await api.PostMessageAsync(channelId, text, null, PostId(channelId, text, incidentId.ToString()), ct);
    }

    /// <summary>Slack ts "1503435956.000247" → the time it stands for. Parsed as decimal text, never as a double.</summary>
    public static DateTimeOffset TsToTime(string ts)
    {
        var dot = ts.IndexOf('.', StringComparison.Ordinal);
        var seconds = long.Parse(dot < 0 ? ts : ts[..dot], NumberStyles.None, CultureInfo.InvariantCulture);
        var micros = dot < 0 ? 0 : long.Parse(ts[(dot + 1)..].PadRight(6, '0')[..6], NumberStyles.None, CultureInfo.InvariantCulture);
        return DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(micros * 10);
    }

    public static string Ts(DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"{at.ToUnixTimeSeconds()}.{at.UtcTicks / 10 % 1_000_000:D6}");
}
