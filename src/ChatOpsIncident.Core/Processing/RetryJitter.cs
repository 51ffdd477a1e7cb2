namespace ChatOpsIncident.Core.Processing;

/// <summary>
/// The randomness in retry delays, injected so tests can fix it and so nothing in Core reaches for a shared
/// random generator of its own.
/// </summary>
public interface IRetryJitter
{
    /// <summary>A value in [0, 1).</summary>
    double NextFraction();
}

internal sealed class RandomRetryJitter : IRetryJitter
{
    // Random is not thread-safe; jitter is drawn only on a retry, so a lock costs nothing that matters.
    private readonly Random _random = new();
    private readonly Lock _lock = new();

    public double NextFraction()
    {
        lock (_lock)
        {
            return _random.NextDouble();
        }
    }
}

public static class Backoff
{
    /// <summary>Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped at 5 minutes.</summary>
    public static TimeSpan For(int attempt, IRetryJitter jitter)
    {
        var cap = Math.Min(300, Math.Pow(2, Math.Min(attempt, 10)));
        return TimeSpan.FromSeconds(cap / 2 + jitter.NextFraction() * cap / 2);
    }

    /// <summary>
    /// The pause before deciding a command again after a version conflict: up to 10 ms per attempt (below 50 ms),
    /// so people acting on one incident at once spread out instead of colliding again.
    /// </summary>
    public static TimeSpan Conflict(int attempt, IRetryJitter jitter) =>
        TimeSpan.FromMilliseconds(Math.Floor(jitter.NextFraction() * 10 * Math.Min(attempt, 5)));
}
