using ChatOpsIncident.Core.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Slack.Outbound;

/// <summary>
/// At start-up, looks at the feed and every stakeholder channel once (conversations.info) and logs one warning line
/// for each that will not get posts: not found, archived, or private without the bot in it (a public channel the bot
/// is not in is joined on the first post). Runs in the background under a time limit: a slow or failing Slack never
/// holds up or stops start-up, and a problem found changes nothing but the log.
/// </summary>
internal sealed class SlackChannelCheck(
    SlackApiClient api,
    IOptions<SlackOptions> slack,
    IOptions<IncidentOptions> incidents,
    ILogger<SlackChannelCheck> logger) : BackgroundService
{
    /// <summary>The whole check gives up after this; the posts themselves report what it did not get to.</summary>
    internal static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the start-up path: StartAsync returns at the first await.
        await Task.Yield();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        budget.CancelAfter(Budget);
        foreach (var (role, channel) in Channels())
        {
            try
            {
                await CheckAsync(role, channel, budget.Token);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException)
            {
                Log.ChannelCheckFailed(logger, role, channel, $"no answer within {Budget.TotalSeconds:0} s; the rest are not checked");
                return;
            }
            catch (Exception ex)
            {
                Log.ChannelCheckFailed(logger, role, channel, ex.Message);
            }
        }
    }

    /// <summary>Each configured channel once, the feed first; ids that are not Slack's (a Teams channel) are skipped.</summary>
    internal IEnumerable<(string Role, string Channel)> Channels()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (slack.Value.FeedChannel is { Length: > 0 } feed && IsSlackId(feed) && seen.Add(feed))
        {
            yield return ("feed", feed);
        }

        foreach (var severity in incidents.Value.Severities)
        {
            foreach (var channel in severity.Stakeholders.Concat(severity.PrivateStakeholders))
            {
                if (IsSlackId(channel) && seen.Add(channel))
                {
                    yield return ($"{severity.Name} stakeholder", channel);
                }
            }
        }
    }

    private static bool IsSlackId(string id) => id.Length > 1 && id.All(char.IsAsciiLetterOrDigit);

    private async Task CheckAsync(string role, string channelId, CancellationToken ct)
    {
        SlackChannel? channel;
        try
        {
            channel = (await api.ConversationInfoAsync(channelId, ct)).Channel;
        }
        catch (SlackApiException ex) when (ex.Error is "channel_not_found")
        {
            Log.ChannelCheck(logger, role, channelId, "the channel was not found or the bot cannot see it (a private channel must invite the bot)");
            return;
        }

        var problem = channel switch
        {
            null => "Slack returned no channel",
            { IsArchived: true } => "the channel is archived",
            { IsPrivate: true, IsMember: false } => "the channel is private and the bot is not in it (invite it with /invite @bot)",
            _ => null,
        };
        if (problem is not null)
        {
            Log.ChannelCheck(logger, role, channelId, problem);
        }
    }
}
