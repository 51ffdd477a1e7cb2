using ChatOpsIncident.Core.Privacy;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>Which incident a chat command acts on: the one it names (<c>INC-42</c>), else the one of its channel.</summary>
public sealed partial class IncidentService
{
    /// <summary>
    /// The incident of a command, or the refusal to give. By reference: an incident that does not exist, lives on
    /// another chat platform (its people and channel are ids of that platform) or is private and not the asker's is
    /// "INC-n was not found" in the very same words, so counting up never tells a private incident from a gap. From
    /// inside an incident channel the asker counts as its member (<see cref="IncidentVisibility"/>), whichever incident
    /// they name. Without a reference: the incident of the channel the command was run in.
    /// </summary>
    public async Task<(Incident? Incident, string? Refusal)> TargetAsync(CommandContext ctx, CancellationToken ct)
    {
        if (ctx.Reference is { } number)
        {
            var record = await store.GetByNumberAsync(number, ct);
            return record is not null
                && string.Equals(record.Incident.Platform, ctx.Platform, StringComparison.OrdinalIgnoreCase)
                && IncidentVisibility.CanSee(record, ctx.Asker)
                ? (record.Incident, null)
                : (null, IncidentMessages.NotFound(number));
        }

        var incident = ctx.ChannelId is null ? null : await store.FindByChannelAsync(ctx.Platform, ctx.ChannelId, ct);
        return incident is null ? (null, IncidentMessages.NotInIncidentChannel) : (incident, null);
    }
}
