using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Inbox;
using ChatOpsIncident.Core.Storage;
using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Core.Processing;

/// <summary>
/// Makes dead items heard: the sender of a dead command is answered privately, and a post that could not reach a
/// channel is reported in the incident channel, naming the channel that missed it. Both go through the outbox, keyed
/// by the dead item, so a repeat notification is queued once.
/// </summary>
internal sealed partial class DeadLetterNotifier(
    IOutbox outbox,
    OutboxSignal signal,
    IIncidentStore incidents,
    IChatPlatforms platforms,
    IEnumerable<IDeadInboxReplies> replies,
    ILogger<DeadLetterNotifier> logger) : IDeadLetterObserver
{
    private readonly Dictionary<string, IDeadInboxReplies> _replies = replies.ToDictionary(r => r.Platform, StringComparer.OrdinalIgnoreCase);

    public async Task InboxItemDiedAsync(InboxItem item, string error, CancellationToken ct)
    {
        try
        {
            if (_replies.GetValueOrDefault(item.Platform)?.ReplyFor(item, DeadLetterMessages.CommandDied(error)) is { } reply)
            {
                await EnqueueAsync(reply, ct);
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            Log.DeadLetterNotifyFailed(logger, ex, $"inbox:{item.Id}");
        }
    }

    public async Task OutboxItemDiedAsync(OutboxMessage message, string error, CancellationToken ct)
    {
        try
        {
            // A dead answer or warning has nobody further to tell; reporting it would loop.
            if (OutboxOperations.IsPersonal(message.Operation) || message.Operation is OutboxOperations.PageAcknowledge or OutboxOperations.PageResolve || message.Key.StartsWith(DeadKeyPrefix, StringComparison.Ordinal)
                || message.IncidentId == Guid.Empty || DeadLetterMessages.UnreachableCode(error) is not { } code)
            {
                return;
            }

            var incident = (await incidents.GetAsync(message.IncidentId, ct))?.Incident;
            if (incident?.ChannelId is not { Length: > 0 } incidentChannel || incidentChannel == message.ChannelId
                || platforms.Find(message.Platform) is not { } platform)
            {
                return;
            }

            var name = await platform.DescribeChannelAsync(message.ChannelId, ct);
            await EnqueueAsync(new OutboxMessage(DeadKeyPrefix + message.Key, message.IncidentId, message.Platform, OutboxOperations.Post, incidentChannel)
            {
                Message = DeadLetterMessages.ChannelMissed(name, code),
            }, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            Log.DeadLetterNotifyFailed(logger, ex, message.Key);
        }
    }

    private const string DeadKeyPrefix = "dead:";

    private async Task EnqueueAsync(OutboxMessage message, CancellationToken ct)
    {
        await outbox.EnqueueAsync([message], ct);
        signal.Notify();
    }
}
