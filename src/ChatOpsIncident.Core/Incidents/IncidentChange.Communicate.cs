using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Configuration;

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
        var (full, redacted) = FanOut(update, StakeholderMoments.Update);
        Reply = IncidentMessages.UpdatePosted(full, redacted, Incident);
        return null;
    }

    /// <summary>
    /// Where the update goes besides the incident channel (which has it already): a public incident's full update to
    /// the severity's stakeholder channels; a private incident's full update only to its private stakeholder channels,
    /// and a redacted line to the other stakeholder channels.
    /// </summary>
    private (List<string> Full, List<string> Redacted) StakeholderChannels() => StakeholderChannels(Incident, _options.FindSeverity(Incident.Severity));

    /// <summary>The stakeholder channels of <paramref name="severity"/> for <paramref name="i"/>, split by the privacy rule (see above).</summary>
    internal static (List<string> Full, List<string> Redacted) StakeholderChannels(Incident i, params SeverityOptions?[] severity)
    {
        List<string> Clean(IEnumerable<string>? ids) => ids?.Where(s => !string.IsNullOrWhiteSpace(s) && s != i.ChannelId).Distinct().ToList() ?? [];
        var stakeholders = Clean(severity.SelectMany(s => s?.Stakeholders ?? []));
        if (!i.IsPrivate)
        {
            return (stakeholders, []);
        }

        var cleared = Clean(severity.SelectMany(s => s?.PrivateStakeholders ?? []));
        return (cleared, stakeholders.Except(cleared).ToList());
    }

    /// <summary>
    /// Queues the fan-out of <paramref name="update"/> when the severity's <c>NotifyStakeholdersOn</c> names
    /// <paramref name="moment"/>; returns how many channels got it in full and redacted.
    /// </summary>
    private (int Full, int Redacted) FanOut(StatusUpdate update, string moment)
    {
        if (_options.FindSeverity(Incident.Severity) is { } sev && !sev.NotifiesStakeholdersOn(moment))
        {
            return (0, 0);
        }

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

    /// <summary>
    /// A severity change told to the stakeholders of both severities (those of the old one learn it left them, the new
    /// one's that it reached them), when the new severity's <c>NotifyStakeholdersOn</c> names <c>severity</c>.
    /// </summary>
    private void SeverityFanOut(string old, bool raised)
    {
        var sev = _options.FindSeverity(Incident.Severity);
        if (sev is not null && !sev.NotifiesStakeholdersOn(StakeholderMoments.Severity))
        {
            return;
        }

        var (full, redacted) = StakeholderChannels(Incident, sev, _options.FindSeverity(old));
        foreach (var channel in full)
        {
            StakeholderPost(channel, _messages.StakeholderSeverityChanged(Incident, old, raised));
        }

        foreach (var channel in redacted)
        {
            StakeholderPost(channel, IncidentMessages.RedactedStakeholderNotice(Incident, $"A private incident's severity changed from {old} to {Incident.Severity}."));
        }
    }

    private void StakeholderPost(string channel, ChatMessage message) =>
        Set.Outbox.Add(new OutboxMessage(OutboxKeys.Command(_ctx.Platform, _ctx.DeliveryId, $"stakeholder:{channel}"), Incident.Id, Incident.Platform, OutboxOperations.Post, channel)
        {
            Message = message,
        });
}
