using ChatOpsIncident.Core.Commands;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>
/// Triage and the exits: accepting or declining an unconfirmed incident, cancelling a mistaken declaration, merging a
/// duplicate, reopening a resolved one, and the impact start. An exit ends the incident without it being one: no
/// reminders, no freeze, and no metric counts it.
/// </summary>
internal sealed partial class IncidentChange
{
    private string? Accept()
    {
        if (Incident.Status != IncidentStatus.Triage)
        {
            return IncidentMessages.NotInTriage(Incident);
        }

        Incident.Status = IncidentStatus.Investigating;
        // Accepting is a human act on the incident: the first one is its acknowledgement.
        Incident.AcknowledgedAt ??= _now;
        Timeline(TimelineKinds.Status, IncidentMessages.AcceptedEntry, IncidentMessages.AcceptedPost(Incident, _ctx.Actor));
        Audit("status", IncidentStatus.Triage.ToWire(), Incident.Status.ToWire());
        RefreshKickoff();
        return null;
    }

    private string? Decline(string reason)
    {
        if (Incident.Status != IncidentStatus.Triage)
        {
            return IncidentMessages.NotInTriage(Incident);
        }

        End(IncidentStatus.Declined, reason);
        Timeline(TimelineKinds.Status, IncidentMessages.DeclinedEntry(reason), IncidentMessages.DeclinedPost(Incident, _ctx.Actor, reason));
        RefreshKickoff();
        return null;
    }

    private string? Cancel(string reason)
    {
        if (!Incident.Status.IsOpen())
        {
            return Incident.Status.IsExit() ? IncidentMessages.Ended(Incident) : IncidentMessages.CancelAfterResolve(Incident);
        }

        End(IncidentStatus.Cancelled, reason);
        Timeline(TimelineKinds.Status, IncidentMessages.CancelledEntry(reason), IncidentMessages.CancelledPost(Incident, _ctx.Actor, reason));
        RefreshKickoff();
        return null;
    }

    private string? MergeInto(Incident target)
    {
        if (target.Id == Incident.Id)
        {
            return IncidentMessages.MergeIntoItself;
        }

        if (!Incident.Status.IsOpen())
        {
            return Incident.Status.IsExit() ? IncidentMessages.Ended(Incident) : IncidentMessages.CancelAfterResolve(Incident);
        }

        if (!target.Status.IsOpen())
        {
            return IncidentMessages.MergeTargetEnded(target);
        }

        End(IncidentStatus.Merged, target.PublicId);
        Incident.MergedInto = target.Number;
        Timeline(TimelineKinds.Merge, IncidentMessages.MergedEntry(target), IncidentMessages.MergedPost(Incident, target, _ctx.Actor));
        RefreshKickoff();
        return null;
    }

    /// <summary>The incident merged into gets a link to the duplicate's timeline, once per duplicate.</summary>
    private string? MergedIn(Incident source, string? link)
    {
        Set.Timeline.Add(TimelineEntry.Now(Incident.Id, TimelineKinds.Merge, IncidentMessages.MergedInEntry(source, link), _now, _ctx.Actor, $"merged-in:{source.Id}"));
        _keyed = true;
        Post(Chat.ChatMessage.Plain(IncidentMessages.MergedInPost(source, _ctx.Actor)), "merged-in");
        Audit("merged_in", null, source.PublicId);
        return null;
    }

    private string? Reopen(string reason)
    {
        if (Incident.Status is not (IncidentStatus.Resolved or IncidentStatus.Closed))
        {
            return Incident.Status.IsExit() ? IncidentMessages.Ended(Incident) : IncidentMessages.NothingToReopen(Incident);
        }

        var old = Incident.Status;
        Audit("status", old.ToWire(), IncidentStatus.Investigating.ToWire());
        Audit("resolved_at", IncidentMessages.Time(Incident.ResolvedAt), null);
        if (Incident.ClosedAt is not null)
        {
            Audit("closed_at", IncidentMessages.Time(Incident.ClosedAt), null);
        }

        Incident.Status = IncidentStatus.Investigating;
        Incident.ResolvedAt = null;
        Incident.ClosedAt = null;
        // The cadence starts again from now: stakeholders were told it was over.
        Incident.NextUpdateDue = _now + (_options.FindSeverity(Incident.Severity)?.UpdateCadence ?? TimeSpan.FromHours(1));
        Timeline(TimelineKinds.Status, IncidentMessages.ReopenedEntry(old, reason), IncidentMessages.ReopenedPost(Incident, _ctx.Actor, reason));
        RefreshKickoff();
        return null;
    }

    private string? SetImpactStarted(SetImpactStarted started)
    {
        var zone = started.InUserZone ? UserTimeZone.Find(_ctx.TimeZone) : null;
        var at = ResolveTime(started, _now, zone);
        if (at > _now)
        {
            return IncidentMessages.ImpactInFuture(at);
        }

        if (at > Incident.DeclaredAt)
        {
            return IncidentMessages.ImpactAfterDeclared(Incident, at);
        }

        var old = Incident.ImpactStartedAt;
        Incident.ImpactStartedAt = at;
        Timeline(TimelineKinds.KeyTime, IncidentMessages.ImpactStartedEntry(old, at), IncidentMessages.ImpactStartedPost(Incident, _ctx.Actor));
        Audit("impact_started_at", old is null ? null : IncidentMessages.Time(old), IncidentMessages.Time(at));
        if (started.InUserZone)
        {
            // The person wrote a wall-clock time: say in which zone it was read, so a wrong guess is seen at once.
            Reply = IncidentMessages.ImpactStartedRead(Incident, at, zone);
        }

        return null;
    }

    /// <summary>
    /// A time without a date is the latest one at or before now in the given zone. Written without an offset and with
    /// the person's <paramref name="zone"/> known, it is read in that zone, daylight saving included.
    /// </summary>
    internal static DateTimeOffset ResolveTime(SetImpactStarted started, DateTimeOffset now, TimeZoneInfo? zone = null)
    {
        if (started.InUserZone && zone is not null)
        {
            var today = started.Date ?? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
            var inZone = UserTimeZone.At(today.ToDateTime(started.Time), zone);
            return (started.Date is null && inZone > now ? UserTimeZone.At(today.AddDays(-1).ToDateTime(started.Time), zone) : inZone).ToUniversalTime();
        }

        var localNow = now.ToOffset(started.Offset);
        var date = started.Date ?? DateOnly.FromDateTime(localNow.DateTime);
        var at = new DateTimeOffset(date.ToDateTime(started.Time), started.Offset);
        return (started.Date is null && at > now ? at.AddDays(-1) : at).ToUniversalTime();
    }

    /// <summary>What every exit does: the status, the reason on the record, reminders and the freeze over.</summary>
    private void End(IncidentStatus exit, string reason)
    {
        Audit("status", Incident.Status.ToWire(), exit.ToWire());
        Audit("exit_reason", null, reason);
        Incident.Status = exit;
        Incident.NextUpdateDue = null;
        if (Incident.DeployFreeze)
        {
            Incident.DeployFreeze = false;
            Audit("deploy_freeze", "true", "false");
        }
    }
}
