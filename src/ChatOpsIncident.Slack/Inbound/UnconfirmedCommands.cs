using System.Collections.Concurrent;

namespace ChatOpsIncident.Slack.Inbound;

/// <summary>
/// Commands whose storing timed out: it may still have committed. For a minute the same (user, channel, text) reuses
/// that delivery id, so "try again" after "could not confirm" is deduped by the inbox instead of running twice.
/// Per process: a retry that lands on another replica is not covered.
/// </summary>
internal sealed class UnconfirmedCommands(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string User, string? Channel, string Text), (string DeliveryId, DateTimeOffset Until)> _pending = new();

    /// <summary>The delivery id of an unconfirmed identical command within the window, else <paramref name="fresh"/>.</summary>
    public string DeliveryIdFor(string user, string? channel, string text, string fresh)
    {
        var now = time.GetUtcNow();
        foreach (var stale in _pending.Where(p => p.Value.Until <= now).Select(p => p.Key).ToList())
        {
            _pending.TryRemove(stale, out _);
        }

        return _pending.TryGetValue((user, channel, text.Trim()), out var earlier) ? earlier.DeliveryId : fresh;
    }

    public void Unconfirmed(string user, string? channel, string text, string deliveryId) =>
        _pending[(user, channel, text.Trim())] = (deliveryId, time.GetUtcNow() + Window);
}
