using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Slack.Outbound;

/// <summary>
/// A person's time zone from their Slack profile (<c>users.info</c> → <c>tz</c>), cached for a while: asked only for
/// commands that read a wall-clock time (<c>started 09:12</c>), never on the request path.
/// </summary>
internal sealed class SlackUserZones(SlackApiClient api, TimeProvider time, ILogger<SlackUserZones> logger)
{
    // People travel and change their profile's zone: a zone is trusted for half a day, then asked again.
    internal static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);
    private const int MaxCached = 10_000;
    private readonly ConcurrentDictionary<string, (string? Zone, DateTimeOffset Until)> _zones = new(StringComparer.Ordinal);

    /// <summary>The IANA zone of <paramref name="userId"/>, or null when Slack does not say (the time is read in UTC).</summary>
    public async Task<string?> ZoneOfAsync(string userId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_zones.TryGetValue(userId, out var cached) && cached.Until > now)
        {
            return cached.Zone;
        }

        try
        {
            var zone = (await api.UserInfoAsync(userId, ct)).User?.Tz;
            if (_zones.Count >= MaxCached)
            {
                _zones.Clear();
            }

            _zones[userId] = (zone, now + Lifetime);
            return zone;
        }
        catch (SlackApiException ex)
        {
            // Not cached: the next command asks again. UTC, said in the answer, is the honest fallback.
            Log.UserZoneLookupFailed(logger, userId, ex.Error);
            return null;
        }
    }
}
