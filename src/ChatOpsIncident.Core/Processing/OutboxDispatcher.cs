using System.Text.Json;
using ChatOpsIncident.Core.Chat;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Processing;

/// <summary>Delivers queued outbound effects, each key once; failures retry with backoff.</summary>
public sealed class OutboxDispatcher(
    IOutbox outbox,
    IChatPlatforms platforms,
    IEnumerable<IPager> pagers,
    OutboxSignal signal,
    IOptions<ProcessingOptions> options,
    TimeProvider time,
    IRetryJitter jitter,
    IEnumerable<IDeadLetterObserver> deadLetters,
    ILogger<OutboxDispatcher> logger) : PollingWorker(signal, options, time, logger)
{
    protected override async Task<int> RunBatchAsync(CancellationToken ct)
    {
        var batch = await outbox.ClaimAsync(Options.BatchSize, Options.Lease, ct);
        // Channels are independent: a channel paced or slowed by its platform must not hold up the others,
        // while messages within one channel keep their order.
        await Task.WhenAll(batch.GroupBy(b => (b.Message.Platform, b.Message.ChannelId)).Select(group => DeliverInOrderAsync(group.ToList(), ct)));
        return batch.Count;
    }

    private async Task DeliverInOrderAsync(List<(long Id, OutboxMessage Message, int Attempts)> items, CancellationToken ct)
    {
        foreach (var (id, message, attempts) in items)
        {
            try
            {
                var result = await DeliverAsync(message, ct);
                await outbox.CompleteAsync(id, result, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                var attempt = attempts + 1;
                var dead = attempt >= Options.MaxAttempts || ex is PermanentChatException;
                var retryAfter = Backoff.For(attempt, jitter);
                if (dead)
                {
                    Log.OutboxDead(logger, ex, message.Key, attempt);
                }
                else
                {
                    Log.OutboxFailed(logger, ex, message.Key, attempt, Time.GetUtcNow() + retryAfter);
                }

                await outbox.FailAsync(id, InboxWorker.Describe(ex), retryAfter, dead, CancellationToken.None);
                if (dead)
                {
                    foreach (var observer in deadLetters)
                    {
                        await observer.OutboxItemDiedAsync(message, InboxWorker.Describe(ex), CancellationToken.None);
                    }
                }
            }
        }
    }

    private async Task<string?> DeliverAsync(OutboxMessage m, CancellationToken ct)
    {
        var platform = platforms.Find(m.Platform) ?? throw new PermanentChatException($"The {m.Platform} integration is not configured");
        switch (m.Operation)
        {
            case OutboxOperations.Post:
                var posted = await platform.PostAsync(m.ChannelId, m.Message ?? throw new PermanentChatException("post without a message"), ct);
                if (m.Pin)
                {
                    await platform.PinAsync(posted, ct);
                }

                return JsonSerializer.Serialize(posted);
            case OutboxOperations.Update:
                var target = await outbox.ResultAsync(m.TargetKey ?? "", ct);
                if (target is null)
                {
                    // The message to update has not been posted yet; it will carry older content, so retry after it.
                    throw new InvalidOperationException($"target {m.TargetKey} not delivered yet");
                }

                await platform.UpdateAsync(JsonSerializer.Deserialize<PostedMessage>(target)!, m.Message!, ct);
                return target;
            case OutboxOperations.Topic:
                await platform.SetTopicAsync(m.ChannelId, m.Text ?? "", ct);
                return null;
            case OutboxOperations.Invite:
                await platform.InviteAsync(m.ChannelId, m.Users.ToList(), ct);
                return null;
            case OutboxOperations.Page:
                // The pager first: it dedupes per incident, so a retry after a chat failure pages nobody twice.
                foreach (var pager in pagers)
                {
                    await pager.PageAsync(m.IncidentId, m.Text ?? "", ct);
                }

                await platform.PageAsync(m.IncidentId, m.ChannelId, m.Text ?? "", ct);
                return null;
            case OutboxOperations.Respond:
                await platform.RespondAsync(m.ChannelId, m.Users.FirstOrDefault() ?? throw new PermanentChatException("respond without a user"), m.ResponseUrl, m.Message ?? throw new PermanentChatException("respond without a message"), ct);
                return null;
            default:
                throw new PermanentChatException($"unknown outbox operation '{m.Operation}'");
        }
    }
}
