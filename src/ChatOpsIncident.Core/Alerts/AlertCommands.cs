using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Alerts;

/// <summary>A click on an alert card: it acts on an alert group, not (yet) on an incident.</summary>
public abstract record AlertCommand(Guid GroupId) : IncidentCommand
{
    public override bool NeedsIncident => false;
}

/// <summary><c>Declare</c>: declares at once with the rule's severity and type.</summary>
public sealed record DeclareFromAlert(Guid GroupId) : AlertCommand(GroupId);

/// <summary><c>Attach to INC-n</c>: the group's alerts land on that incident's timeline from now on.</summary>
public sealed record AttachAlert(Guid GroupId, Guid IncidentId) : AlertCommand(GroupId);

/// <summary><c>Dismiss</c>: nothing more is asked about the group until it resolves and fires again.</summary>
public sealed record DismissAlert(Guid GroupId) : AlertCommand(GroupId);

/// <summary>Carries out alert-card clicks (the interactions service hands them over).</summary>
public interface IAlertClicks
{
    Task<CommandResult> ClickAsync(CommandContext ctx, AlertCommand command, CancellationToken ct);
}

/// <summary>
/// An alert group's entry on its incident's timeline (<paramref name="What"/>: declared, firing, attached, resolved),
/// decided and saved like every other change: the incident's version moves, an audit row names the source, and the
/// nudge (<paramref name="NudgeCommander"/>) goes out with the entry in one commit, in the channel's order.
/// <paramref name="OccurredAt"/> is when it happened (the alert's start for the declaring entry).
/// </summary>
public sealed record RecordAlert(string What, string Text, DateTimeOffset OccurredAt, bool NudgeCommander = false) : IncidentCommand;
