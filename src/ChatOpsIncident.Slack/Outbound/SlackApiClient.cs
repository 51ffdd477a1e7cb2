using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ChatOpsIncident.Slack.Outbound;

/// <summary>
/// Typed methods for the Web API calls the bot makes. Every call goes through <see cref="SlackApiPipeline"/>;
/// <c>ok:false</c> becomes <see cref="SlackApiException"/> (permanent) or <see cref="SlackTransientException"/>.
/// The bot token lives only in the Authorization header of the configured HttpClient.
/// </summary>
internal sealed partial class SlackApiClient(HttpClient http, SlackApiPipeline pipeline, ILogger<SlackApiClient> logger)
{
    private static readonly MediaTypeHeaderValue JsonUtf8 = new("application/json") { CharSet = "utf-8" };

    public Task<AuthTestResponse> AuthTestAsync(CancellationToken ct) =>
        CallAsync<AuthTestResponse>("auth.test", [], json: false, safe: true, ct);

    public Task<ChannelResponse> CreateConversationAsync(string name, bool isPrivate, CancellationToken ct) =>
        // Not retried on ambiguous failures: a retry after a timeout would see name_taken, which the caller resolves.
        CallAsync<ChannelResponse>("conversations.create", new() { ["name"] = name, ["is_private"] = isPrivate }, json: true, safe: false, ct);

    public Task<ChannelListResponse> ListConversationsAsync(string? cursor, CancellationToken ct) =>
        CallAsync<ChannelListResponse>("conversations.list", new()
        {
            ["types"] = "public_channel,private_channel",
            ["exclude_archived"] = true,
            ["limit"] = 200,
            ["cursor"] = cursor,
        }, json: false, safe: true, ct);

    public Task<ChannelResponse> ConversationInfoAsync(string channel, CancellationToken ct) =>
        CallAsync<ChannelResponse>("conversations.info", new() { ["channel"] = channel }, json: false, safe: true, ct);

    public Task<ChannelResponse> JoinAsync(string channel, CancellationToken ct) =>
        CallAsync<ChannelResponse>("conversations.join", new() { ["channel"] = channel }, json: true, safe: true, ct);

    /// <summary>Opens (or finds) the direct message channel with one person; needs <c>im:write</c>. Safe to repeat.</summary>
    public Task<ChannelResponse> OpenDirectMessageAsync(string user, CancellationToken ct) =>
        CallAsync<ChannelResponse>("conversations.open", new() { ["users"] = user, ["return_im"] = false }, json: true, safe: true, ct);

    /// <summary>Archives a channel; archiving one already archived is answered <c>already_archived</c>, which the caller accepts.</summary>
    public Task<SlackResponse> ArchiveAsync(string channel, CancellationToken ct) =>
        CallAsync<SlackResponse>("conversations.archive", new() { ["channel"] = channel }, json: true, safe: true, ct);

    public Task<SlackResponse> SetPurposeAsync(string channel, string purpose, CancellationToken ct) =>
        CallAsync<SlackResponse>("conversations.setPurpose", new() { ["channel"] = channel, ["purpose"] = purpose }, json: true, safe: true, ct);

    public Task<SlackResponse> SetTopicAsync(string channel, string topic, CancellationToken ct) =>
        CallAsync<SlackResponse>("conversations.setTopic", new() { ["channel"] = channel, ["topic"] = topic }, json: true, safe: true, ct);

    public Task<ChannelResponse> InviteAsync(string channel, IEnumerable<string> users, CancellationToken ct) =>
        CallAsync<ChannelResponse>("conversations.invite", new() { ["channel"] = channel, ["users"] = string.Join(',', users), ["force"] = true }, json: true, safe: true, ct);

    /// <summary>
    /// Posts once. A post that fails ambiguously (timeout, 5xx) may have landed, so it is not retried here:
    /// the caller looks for it by <paramref name="postId"/> before posting again.
    /// </summary>
    public Task<PostMessageResponse> PostMessageAsync(string channel, string text, JsonArray? blocks, string? postId, CancellationToken ct)
    {
        var args = new Dictionary<string, object?> { ["channel"] = channel, ["text"] = text, ["blocks"] = blocks, ["unfurl_links"] = false };
        if (postId is not null)
        {
            args["metadata"] = new JsonObject { ["event_type"] = PostMetadataType, ["event_payload"] = new JsonObject { ["post_id"] = postId } };
        }

        return CallAsync<PostMessageResponse>("chat.postMessage", args, json: true, safe: false, ct);
    }

    public const string PostMetadataType = "chatops_post";

    public Task<PostMessageResponse> PostEphemeralAsync(string channel, string user, string text, JsonArray? blocks, CancellationToken ct) =>
        CallAsync<PostMessageResponse>("chat.postEphemeral", new() { ["channel"] = channel, ["user"] = user, ["text"] = text, ["blocks"] = blocks }, json: true, safe: false, ct);

    public Task<PostMessageResponse> UpdateMessageAsync(string channel, string ts, string text, JsonArray? blocks, CancellationToken ct) =>
        CallAsync<PostMessageResponse>("chat.update", new() { ["channel"] = channel, ["ts"] = ts, ["text"] = text, ["blocks"] = blocks }, json: true, safe: true, ct);

    public Task<SlackResponse> PinAsync(string channel, string ts, CancellationToken ct) =>
        CallAsync<SlackResponse>("pins.add", new() { ["channel"] = channel, ["timestamp"] = ts }, json: true, safe: true, ct);

    public Task<SlackResponse> AddReactionAsync(string channel, string ts, string name, CancellationToken ct) =>
        CallAsync<SlackResponse>("reactions.add", new() { ["channel"] = channel, ["timestamp"] = ts, ["name"] = name }, json: true, safe: true, ct);

    public Task<MessagesResponse> HistoryAsync(string channel, string? latest, string? oldest, bool inclusive, int limit, bool includeMetadata, CancellationToken ct) =>
        CallAsync<MessagesResponse>("conversations.history", new()
        {
            ["channel"] = channel,
            ["latest"] = latest,
            ["oldest"] = oldest,
            ["inclusive"] = inclusive,
            ["limit"] = limit,
            ["include_all_metadata"] = includeMetadata ? true : null,
        }, json: false, safe: true, ct);

    public Task<MessagesResponse> RepliesAsync(string channel, string ts, string? latest, string? oldest, bool inclusive, int limit, CancellationToken ct) =>
        CallAsync<MessagesResponse>("conversations.replies", new()
        {
            ["channel"] = channel,
            ["ts"] = ts,
            ["latest"] = latest,
            ["oldest"] = oldest,
            ["inclusive"] = inclusive,
            ["limit"] = limit,
        }, json: false, safe: true, ct);

    public Task<PermalinkResponse> PermalinkAsync(string channel, string ts, CancellationToken ct) =>
        CallAsync<PermalinkResponse>("chat.getPermalink", new() { ["channel"] = channel, ["message_ts"] = ts }, json: false, safe: true, ct);

    public Task<UserResponse> UserInfoAsync(string user, CancellationToken ct) =>
        CallAsync<UserResponse>("users.info", new() { ["user"] = user }, json: false, safe: true, ct);

    /// <summary>Opens a modal. Never retried: the trigger id is single-use and expires after 3 seconds.</summary>
    public Task<ViewResponse> OpenViewAsync(string triggerId, JsonObject view, CancellationToken ct) =>
        CallAsync<ViewResponse>("views.open", new() { ["trigger_id"] = triggerId, ["view"] = view }, json: true, safe: false, ct);

    public async Task<T> CallAsync<T>(string method, Dictionary<string, object?> args, bool json, bool safe, CancellationToken ct)
        where T : SlackResponse
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(SlackApiPipeline.SafeToRetry, safe);
        context.Properties.Set(SlackApiPipeline.Method, method);
        ApiOutcome outcome;
        try
        {
            outcome = await pipeline.Pipeline.ExecuteAsync(
                static async (ctx, state) => await state.Self.SendOnceAsync(state.Method, state.Args, state.Json, ctx.CancellationToken),
                context, (Self: this, Method: method, Args: args, Json: json));
        }
        catch (BrokenCircuitException ex)
        {
            Log.CallFailed(logger, method, "circuit_open");
            throw new SlackTransientException(method, "circuit_open", ex.RetryAfter, ex);
        }
        catch (TimeoutRejectedException ex)
        {
            Log.CallFailed(logger, method, "timeout");
            throw new SlackTransientException(method, "timeout", inner: ex) { MayHaveTakenEffect = true };
        }
        catch (HttpRequestException ex)
        {
            Log.CallFailed(logger, method, "connection_failed");
            throw new SlackTransientException(method, "connection_failed", inner: ex) { MayHaveTakenEffect = ex.HttpRequestError != HttpRequestError.ConnectionError };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (outcome.RateLimited)
        {
            Log.CallFailed(logger, method, "ratelimited");
            throw new SlackTransientException(method, "ratelimited", outcome.RetryAfter);
        }

        if (outcome.ServerFailure)
        {
            var error = outcome.Envelope?.Error ?? $"http_{(int)outcome.Status}";
            Log.CallFailed(logger, method, error);
            throw new SlackTransientException(method, error) { MayHaveTakenEffect = true };
        }

        if (outcome.Status != HttpStatusCode.OK || outcome.Envelope is null)
        {
            var error = outcome.Envelope?.Error ?? $"http_{(int)outcome.Status}";
            Log.CallFailed(logger, method, error);
            throw new SlackApiException(method, error);
        }

        if (!outcome.Envelope.Ok)
        {
            var error = outcome.Envelope.Error ?? "unknown_error";
            Log.CallFailed(logger, method, error);
            var detail = outcome.Envelope.ResponseMetadata?.Messages is { Count: > 0 } m ? string.Join("; ", m) : outcome.Envelope.Needed;
            throw new SlackApiException(method, error, detail);
        }

        return JsonSerializer.Deserialize<T>(outcome.Body, SlackJson.Options) ?? throw new SlackApiException(method, "empty_response");
    }

    private async Task<ApiOutcome> SendOnceAsync(string method, Dictionary<string, object?> args, bool json, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, method) { Content = json ? JsonBody(args) : FormBody(args) };
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        SlackResponse? envelope = null;
        if (body.Length > 0 && body[0] == '{')
        {
            try
            {
                envelope = JsonSerializer.Deserialize<SlackResponse>(body, SlackJson.Options);
            }
            catch (JsonException)
            {
                envelope = null;
            }
        }

        // Slack sends Retry-After in seconds; a 429 without it waits a second.
        var retryAfter = response.Headers.RetryAfter?.Delta
            ?? (response.StatusCode == HttpStatusCode.TooManyRequests ? TimeSpan.FromSeconds(1) : null);

        return new ApiOutcome(response.StatusCode, retryAfter, body, envelope);
    }

    private static StringContent JsonBody(Dictionary<string, object?> args)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in args)
        {
            if (value is not null)
            {
                obj[key] = value switch
                {
                    JsonNode node => node.DeepClone(),
                    bool b => JsonValue.Create(b),
                    int i => JsonValue.Create(i),
                    _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
                };
            }
        }

        var content = new StringContent(obj.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = JsonUtf8;
        return content;
    }

    private static FormUrlEncodedContent FormBody(Dictionary<string, object?> args) =>
        new(args.Where(a => a.Value is not null).Select(a => new KeyValuePair<string, string>(a.Key, a.Value switch
        {
            bool b => b ? "true" : "false",
            JsonNode node => node.ToJsonString(),
            var v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
        })));
}
