using ChatOpsIncident.Core.Inbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Processing;

/// <summary>Processes acknowledged deliveries after the ack; a crashed host's items run again once their lease lapses.</summary>
public sealed class InboxWorker(
    IInbox inbox,
    IEnumerable<IInboxHandler> handlers,
    InboxSignal signal,
    IOptions<ProcessingOptions> options,
    TimeProvider time,
    IRetryJitter jitter,
    IEnumerable<IDeadLetterObserver> deadLetters,
    ILogger<InboxWorker> logger) : PollingWorker(signal, options, time, logger)
{
    private readonly Dictionary<string, IInboxHandler> _handlers = handlers.ToDictionary(h => h.Platform, StringComparer.OrdinalIgnoreCase);

    protected override async Task<int> RunBatchAsync(CancellationToken ct)
    {
        var items = await inbox.ClaimAsync(Options.BatchSize, Options.Lease, ct);
        var done = new System.Collections.Concurrent.ConcurrentBag<long>();
        // Items are independent deliveries and the core resolves concurrent changes with its version check, so a
        // batch runs in parallel; slow platform calls of one item do not hold up the rest.
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Options.Parallelism, CancellationToken = ct }, async (item, token) =>
        {
            if (await RunAsync(item, token))
            {
                done.Add(item.Id);
            }
        });

        // One commit for the whole batch; an item that ran but was not marked done runs again, harmlessly.
        await inbox.CompleteManyAsync(done.ToList(), ct);
        return items.Count;
    }

    /// <summary>Runs one item; true when it succeeded and should be marked done.</summary>
    private async Task<bool> RunAsync(InboxItem item, CancellationToken ct)
    {
        if (!_handlers.TryGetValue(item.Platform, out var handler))
        {
            Log.NoHandler(logger, item.Platform, item.Id);
            await inbox.FailAsync(item.Id, $"no handler for {item.Platform}", TimeSpan.FromMinutes(5), dead: false, ct);
            return false;
        }

        try
        {
            await handler.HandleAsync(item, ct);
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            var attempt = item.Attempts + 1;
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

            await inbox.FailAsync(item.Id, Describe(ex), retryAfter, dead, CancellationToken.None);
            if (dead)
            {
                foreach (var observer in deadLetters)
                {
                    await observer.InboxItemDiedAsync(item, Describe(ex), CancellationToken.None);
                }
            }

            return false;
        }
    }

    internal static string Describe(Exception ex) => $"{ex.GetType().Name}: {ex.Message}";
}
