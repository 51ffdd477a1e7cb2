namespace ChatOpsIncident.Core.Processing;

/// <summary>Wakes a local worker at once instead of at its next poll.</summary>
public abstract class WorkSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers any number of new items.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}

public sealed class InboxSignal : WorkSignal;

public sealed class OutboxSignal : WorkSignal;

/// <summary>A failure the platform says will not go away on retry (unknown channel, bad request).</summary>
public class PermanentChatException(string message, Exception? inner = null) : Exception(message, inner);

public static class Backoff
{
    /// <summary>Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped at 5 minutes.</summary>
    public static TimeSpan For(int attempt)
    {
        var cap = Math.Min(300, Math.Pow(2, Math.Min(attempt, 10)));
        return TimeSpan.FromSeconds(cap / 2 + Random.Shared.NextDouble() * cap / 2);
    }
}
