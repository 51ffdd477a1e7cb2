using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Slack.Rendering;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Slack.Outbound;

/// <summary>
/// Where a private answer goes: the interaction's response_url, else an ephemeral message in the channel.
/// <paramref name="DeliveryId"/> is the delivery being answered: one answer per delivery, however often it runs.
/// </summary>
internal sealed record ReplyTarget(string? ResponseUrl, string? ChannelId, string UserId, string DeliveryId)
{
    /// <summary>The outbox item that carries <paramref name="message"/> to this person.</summary>
    public OutboxMessage ToOutbox(ChatMessage message, Guid? incidentId = null) =>
        new($"slack:respond:{DeliveryId}", incidentId ?? Guid.Empty, SlackChatPlatform.PlatformName, OutboxOperations.Respond, ChannelId ?? "")
        {
            Message = message,
            Users = [new UserRef(UserId)],
            ResponseUrl = ResponseUrl,
        };
}

/// <summary>
/// Answers the person who typed a command or clicked a button, privately. The inbox only queues the answer; the
/// outbox delivers it (<see cref="SendAsync"/>), so a slow or failing response_url never holds up the inbox worker.
/// </summary>
internal sealed partial class SlackResponder(IOutbox outbox, OutboxSignal signal)
{
    /// <summary>A client of its own: response_url is a credential and its logger is removed so it never reaches logs.</summary>
    public const string HttpClientName = "slack-response-url";

    public async Task ReplyAsync(ReplyTarget target, ChatMessage message, CancellationToken ct)
    {
        await outbox.EnqueueAsync([target.ToOutbox(message)], ct);
        signal.Notify();
    }
}

/// <summary>Delivers a queued private answer: response_url first, an ephemeral message when that fails or expired.</summary>
internal sealed partial class SlackResponseSender(IHttpClientFactory factory, SlackApiClient api, IOptions<SlackOptions> options, ILogger<SlackResponseSender> logger)
{
    public async Task SendAsync(string? responseUrl, string? channelId, string userId, ChatMessage message, CancellationToken ct)
    {
        var text = BlockKit.FallbackText(message);
        var blocks = BlockKit.Render(message);
        if (Uri.TryCreate(responseUrl, UriKind.Absolute, out var url) && !ResponseUrls.IsAllowed(url, options.Value.ResponseUrlAllowList))
        {
            // Not Slack's: never post there (the host is logged, never the URL, which is a credential); the ephemeral below answers.
            Log.ResponseUrlRefused(logger, url.Host);
        }
        else if (url is not null)
        {
            var body = new JsonObject { ["response_type"] = "ephemeral", ["replace_original"] = false, ["text"] = text, ["blocks"] = blocks };
            try
            {
                using var response = await factory.CreateClient(SlackResponder.HttpClientName).PostAsJsonAsync(url, body, ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                Log.ResponseUrlFailed(logger, (int)response.StatusCode);
            }
            catch (HttpRequestException ex)
            {
                Log.ResponseUrlFailed(logger, (int?)ex.StatusCode ?? 0);
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // The client's timeout: the hooks endpoint hung.
                Log.ResponseUrlFailed(logger, 0);
            }
        }

        if (channelId is not { Length: > 0 } channel)
        {
            throw new HttpRequestException("response_url failed and there is no channel for an ephemeral answer");
        }

        // response_url expired (30 min) or failed: an ephemeral message reaches the same person. A refusal here is
        // permanent (SlackApiException) and dead-letters the answer; a transient failure retries it.
        try
        {
            await api.PostEphemeralAsync(channel, userId, text, blocks, ct);
        }
        catch (SlackApiException ex)
        {
            Log.EphemeralFailed(logger, channel, ex.Error);
            throw;
        }
    }
}
