using ChatOpsIncident.Core.Chat;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>Phases 3 and 4, cause and communication: notes, status updates and their fan-out to stakeholders.</summary>
internal sealed partial class IncidentChange
{
    private string? Note(string text, DateTimeOffset? occurredAt = null)
    {
        Timeline(TimelineKinds.Note, text);
        // A backdated note sits where it happened; the future is not a time anything happened.
        if (occurredAt is { } at && at < _now)
        {
            Set.Timeline[^1] = Set.Timeline[^1] with { OccurredAt = at };
        }

        Reply = IncidentMessages.Noted;
        return null;
    }

    private string? PostUpdate(IncidentStatus? requested, string text)
    {
        if (!Incident.Status.IsOpen())
        {
            return IncidentMessages.UpdatesClosed(Incident);
        }

        var old = Incident.Status;
        var status = requested ?? old;
        Incident.Status = status;
        Incident.LastUpdateAt = _now;
        Incident.NextUpdateDue = _now + _options.FindSeverity(Incident.Severity)!.UpdateCadence;
        if (status == IncidentStatus.Monitoring && Incident.MitigatedAt is null)
        {
            Incident.MitigatedAt = _now;
        }

        var update = new StatusUpdate(0, Incident.Id, status, text, _ctx.Actor, _now);
        Set.Updates.Add(update);
        Timeline(TimelineKinds.Update, IncidentMessages.UpdateEntry(status, text));
        if (old != status)
        {
            Audit("status", old.ToWire(), status.ToWire());
            RefreshKickoff();
        }

        Post(_messages.InternalUpdate(Incident, update), "update");
        var (full, redacted) = FanOut(update);
        Reply = IncidentMessages.UpdatePosted(full, redacted, Incident);
        return null;
    }

    /// <summary>
    /// Where the update goes besides the incident channel (which has it already): a public incident's full update to
    /// the severity's stakeholder channels; a private incident's full update only to its private stakeholder channels,
    /// and a redacted line to the other stakeholder channels.
    /// </summary>
    private (List<string> Full, List<string> Redacted) StakeholderChannels()
    {
        var severity = _options.FindSeverity(Incident.Severity);
        List<string> Clean(IEnumerable<string>? ids) => ids?.Where(s => !string.IsNullOrWhiteSpace(s) && s != Incident.ChannelId).Distinct().ToList() ?? [];
        var stakeholders = Clean(severity?.Stakeholders);
        if (!Incident.IsPrivate)
        {
            return (stakeholders, []);
        }

        var cleared = Clean(severity?.PrivateStakeholders);
        return (cleared, stakeholders.Except(cleared).ToList());
    }

    /// <summary>Queues the fan-out of <paramref name="update"/>; returns how many channels got it in full and redacted.</summary>
    private (int Full, int Redacted) FanOut(StatusUpdate update)
    {
        var (full, redacted) = StakeholderChannels();
        foreach (var channel in full)
        {
            StakeholderPost(channel, _messages.StakeholderUpdate(Incident, update));
        }

        foreach (var channel in redacted)
        {
            StakeholderPost(channel, IncidentMessages.RedactedStakeholderUpdate(Incident, update));
        }

        return (full.Count, redacted.Count);
    }

    private void StakeholderPost(string channel, ChatMessage message) =>
        Set.Outbox.Add(new OutboxMessage(OutboxKeys.Command(_ctx.Platform, _ctx.DeliveryId, $"stakeholder:{channel}"), Incident.Id, Incident.Platform, OutboxOperations.Post, channel)
        {
            Message = message,
        });
}
