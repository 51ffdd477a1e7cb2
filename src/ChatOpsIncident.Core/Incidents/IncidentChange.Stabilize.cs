namespace ChatOpsIncident.Core.Incidents;

/// <summary>Phase 2, stabilization: mitigations and the deploy freeze.</summary>
internal sealed partial class IncidentChange
{
    private string? Mitigate(string text)
    {
        if (!Incident.Status.IsOpen())
        {
            return IncidentMessages.NotOpen(Incident);
        }

        Incident.MitigatedAt ??= _now;
        Timeline(TimelineKinds.Mitigation, text, IncidentMessages.MitigationPost(text, _ctx.Actor));
        Audit("mitigation", null, text);
        return null;
    }

    private string? Freeze(bool on)
    {
        if (on && !Incident.Status.IsOpen())
        {
            return IncidentMessages.FreezeAfterResolve(Incident);
        }

        if (Incident.DeployFreeze == on)
        {
            return IncidentMessages.FreezeUnchanged(on);
        }

        Incident.DeployFreeze = on;
        Timeline(TimelineKinds.Freeze, IncidentMessages.FreezeEntry(on), IncidentMessages.FreezePost(on, _ctx.Actor));
        Audit("deploy_freeze", (!on).ToString(), on.ToString());
        RefreshKickoff();
        return null;
    }
}
