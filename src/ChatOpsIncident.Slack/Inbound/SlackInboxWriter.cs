using System.Threading.Channels;
using ChatOpsIncident.Core.Inbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Slack.Inbound;

/// <summary>A delivery waiting for its commit; abandoned when its request gave up waiting.</summary>
internal sealed class PendingDelivery(InboxDelivery delivery)
{
    private int _abandoned;

    public InboxDelivery Delivery { get; } = delivery;

    public TaskCompletionSource<bool> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Abandoned => Volatile.Read(ref _abandoned) == 1;

    /// <summary>The request answered "not stored"; a delivery not yet sent to the database is then dropped.</summary>
    public void Abandon() => Interlocked.Exchange(ref _abandoned, 1);
}

/// <summary>
/// Group commit for the request path: deliveries that arrive while a commit is in flight are stored together in the
/// next one, so concurrent acks share an fsync instead of queueing for one each. Each request still waits for the
/// commit that holds its row before it answers 2xx.
/// </summary>
internal sealed partial class SlackInboxWriter(IInbox inbox, ILogger<SlackInboxWriter> logger) : BackgroundService
{
    private const int MaxBatch = 256;
    private const int MaxConcurrentCommits = 4;
    private readonly Channel<PendingDelivery> _queue = Channel.CreateUnbounded<PendingDelivery>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _commits = new(MaxConcurrentCommits, MaxConcurrentCommits);

    public PendingDelivery Enqueue(InboxDelivery delivery)
    {
        var pending = new PendingDelivery(delivery);
        if (!_queue.Writer.TryWrite(pending))
        {
            pending.Stored.TrySetException(new InvalidOperationException("The Slack inbox writer is stopped."));
        }

        return pending;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await _commits.WaitAsync(stoppingToken);
                var batch = new List<PendingDelivery>();
                while (batch.Count < MaxBatch && reader.TryRead(out var next))
                {
                    if (!next.Abandoned)
                    {
                        batch.Add(next);
                    }
                }

                if (batch.Count == 0)
                {
                    _commits.Release();
                    continue;
                }

                _ = CommitAsync(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        _queue.Writer.TryComplete();
        while (reader.TryRead(out var left))
        {
            left.Stored.TrySetException(new OperationCanceledException("The host is stopping."));
        }
    }

    private async Task CommitAsync(List<PendingDelivery> batch)
    {
        try
        {
            // Not cancelled by the requests: once sent, a commit finishes; requests that stopped waiting were
            // answered "not stored", and a delivery stored anyway is deduplicated when Slack retries it.
            var stored = await inbox.EnqueueManyAsync(batch.Select(p => p.Delivery).ToList(), CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Stored.TrySetResult(stored[i]);
            }
        }
        catch (Exception ex)
        {
            Log.StoreFailed(logger, ex, $"batch of {batch.Count}");
            foreach (var p in batch)
            {
                p.Stored.TrySetException(ex);
            }
        }
        finally
        {
            _commits.Release();
        }
    }
}
