using ChatOpsIncident.Core.Chat;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>Phases 3 and 4, cause and communication: notes, status updates and their fan-out to stakeholders.</summary>
internal sealed partial class IncidentChange
{
    private string? Note(string text)
    {
        Timeline(TimelineKinds.Note, text);
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
        FanOut(update);
        Reply = IncidentMessages.UpdatePosted(StakeholderChannels().Count, Incident);
        return null;
    }

    /// <summary>The severity's stakeholder channels, without the incident channel itself (it has the update already).</summary>
    private List<string> StakeholderChannels() =>
        _options.FindSeverity(Incident.Severity)?.Stakeholders.Where(s => !string.IsNullOrWhiteSpace(s) && s != Incident.ChannelId).Distinct().ToList() ?? [];

    private void FanOut(StatusUpdate update)
    {
        foreach (var channel in StakeholderChannels())
        {
            Set.Outbox.Add(new OutboxMessage(OutboxKeys.Command(_ctx.Platform, _ctx.DeliveryId, $"stakeholder:{channel}"), Incident.Id, Incident.Platform, OutboxOperations.Post, channel)
            {
                Message = _messages.StakeholderUpdate(Incident, update),
            });
        }
    }
}
