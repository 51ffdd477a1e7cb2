using System.Text.Json;
using ChatOpsIncident.Core.Chat;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Processing;

/// <summary>Delivers queued outbound effects, each key once; failures retry with backoff.</summary>
public sealed partial class OutboxDispatcher(
    IOutbox outbox,
    IChatPlatforms platforms,
    IEnumerable<IPager> pagers,
    IEnumerable<IDeadLetterObserver> deadLetters,
    OutboxSignal signal,
    IOptions<ProcessingOptions> options,
    TimeProvider time,
    IRetryJitter jitter,
    ILogger<OutboxDispatcher> logger,
    ProcessingTelemetry? telemetry = null,
    IPageLog? pageLog = null) : PollingWorker(signal, options, time, logger)
{
    private readonly IReadOnlyList<IDeadLetterObserver> _deadLetters = deadLetters.ToList();

    private async Task DeliverInOrderAsync(List<OutboxClaim> items, LeaseKeeper leases, CancellationToken ct)
    {
        // A private answer starts once the channel's earlier items are out (it never lands before what its command
        // posted) but runs beside the later ones: a response_url that hangs for its whole call budget holds up only
        // itself. The claim keeps the same rule across batches (an answer waits for older posts, never the reverse).
        var answers = new List<Task<bool>>();
        for (var i = 0; i < items.Count; i++)
        {
            if (ct.IsCancellationRequested)
            {
                // The host is stopping: start no new send; the batch gives the rest back.
                return;
            }

            var item = items[i];
            if (OutboxOperations.IsPersonal(item.Message.Operation))
            {
                answers.Add(DeliverOneAsync(item, leases, ct));
                continue;
            }

            if (!await DeliverOneAsync(item, leases, ct))
            {
                // Nothing newer for this channel goes out while an older message waits for its retry: give the rest
                // back untried; the claim skips them until the older one is delivered or dead.
                var rest = items.Skip(i + 1).ToList();
                await outbox.ReleaseAsync(rest.Select(r => (r.Id, r.Claim)).ToList(), CancellationToken.None);
                rest.ForEach(r => leases.Finished(r.Id));
                break;
            }
        }

        await Task.WhenAll(answers);
    }

    /// <summary>Delivers one row; false when it did not complete here (failed, or its claim was taken over).</summary>
    private async Task<bool> DeliverOneAsync(OutboxClaim item, LeaseKeeper leases, CancellationToken ct)
    {
        var message = item.Message;
        if (item.Attempts > Options.MaxAttempts)
        {
            // Claimed MaxAttempts times and never finished: the process died while sending it each time.
            return await GiveUpAsync(item, leases, new PermanentChatException($"claimed {item.Attempts} times without finishing"));
        }

        // Continues the trace of the work that queued the row; the platform's HTTP call and any follow-up it queues (the
        // pin) are this span's children.
        using var span = ProcessingTelemetry.StartStored("outbox deliver", System.Diagnostics.ActivityKind.Producer, item.TraceParent);
        span?.SetTag("chatops.platform", message.Platform);
        span?.SetTag("chatops.outbox.operation", message.Operation);
        try
        {
            // Re-check the claim right before a send that must not repeat: after a pause longer than the lease
            // another replica may hold this row and be sending it. The renewal also starts a fresh lease for the
            // call, whose budget ends before that lease does.
            if (!await leases.RecheckAsync(item.Id, ct))
            {
                Log.LeaseLost(logger, "outbox", item.Id);
                return false;
            }

            string? result;
            using (var call = leases.CallTimeout(ct))
            {
                OutboxDelivery.Current = item;
                try
                {
                    result = await DeliverAsync(message, call.Token);
                }
                finally
                {
                    OutboxDelivery.Current = null;
                }
            }

            // Sent: record it even if the host started stopping meanwhile, or the next holder would send it again.
            if (message is { Operation: OutboxOperations.Post, Pin: true })
            {
                // The pin is its own step: if pins.add fails it is retried alone, and the post is not sent again.
                await outbox.EnqueueAsync([new OutboxMessage(message.Key + ":pin", message.IncidentId, message.Platform, OutboxOperations.PinPosted, message.ChannelId) { TargetKey = message.Key }], CancellationToken.None);
            }

            if (!await outbox.CompleteAsync(item.Id, item.Claim, result, CancellationToken.None))
            {
                Log.LeaseLost(logger, "outbox", item.Id);
            }

            leases.Finished(item.Id);
            telemetry?.Delivery(message.Platform, DeliveryOutcomes.Delivered);
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
            return await GiveUpAsync(item, leases, ex);
        }
    }

    private async Task<bool> GiveUpAsync(OutboxClaim item, LeaseKeeper leases, Exception ex)
    {
        var message = item.Message;
        {
            leases.Finished(item.Id);
            var attempt = item.Attempts;
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

            telemetry?.Delivery(message.Platform, dead ? DeliveryOutcomes.Dead : DeliveryOutcomes.Retry);
            var error = InboxWorker.Describe(ex);
            if (await outbox.FailAsync(item.Id, item.Claim, error, retryAfter, dead, CancellationToken.None) && dead)
            {
                await TellDeadAsync(message, item.Id, error);
            }

            return false;
        }
    }

    private async Task TellDeadAsync(OutboxMessage message, long id, string error)
    {
        foreach (var observer in _deadLetters)
        {
            try
            {
                await observer.OutboxItemDiedAsync(message, error, CancellationToken.None);
            }
            catch (Exception ex)
            {
                Log.DeadObserverFailed(logger, ex, "outbox", id);
            }
        }
    }

    private async Task<string?> DeliverAsync(OutboxMessage m, CancellationToken ct)
    {
        var platform = platforms.Find(m.Platform) ?? throw new PermanentChatException($"The {m.Platform} integration is not configured");
        switch (m.Operation)
        {
            case OutboxOperations.Post:
                var message = m.Message ?? throw new PermanentChatException("post without a message");
                var posted = await platform.PostAsync(m.ChannelId, m.IncidentId == Guid.Empty ? message : message with { IncidentId = m.IncidentId }, ct);
                return JsonSerializer.Serialize(posted);
            case OutboxOperations.PinPosted:
                var pinned = await outbox.ResultAsync(m.TargetKey ?? "", ct)
                    ?? throw new InvalidOperationException($"target {m.TargetKey} not delivered yet");
                await platform.PinAsync(JsonSerializer.Deserialize<PostedMessage>(pinned)!, ct);
                return null;
            case OutboxOperations.Update:
                var target = await outbox.ResultAsync(m.TargetKey ?? "", ct);
                if (target is null)
                {
                    // The message to update has not been posted yet; it will carry older content, so retry after it.
                    throw new InvalidOperationException($"target {m.TargetKey} not delivered yet");
                }

                var sent = m.Version is null ? null : await outbox.SentVersionAsync(m.TargetKey!, ct);
                if (StaleUpdates.IsStale(sent, m.Version))
                {
                    // Completed without sending: the message already shows this version or a newer one.
                    Log.StaleUpdateSkipped(logger, m.Key, m.Version!.Value, sent!.Value, m.TargetKey!);
                    return target;
                }

                await platform.UpdateAsync(JsonSerializer.Deserialize<PostedMessage>(target)!, m.IncidentId == Guid.Empty ? m.Message! : m.Message! with { IncidentId = m.IncidentId }, ct);
                if (m.Version is { } version)
                {
                    await outbox.RecordSentVersionAsync(m.TargetKey!, version, ct);
                }

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
                    await pager.PageAsync(m.IncidentId, m.Text ?? "", m.TargetKey, ct);
                }

                if (pageLog is not null)
                {
                    await pageLog.RecordAsync(m.IncidentId, m.TargetKey ?? "", ct);
                }

                await platform.PageAsync(m.IncidentId, m.ChannelId, m.Text ?? "", ct);
                return null;
            case OutboxOperations.Form:
                await platform.SendFormAsync(m.ChannelId, m.Text ?? "", m.IncidentId, ct);
                return null;
            case OutboxOperations.DirectMessage:
                await platform.DirectMessageAsync(m.ChannelId, m.Users.FirstOrDefault() ?? throw new PermanentChatException("direct message without a user"), m.Message ?? throw new PermanentChatException("direct message without a message"), ct);
                return null;
            case OutboxOperations.PageAcknowledge:
            case OutboxOperations.PageResolve:
                // Only the routes a page went to: an incident that never paged wakes nobody by ending. The row waits
                // behind the channel's page rows, so a trigger queued earlier is recorded before this looks.
                var routes = pageLog is null ? [] : await pageLog.RoutesAsync(m.IncidentId, ct);
                foreach (var route in routes)
                {
                    foreach (var pager in pagers)
                    {
                        if (m.Operation == OutboxOperations.PageAcknowledge)
                        {
                            await pager.AcknowledgeAsync(m.IncidentId, route.Length == 0 ? null : route, ct);
                        }
                        else
                        {
                            await pager.ResolveAsync(m.IncidentId, route.Length == 0 ? null : route, ct);
                        }
                    }
                }

                return null;
            case OutboxOperations.Archive:
                await platform.ArchiveAsync(m.ChannelId, ct);
                return null;
            case OutboxOperations.Respond:
                await platform.RespondAsync(m.ChannelId, m.Users.FirstOrDefault() ?? throw new PermanentChatException("respond without a user"), m.ResponseUrl, m.Message ?? throw new PermanentChatException("respond without a message"), ct);
                return null;
            default:
                throw new PermanentChatException($"unknown outbox operation '{m.Operation}'");
        }
    }
}
