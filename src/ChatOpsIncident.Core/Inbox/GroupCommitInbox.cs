using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Core.Inbox;

/// <summary>A delivery waiting for its commit; abandoned when its request gave up waiting.</summary>
public sealed class PendingDelivery(InboxDelivery delivery)
{
    private int _abandoned;

    public InboxDelivery Delivery { get; } = delivery;

    /// <summary>Completes when the commit holding the row is done: true stored, false stored before (a retry).</summary>
    public TaskCompletionSource<bool> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Abandoned => Volatile.Read(ref _abandoned) == 1;

    /// <summary>The request answered "not stored"; a delivery not yet sent to the database is then dropped.</summary>
    public void Abandon() => Interlocked.Exchange(ref _abandoned, 1);
}

/// <summary>
/// Group commit for the request path of every inbound surface (Slack, alert webhooks): deliveries that arrive while a
/// commit is in flight are stored together in the next one, so concurrent acks share an fsync instead of queueing for
/// one each. Each request still waits for the commit that holds its row before it answers 2xx; how long it waits,
/// and what it answers when the wait runs out, is the surface's rule (Slack's 3 s, a webhook's 503).
/// </summary>
public sealed class GroupCommitInbox(IInbox inbox, ILogger<GroupCommitInbox> logger) : BackgroundService
{
    private const int MaxBatch = 256;
    private const int MaxConcurrentCommits = 4;
    private readonly Channel<PendingDelivery> _queue = Channel.CreateUnbounded<PendingDelivery>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _commits = new(MaxConcurrentCommits, MaxConcurrentCommits);

    /// <summary>Queues a delivery for the next commit; await <see cref="PendingDelivery.Stored"/> before answering 2xx.</summary>
    public PendingDelivery Enqueue(InboxDelivery delivery)
    {
        var pending = new PendingDelivery(delivery);
        if (!_queue.Writer.TryWrite(pending))
        {
            pending.Stored.TrySetException(new InvalidOperationException("The inbox writer is stopped."));
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
            // answered "not stored", and a delivery stored anyway is deduplicated when its sender retries it.
            var stored = await inbox.EnqueueManyAsync(batch.Select(p => p.Delivery).ToList(), CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Stored.TrySetResult(stored[i]);
            }
        }
        catch (Exception ex)
        {
            Log.GroupCommitFailed(logger, ex, batch.Count);
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

public static class GroupCommitInboxServiceCollectionExtensions
{
    /// <summary>
    /// Registers the one writer of the process (Core and every adapter that stores on its request path call this; the
    /// first call wins, so the writer is never started twice).
    /// </summary>
    public static IServiceCollection AddGroupCommitInbox(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(GroupCommitInbox)))
        {
            return services;
        }

        services.TryAddSingleton<GroupCommitInbox>();
        services.AddHostedService(sp => sp.GetRequiredService<GroupCommitInbox>());
        return services;
    }
}
