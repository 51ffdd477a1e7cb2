using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Slack.Rendering;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Slack.Outbound;

/// <summary>Where a private answer goes: the interaction's response_url, else an ephemeral message in the channel.</summary>
internal sealed record ReplyTarget(string? ResponseUrl, string? ChannelId, string UserId);

/// <summary>Answers the person who typed a command or clicked a button, privately (ephemeral).</summary>
internal sealed partial class SlackResponder(IHttpClientFactory factory, SlackApiClient api, IOptions<SlackOptions> options, ILogger<SlackResponder> logger)
{
    /// <summary>A client of its own: response_url is a credential and its logger is removed so it never reaches logs.</summary>
    public const string HttpClientName = "slack-response-url";

    public async Task ReplyAsync(ReplyTarget target, ChatMessage message, CancellationToken ct)
    {
        var text = BlockKit.FallbackText(message);
        var blocks = BlockKit.Render(message);
        if (Uri.TryCreate(target.ResponseUrl, UriKind.Absolute, out var url) && !ResponseUrls.IsAllowed(url, options.Value.ResponseUrlAllowList))
        {
            // Not Slack's: never post there (the host is logged, never the URL, which is a credential); the ephemeral below answers.
            Log.ResponseUrlRefused(logger, url.Host);
        }
        else if (url is not null)
        {
            var body = new JsonObject { ["response_type"] = "ephemeral", ["replace_original"] = false, ["text"] = text, ["blocks"] = blocks };
            try
            {
                using var response = await factory.CreateClient(HttpClientName).PostAsJsonAsync(url, body, ct);
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
        }

        if (target.ChannelId is { Length: > 0 } channel)
        {
            // response_url expired (30 min) or failed: an ephemeral message reaches the same person.
            try
            {
                await api.PostEphemeralAsync(channel, target.UserId, text, blocks, ct);
            }
            catch (SlackApiException ex)
            {
                Log.EphemeralFailed(logger, channel, ex.Error);
            }
        }
    }
}
