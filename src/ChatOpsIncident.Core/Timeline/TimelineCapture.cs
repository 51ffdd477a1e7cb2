using System.Collections.Concurrent;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Core.Storage;
using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Core.Timeline;

public enum CaptureOutcome
{
    /// <summary>The channel holds no incident: nothing fetched, nothing written.</summary>
    NotAnIncidentChannel,
    /// <summary>The platform no longer has the message (deleted, or not one it can read).</summary>
    MessageMissing,
    Captured,
    /// <summary>The message was on the timeline already; acknowledged again, written once.</summary>
    AlreadyCaptured,
}

/// <summary>
/// Chat messages on the incident timeline: captured (a reaction, a pin, a message action), removed and edited.
/// Every platform's capture goes through here, so the dedupe and the acknowledgement rules are the same everywhere.
/// </summary>
public sealed class TimelineCapture(IIncidentStore store, IChatPlatforms platforms, TimeProvider time, ILogger<TimelineCapture> logger)
{
    private const int MaxRemembered = 10_000;
    private static readonly TimeSpan NotAnIncidentChannelFor = TimeSpan.FromMinutes(1);

    // Reactions and pins in busy non-incident channels would each cost a lookup. Safe to remember: incident channels
    // are always new channels the bot creates, so a channel that is not an incident channel never becomes one.
    private readonly ConcurrentDictionary<(string Platform, string Channel), DateTimeOffset> _notIncidentChannels = new();

    /// <summary>
    /// A message marked in a channel: find the channel's incident, fetch the message from the platform, put it on the
    /// timeline and acknowledge it on the platform.
    /// </summary>
    public Task<CaptureOutcome> CaptureAsync(SourceRef source, UserRef capturedBy, CancellationToken ct) =>
        CaptureAsync(source, capturedBy, marker: null, ct);

    /// <param name="marker">What holds the message on the timeline (e.g. one person's reaction, the pin), so taking one
    /// mark back keeps the entry while others remain (<see cref="UnmarkAsync"/>).</param>
    public async Task<CaptureOutcome> CaptureAsync(SourceRef source, UserRef capturedBy, string? marker, CancellationToken ct)
    {
        var incident = await FindIncidentAsync(source.Platform, source.ChannelId, ct);
        if (incident is null)
        {
            return CaptureOutcome.NotAnIncidentChannel;
        }

        if (marker is not null && source.MessageId is not null)
        {
            // Recorded before the fetch: a mark that arrives while another person's capture is in flight still counts.
            await store.AddCaptureMarkAsync(source.Platform, source.ChannelId, source.MessageId, marker, ct);
        }

        var platform = platforms.Find(source.Platform) ?? throw new PermanentChatException($"The {source.Platform} integration is not configured");
        var message = await platform.FetchMessageAsync(source, ct);
        if (message is null)
        {
            Log.CaptureMissing(logger, source.Platform, source.ChannelId, source.MessageId);
            return CaptureOutcome.MessageMissing;
        }

        var added = await CaptureAsync(incident, message, capturedBy, ct);
        // Acknowledged every time (the platform makes a repeat a no-op), so a crash between capture and
        // acknowledgement is repaired by the re-run.
        await platform.AcknowledgeCaptureAsync(message.Source, ct);
        return added ? CaptureOutcome.Captured : CaptureOutcome.AlreadyCaptured;
    }

    /// <summary>Puts a message the caller already holds on the timeline, once per message. False when it was there.</summary>
    public async Task<bool> CaptureAsync(Incident incident, CapturedMessage message, UserRef capturedBy, CancellationToken ct)
    {
        var entry = new TimelineEntry
        {
            IncidentId = incident.Id,
            Kind = TimelineKinds.Pinned,
            OccurredAt = message.PostedAt,
            RecordedAt = time.GetUtcNow(),
            Author = message.Author,
            Text = message.Text,
            Source = message.Source,
            DedupeKey = $"msg:{message.Source.Platform}:{message.Source.ChannelId}:{message.Source.MessageId}",
        };
        var added = await store.AppendTimelineAsync(entry, ct);
        if (added)
        {
            Log.Captured(logger, incident.PublicId, capturedBy.Id);
        }

        return added;
    }

    /// <summary>
    /// One mark was taken back: the entry stays while any other mark holds the message, and is removed with the last.
    /// Messages captured before marks were recorded have none left, so they go as they always did. Returns how many
    /// entries were removed.
    /// </summary>
    public async Task<int> UnmarkAsync(SourceRef source, string marker, CancellationToken ct)
    {
        if (source.MessageId is null)
        {
            return 0;
        }

        var remaining = await store.RemoveCaptureMarkAsync(source.Platform, source.ChannelId, source.MessageId, marker, ct);
        return remaining > 0 ? 0 : await RemoveAsync(source, ct);
    }

    /// <summary>The message was unmarked or deleted: its captured entries are marked removed. Returns how many.</summary>
    public async Task<int> RemoveAsync(SourceRef source, CancellationToken ct)
    {
        if (source.MessageId is null)
        {
            return 0;
        }

        var removed = await store.MarkCapturedRemovedAsync(source.Platform, source.ChannelId, source.MessageId, time.GetUtcNow(), ct);
        if (removed > 0)
        {
            Log.CaptureRemoved(logger, source.Platform, source.ChannelId, source.MessageId);
        }

        return removed;
    }

    /// <summary>The message was edited: its captured entries carry the new text. Returns how many.</summary>
    public async Task<int> EditAsync(SourceRef source, string text, CancellationToken ct)
    {
        if (source.MessageId is null)
        {
            return 0;
        }

        var edited = await store.EditCapturedAsync(source.Platform, source.ChannelId, source.MessageId, text, time.GetUtcNow(), ct);
        if (edited > 0)
        {
            Log.CaptureEdited(logger, source.Platform, source.ChannelId, source.MessageId);
        }

        return edited;
    }

    private async Task<Incident?> FindIncidentAsync(string platform, string channel, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_notIncidentChannels.TryGetValue((platform, channel), out var until) && until > now)
        {
            return null;
        }

        var incident = await store.FindByChannelAsync(platform, channel, ct);
        if (incident is null)
        {
            if (_notIncidentChannels.Count > MaxRemembered)
            {
                _notIncidentChannels.Clear();
            }

            _notIncidentChannels[(platform, channel)] = now + NotAnIncidentChannelFor;
        }

        return incident;
    }
}
