using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Core.Processing;

/// <summary>
/// Keeps the leases of one batch's in-flight items alive: every Lease/3 it renews the items not finished yet, and
/// forgets any whose claim another replica took over (their work must then not be completed here, and the fenced
/// complete/fail would refuse it anyway). Disposing stops the heartbeat.
/// </summary>
internal sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, Guid> _held = new();
    private readonly Func<IReadOnlyList<(long Id, Guid Claim)>, TimeSpan, CancellationToken, Task<IReadOnlySet<long>>> _renew;
    private readonly TimeSpan _lease;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _heartbeat;

    public LeaseKeeper(
        IEnumerable<(long Id, Guid Claim)> items,
        Func<IReadOnlyList<(long Id, Guid Claim)>, TimeSpan, CancellationToken, Task<IReadOnlySet<long>>> renew,
        TimeSpan lease,
        TimeProvider time,
        ILogger logger)
    {
        foreach (var (id, claim) in items)
        {
            _held[id] = claim;
        }

        _renew = renew;
        _lease = lease;
        _time = time;
        _logger = logger;
        _heartbeat = BeatAsync(_stop.Token);
    }

    /// <summary>
    /// The longest one outbound call may take after its claim was renewed: below the lease by a margin, so a call
    /// that hangs is abandoned before another replica can claim the item and make the same call.
    /// </summary>
    public static TimeSpan CallBudget(TimeSpan lease) => lease - TimeSpan.FromTicks(lease.Ticks / 5);

    /// <summary>A token that fires once the call budget from now has passed (or <paramref name="ct"/> fires).</summary>
    public CancellationTokenSource CallTimeout(CancellationToken ct)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(CallBudget(_lease));
        return cts;
    }

    /// <summary>Renews this item's claim right now; false when another claim holds it (do not send).</summary>
    public async Task<bool> RecheckAsync(long id, CancellationToken ct)
    {
        if (!_held.TryGetValue(id, out var claim))
        {
            return false;
        }

        var held = await _renew([(id, claim)], _lease, ct);
        if (!held.Contains(id))
        {
            _held.TryRemove(id, out _);
            return false;
        }

        return true;
    }

    /// <summary>The item is finished (completed, failed or released): stop renewing it.</summary>
    public void Finished(long id) => _held.TryRemove(id, out _);

    /// <summary>
    /// The host is stopping: stops the heartbeat and gives every item not finished (nor in <paramref name="except"/>,
    /// items done but not yet recorded) back at once through <paramref name="giveBack"/>, so another host takes it up
    /// now rather than after the lease. Never throws: at worst the lease lapses as before.
    /// </summary>
    public async Task GiveBackAsync(
        Func<IReadOnlyList<(long Id, Guid Claim)>, CancellationToken, Task> giveBack,
        string queue,
        IReadOnlySet<long>? except = null)
    {
        await StopHeartbeatAsync();
        var items = _held.Where(kv => except?.Contains(kv.Key) != true).Select(kv => (kv.Key, kv.Value)).ToList();
        _held.Clear();
        if (items.Count == 0)
        {
            return;
        }

        try
        {
            // Not the stopping token: it has fired, and this is the last thing the batch does.
            await giveBack(items, CancellationToken.None);
            Log.ClaimsGivenBack(_logger, items.Count, queue);
        }
        catch (Exception ex)
        {
            Log.GiveBackFailed(_logger, ex, items.Count, queue);
        }
    }

    private async Task BeatAsync(CancellationToken ct)
    {
        var period = TimeSpan.FromTicks(_lease.Ticks / 3);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, _time, ct);
                var items = _held.Select(kv => (kv.Key, kv.Value)).ToList();
                if (items.Count == 0)
                {
                    continue;
                }

                var held = await _renew(items, _lease, ct);
                foreach (var (id, _) in items.Where(i => !held.Contains(i.Key)))
                {
                    // Finished meanwhile, or taken over after a lapse (a pause longer than the lease).
                    _held.TryRemove(id, out _);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database is unreachable: the call budget still ends each call before the lease lapses.
                Log.LeaseRenewFailed(_logger, ex);
            }
        }
    }

    private async Task StopHeartbeatAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await _heartbeat;
    }

    public async ValueTask DisposeAsync()
    {
        await StopHeartbeatAsync();
        _stop.Dispose();
    }
}
