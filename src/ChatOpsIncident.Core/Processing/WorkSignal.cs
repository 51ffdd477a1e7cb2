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
