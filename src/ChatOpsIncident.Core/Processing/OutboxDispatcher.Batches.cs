using ChatOpsIncident.Core.Chat;
using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Core.Processing;

/// <summary>The dispatcher's loop: claiming batches and keeping several out at once.</summary>
public sealed partial class OutboxDispatcher
{
    /// <summary>
    /// Batches in flight at once. A batch ends when its slowest channel ends; one channel slowed by its platform (a
    /// response_url hanging for its whole call budget, Retry-After pacing) must not stop the next batch from being
    /// claimed and sent, so the loop claims again while earlier batches are still out. The claim itself keeps the
    /// order: it never hands out an item of a channel whose older item is still pending, claimed or not.
    /// </summary>
    internal const int BatchesInFlight = 4;

    private readonly SemaphoreSlim _slots = new(BatchesInFlight, BatchesInFlight);
    private readonly HashSet<Task> _inFlight = [];

    protected override async Task<int> RunBatchAsync(CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        IReadOnlyList<OutboxClaim> batch;
        try
        {
            batch = await outbox.ClaimAsync(Options.BatchSize, Options.Lease, ct);
        }
        catch
        {
            _slots.Release();
            throw;
        }

        if (batch.Count == 0)
        {
            _slots.Release();
            return 0;
        }

        var run = RunClaimedAsync(batch, ct);
        lock (_inFlight)
        {
            _inFlight.Add(run);
        }

        _ = run.ContinueWith(
            t =>
            {
                lock (_inFlight)
                {
                    _inFlight.Remove(t);
                }

                _slots.Release();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return batch.Count;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The loop has stopped claiming; the batches still out see the stop, record what was sent and give the rest
        // back. Wait for them (bounded by the host's shutdown timeout) so no claim outlives the process needlessly.
        Task[] running;
        lock (_inFlight)
        {
            running = [.. _inFlight];
        }

        await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunClaimedAsync(IReadOnlyList<OutboxClaim> batch, CancellationToken ct)
    {
        try
        {
            await using var leases = new LeaseKeeper(batch.Select(b => (b.Id, b.Claim)), outbox.RenewAsync, Options.Lease, Time, logger);
            // Channels are independent: a channel paced or slowed by its platform must not hold up the others,
            // while messages within one channel keep their order.
            try
            {
                await Task.WhenAll(batch.GroupBy(b => (b.Message.Platform, b.Message.ChannelId)).Select(group => DeliverInOrderAsync(group.ToList(), leases, ct)));
            }
            finally
            {
                if (ct.IsCancellationRequested)
                {
                    // Stopping: what was not sent, and what was cut off mid-send, is given back now (still counted, so
                    // the next holder checks whether a cut-off post landed) instead of holding its channel for a lease.
                    await leases.GiveBackAsync(outbox.GiveBackAsync, "outbox");
                }
            }
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // Stopping cut the batch off; its claims were given back above.
        }
        catch (Exception ex)
        {
            // Database down or similar: the batch's leases lapse and another pass (here or on a replica) retries.
            Log.LoopFailed(logger, ex, nameof(OutboxDispatcher));
        }
    }
}
