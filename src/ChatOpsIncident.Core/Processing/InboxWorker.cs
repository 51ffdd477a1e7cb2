using ChatOpsIncident.Core.Inbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Processing;

/// <summary>Processes acknowledged deliveries after the ack; a crashed host's items run again once their lease lapses.</summary>
public sealed class InboxWorker(
    IInbox inbox,
    IEnumerable<IInboxHandler> handlers,
    IEnumerable<IDeadLetterObserver> deadLetters,
    InboxSignal signal,
    IOptions<ProcessingOptions> options,
    TimeProvider time,
    IRetryJitter jitter,
    ILogger<InboxWorker> logger) : PollingWorker(signal, options, time, logger)
{
    private readonly Dictionary<string, IInboxHandler> _handlers = handlers.ToDictionary(h => h.Platform, StringComparer.OrdinalIgnoreCase);
    private readonly IReadOnlyList<IDeadLetterObserver> _deadLetters = deadLetters.ToList();

    protected override async Task<int> RunBatchAsync(CancellationToken ct)
    {
        var items = await inbox.ClaimAsync(Options.BatchSize, Options.Lease, ct);
        if (items.Count == 0)
        {
            return 0;
        }

        await using var leases = new LeaseKeeper(items.Select(i => (i.Id, i.Claim)), inbox.RenewAsync, Options.Lease, Time, logger);
        var done = new System.Collections.Concurrent.ConcurrentBag<(long, Guid)>();
        // Items without an order key are independent deliveries and the core resolves concurrent changes with its
        // version check, so they run in parallel; items sharing a key (one channel or conversation) run one after
        // the other in arrival order, and stop at the first that fails so none overtakes it.
        var runs = items.GroupBy(i => i.OrderKey ?? $"#{i.Id}").Select(g => g.ToList()).ToList();
        try
        {
            await RunAllAsync(runs, leases, done, ct);
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // Stopping: record what finished, give the rest (not started, or cut off mid-run) back at once. They stay
            // counted as attempts; handlers are idempotent, so a cut-off item running again is harmless.
            var finished = done.ToList();
            try
            {
                await inbox.CompleteManyAsync(finished, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // Not recorded: they run again elsewhere, harmlessly.
                Log.GiveBackFailed(logger, ex, finished.Count, "inbox");
            }

            await leases.GiveBackAsync(inbox.GiveBackAsync, "inbox", finished.Select(f => f.Item1).ToHashSet());
            throw;
        }

        // One commit for the whole batch, fenced per item; an item that ran but was not marked done runs again,
        // harmlessly (handlers are idempotent). Not cancelled by a stop that begins now: the work is done.
        await inbox.CompleteManyAsync(done.ToList(), CancellationToken.None);
        return items.Count;
    }

    private async Task RunAllAsync(List<List<InboxItem>> runs, LeaseKeeper leases, System.Collections.Concurrent.ConcurrentBag<(long, Guid)> done, CancellationToken ct)
    {
        await Parallel.ForEachAsync(runs, new ParallelOptions { MaxDegreeOfParallelism = Options.Parallelism, CancellationToken = ct }, async (run, token) =>
        {
            for (var i = 0; i < run.Count; i++)
            {
                // Stopping: start no new item (Parallel.ForEachAsync only stops starting new runs).
                token.ThrowIfCancellationRequested();
                if (await RunAsync(run[i], token))
                {
                    done.Add((run[i].Id, run[i].Claim));
                    continue;
                }

                leases.Finished(run[i].Id);
                var rest = run.Skip(i + 1).ToList();
                await inbox.ReleaseAsync(rest.Select(r => (r.Id, r.Claim)).ToList(), CancellationToken.None);
                rest.ForEach(r => leases.Finished(r.Id));
                return;
            }
        });
        // A run that finished its last item while the host began stopping still counts as stopping here.
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>Runs one item; true when it succeeded and should be marked done.</summary>
    private async Task<bool> RunAsync(InboxItem item, CancellationToken ct)
    {
        if (!_handlers.TryGetValue(item.Platform, out var handler))
        {
            Log.NoHandler(logger, item.Platform, item.Id);
            await inbox.FailAsync(item.Id, item.Claim, $"no handler for {item.Platform}", TimeSpan.FromMinutes(5), dead: false, ct);
            return false;
        }

        if (item.Attempts > Options.MaxAttempts)
        {
            // Claimed MaxAttempts times and never finished: it crashes or hangs the process; stop retrying it.
            await GiveUpAsync(item, new PermanentChatException($"claimed {item.Attempts} times without finishing"));
            return false;
        }

        // One trace from the platform's request to the effects: the handler's outbox rows store this span as their parent.
        using var span = ProcessingTelemetry.StartStored("inbox process", System.Diagnostics.ActivityKind.Consumer, item.TraceParent);
        span?.SetTag("chatops.platform", item.Platform);
        span?.SetTag("chatops.inbox.kind", item.Kind);
        try
        {
            await handler.HandleAsync(item, ct);
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
            await GiveUpAsync(item, ex);
            return false;
        }
    }

    private async Task GiveUpAsync(InboxItem item, Exception ex)
    {
        // The attempt was counted when the item was claimed.
        var attempt = item.Attempts;
        var dead = attempt >= Options.MaxAttempts || ex is PermanentChatException or FormatException or System.Text.Json.JsonException;
        var retryAfter = Backoff.For(attempt, jitter);
        if (dead)
        {
            Log.InboxDead(logger, ex, item.Id, item.Platform, item.Kind, attempt);
        }
        else
        {
            Log.InboxFailed(logger, ex, item.Id, item.Platform, item.Kind, attempt, Time.GetUtcNow() + retryAfter);
        }

        var error = Describe(ex);
        if (!await inbox.FailAsync(item.Id, item.Claim, error, retryAfter, dead, CancellationToken.None))
        {
            Log.LeaseLost(logger, "inbox", item.Id);
            return;
        }

        if (dead)
        {
            foreach (var observer in _deadLetters)
            {
                try
                {
                    await observer.InboxItemDiedAsync(item, error, CancellationToken.None);
                }
                catch (Exception failure)
                {
                    Log.DeadObserverFailed(logger, failure, "inbox", item.Id);
                }
            }
        }
    }

    internal static string Describe(Exception ex) => $"{ex.GetType().Name}: {ex.Message}";
}
