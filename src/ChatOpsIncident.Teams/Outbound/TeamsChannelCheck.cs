using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Teams.Activities;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Teams.Outbound;

/// <summary>
/// At start-up, logs one warning line for each configured Teams feed or stakeholder channel the bot has never seen.
/// The Bot Connector has no "channel info" a bot can ask for (and Graph's needs a permission the bot does not hold
/// for every team), so "known" means: the bot holds a conversation reference for it, learned when it was installed in
/// the channel's team or an activity came from there. Without one, posts go to the default service URL and fail if the
/// bot is not in that team. In the background under a time limit; it never holds up or stops start-up.
/// </summary>
internal sealed class TeamsChannelCheck(
    IConversationStore store,
    IOptions<TeamsOptions> teams,
    IOptions<IncidentOptions> incidents,
    ILogger<TeamsChannelCheck> logger) : BackgroundService
{
    internal static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        budget.CancelAfter(Budget);
        foreach (var (role, channel) in Channels())
        {
            try
            {
                if (await store.FindConversationAsync(Conversations.RootOf(channel)!, budget.Token) is null)
                {
                    Log.ChannelUnknown(logger, role, channel);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.ChannelCheckFailed(logger, role, channel, ex.Message);
                return;
            }
        }
    }

    /// <summary>Each configured channel once, the feed first; ids that are not Teams channels (a Slack channel) are skipped.</summary>
    internal IEnumerable<(string Role, string Channel)> Channels()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (teams.Value.FeedChannel is { Length: > 0 } feed && IsTeamsChannel(feed) && seen.Add(feed))
        {
            yield return ("feed", feed);
        }

        foreach (var severity in incidents.Value.Severities)
        {
            foreach (var channel in severity.Stakeholders.Concat(severity.PrivateStakeholders))
            {
                if (IsTeamsChannel(channel) && seen.Add(channel))
                {
                    yield return ($"{severity.Name} stakeholder", channel);
                }
            }
        }
    }

    private static bool IsTeamsChannel(string id) => id.StartsWith("19:", StringComparison.Ordinal);
}
