using ChatOpsIncident.Core.Commands;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>Editing what the incident is called and how it is described, each change on the timeline and in the audit.</summary>
internal sealed partial class IncidentChange
{
    private string? EditDetails(EditDetails edit)
    {
        if (Incident.Status == IncidentStatus.Closed)
        {
            return IncidentMessages.IsClosed(Incident);
        }

        var title = edit.Title?.Trim();
        var description = edit.Description?.Trim();
        var titleChanged = !string.IsNullOrEmpty(title) && title != Incident.Title;
        var descriptionChanged = description is not null && description != (Incident.Description ?? "");
        if (!titleChanged && !descriptionChanged)
        {
            return IncidentMessages.DetailsUnchanged(Incident);
        }

        if (titleChanged)
        {
            var old = Incident.Title;
            Incident.Title = title!;
            Timeline(TimelineKinds.Details, IncidentMessages.TitleChanged(old, Incident.Title), IncidentMessages.TitleChangedPost(Incident.Title, _ctx.Actor));
            Audit("title", old, Incident.Title);
        }

        if (descriptionChanged)
        {
            var old = Incident.Description;
            Incident.Description = description!.Length == 0 ? null : description;
            Timeline(TimelineKinds.Details, IncidentMessages.DescriptionChanged);
            Audit("description", old, Incident.Description);
        }

        RefreshKickoff();
        return null;
    }
}
