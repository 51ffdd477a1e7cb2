using System.Collections.Concurrent;
using ChatOpsIncident.Core.Storage;

namespace ChatOpsIncident.Core.Timeline;

/// <summary>
/// Answers "is this an incident channel?" for the inbound filter that keeps message edits and deletions of other
/// channels out of the inbox. A channel once seen as an incident channel stays one (remembered for good); a miss asks
/// the database (one indexed lookup), so a channel created seconds ago is never missed. A "no" is remembered only
/// briefly: a busy ordinary channel costs a query every few seconds, and a new incident channel's id is new, so no
/// stale "no" can exist for it except in the moment between its creation and the save of its id.
/// </summary>
public sealed class IncidentChannels(IIncidentStore store, TimeProvider time)
{
    /// <summary>How long a "not an incident channel" answer is reused.</summary>
    public static readonly TimeSpan NegativeTtl = TimeSpan.FromSeconds(2);

    private const int MaxRemembered = 50_000;

    private readonly ConcurrentDictionary<(string Platform, string Channel), bool> _incident = new();
    private readonly ConcurrentDictionary<(string Platform, string Channel), DateTimeOffset> _notUntil = new();

    public async Task<bool> IsIncidentChannelAsync(string platform, string channelId, CancellationToken ct)
    {
        var key = (platform, channelId);
        if (_incident.ContainsKey(key))
        {
            return true;
        }

        var now = time.GetUtcNow();
        if (_notUntil.TryGetValue(key, out var until) && until > now)
        {
            return false;
        }

        bool found;
        try
        {
            found = await store.FindByChannelAsync(platform, channelId, ct) is not null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Unsure means keep it: the event goes on to the inbox write, which answers Slack as it always has.
            return true;
        }

        if (found)
        {
            _notUntil.TryRemove(key, out _);
            if (_incident.Count < MaxRemembered)
            {
                _incident[key] = true;
            }
        }
        else
        {
            if (_notUntil.Count >= MaxRemembered)
            {
                _notUntil.Clear();
            }

            _notUntil[key] = now + NegativeTtl;
        }

        return found;
    }
}
