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
    ILogger<InboxWorker> logger) : PollingWorker(signal, options, time, logger)
{
    private readonly Dictionary<string, IInboxHandler> _handlers = handlers.ToDictionary(h => h.Platform, StringComparer.OrdinalIgnoreCase);

    protected override async Task<int> RunBatchAsync(CancellationToken ct)
    {
        var items = await inbox.ClaimAsync(Options.BatchSize, Options.Lease, ct);
        foreach (var item in items)
        {
            await RunAsync(item, ct);
        }

        return items.Count;
    }

    public async Task RunAsync(InboxItem item, CancellationToken ct)
    {
        if (!_handlers.TryGetValue(item.Platform, out var handler))
        {
            Log.NoHandler(logger, item.Platform, item.Id);
            await inbox.FailAsync(item.Id, $"no handler for {item.Platform}", TimeSpan.FromMinutes(5), dead: false, ct);
            return;
        }

        try
        {
            await handler.HandleAsync(item, ct);
            await inbox.CompleteAsync(item.Id, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            var attempt = item.Attempts + 1;
            var dead = attempt >= Options.MaxAttempts || ex is PermanentChatException or FormatException or System.Text.Json.JsonException;
            var retryAfter = Backoff.For(attempt);
            if (dead)
            {
                Log.InboxDead(logger, ex, item.Id, item.Platform, item.Kind, attempt);
            }
            else
            {
                Log.InboxFailed(logger, ex, item.Id, item.Platform, item.Kind, attempt, Time.GetUtcNow() + retryAfter);
            }

            await inbox.FailAsync(item.Id, Describe(ex), retryAfter, dead, CancellationToken.None);
        }
    }

    internal static string Describe(Exception ex) => $"{ex.GetType().Name}: {ex.Message}";
}
