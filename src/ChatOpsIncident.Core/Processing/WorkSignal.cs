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

public sealed class ProcessingOptions
{
    public const string SectionName = "Processing";

    /// <summary>How often a worker looks for work another replica left behind (its own work wakes it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a claimed item stays leased; when a host dies its items run elsewhere after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    public int MaxAttempts { get; set; } = 12;

    public int BatchSize { get; set; } = 50;

    /// <summary>How many inbox items one replica processes at once.</summary>
    public int Parallelism { get; set; } = 8;
}

/// <summary>A failure the platform says will not go away on retry (unknown channel, bad request).</summary>
public class PermanentChatException(string message, Exception? inner = null) : Exception(message, inner);
