using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Slack.Outbound;

/// <summary>
/// Paces chat.postMessage to about one per second per channel (Slack's documented limit), with a small burst
/// allowance: a token bucket per channel. Callers wait for their slot instead of provoking a 429.
/// </summary>
internal sealed class PostPacer(IOptions<SlackOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private TimeSpan Interval => options.Value.Http.PostInterval;
    private int Burst => Math.Max(1, options.Value.Http.PostBurst);

    public async Task WaitAsync(string channel, CancellationToken ct)
    {
        if (Interval <= TimeSpan.Zero)
        {
            return;
        }

        var wait = Reserve(channel);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, ct);
        }

        if (_buckets.Count > 10_000)
        {
            Trim();
        }
    }

    /// <summary>Takes the next slot of the channel's bucket and returns how long to wait for it.</summary>
    internal TimeSpan Reserve(string channel)
    {
        var now = time.GetUtcNow();
        var bucket = _buckets.GetOrAdd(channel, _ => new Bucket());
        lock (bucket)
        {
            // The bucket's "full" point: with Burst tokens a sender may run up to (Burst-1) intervals ahead of now.
            var earliest = now - Interval * (Burst - 1);
            var slot = bucket.Next < earliest ? earliest : bucket.Next;
            bucket.Next = slot + Interval;
            var wait = slot - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
    }

    private void Trim()
    {
        var stale = time.GetUtcNow() - TimeSpan.FromMinutes(5);
        foreach (var (key, bucket) in _buckets)
        {
            if (bucket.Next < stale)
            {
                _buckets.TryRemove(key, out _);
            }
        }
    }

    private sealed class Bucket
    {
        public DateTimeOffset Next { get; set; } = DateTimeOffset.MinValue;
    }
}
