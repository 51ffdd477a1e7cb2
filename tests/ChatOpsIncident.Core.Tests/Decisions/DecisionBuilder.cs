using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Review;
using Microsoft.Extensions.Time.Testing;

namespace ChatOpsIncident.Core.Tests.Decisions;

/// <summary>
/// Builds the unit under test for the pure decisions: an incident record as the store would load it, a context and
/// a clock; no database. Each test changes only what it is about.
/// </summary>
internal sealed class DecisionBuilder
{
    public static readonly UserRef Commander = new("U0IC", "ic");
    public static readonly UserRef Responder = new("U0RESP", "resp");
    public static readonly DateTimeOffset DeclaredAt = new(2025, 3, 4, 10, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(DeclaredAt.AddMinutes(20));

    public IncidentOptions Options { get; } = new()
    {
        Severities = IncidentDefaults.Severities(),
        Types = IncidentDefaults.Types(),
        Roles = IncidentDefaults.Roles(),
        TriageChecklist = IncidentDefaults.TriageChecklist(),
        RecoveryChecklist = IncidentDefaults.RecoveryChecklist(),
        DefaultSeverity = "SEV3",
    };

    public Incident Incident { get; } = new()
    {
        Id = Guid.Parse("0195a1b2-0000-7000-8000-000000000042"),
        Number = 42,
        Title = "Checkout 5xx",
        Severity = "SEV3",
        Type = "availability",
        Status = IncidentStatus.Investigating,
        Platform = "slack",
        ChannelId = "CINC",
        ChannelName = "inc-42-checkout-5xx",
        DeclaredBy = Commander,
        DeclaredAt = DeclaredAt,
        AcknowledgedAt = DeclaredAt,
        NextUpdateDue = DeclaredAt.AddHours(1),
        Version = 3,
    };

    public List<RoleAssignment> Roles { get; } = [];
    public List<TimelineEntry> Timeline { get; } = [];
    public List<StatusUpdate> Updates { get; } = [];
    public List<ActionItem> Actions { get; } = [];
    public List<ChecklistItemState> Checklists { get; } = [];

    public UserRef Actor { get; set; } = Commander;

    public string DeliveryId { get; set; } = "D123";

    public IReviewLinks Links { get; set; } = new FixedLinks(null);

    public DateTimeOffset Now => Time.GetUtcNow();

    public DecisionBuilder WithCommander(UserRef? holder = null)
    {
        Roles.Add(new RoleAssignment(Incident.Id, RoleKeys.Commander, holder ?? Commander, DeclaredAt, Commander));
        return this;
    }

    public DecisionBuilder WithStatus(IncidentStatus status)
    {
        Incident.Status = status;
        return this;
    }

    public DecisionBuilder WithRecoveryAnswered()
    {
        Checklists.AddRange(Options.RecoveryChecklist.Select((text, index) =>
            new ChecklistItemState(Incident.Id, IncidentMessages.RecoveryChecklist, index, text, Commander, DeclaredAt.AddMinutes(10))));
        return this;
    }

    public DecisionBuilder WithAction(int seq, ActionPriority priority = ActionPriority.Normal, UserRef? owner = null, DateOnly? due = null, bool done = false)
    {
        Actions.Add(new ActionItem
        {
            IncidentId = Incident.Id,
            Seq = seq,
            Text = $"Follow-up {seq}",
            Owner = owner,
            DueDate = due,
            Priority = priority,
            CreatedAt = DeclaredAt,
            CreatedBy = Commander,
            DoneAt = done ? DeclaredAt.AddMinutes(5) : null,
            DoneBy = done ? Commander : null,
        });
        return this;
    }

    /// <summary>The surface the command came from (the audit records it); chat unless a test says otherwise.</summary>
    public string Surface { get; set; } = Surfaces.Slack;

    /// <summary>The person's time zone as the platform told it (null: not told).</summary>
    public string? TimeZone { get; set; }

    public CommandContext Context => new("slack", Surface, Actor, Incident.ChannelId, DeliveryId) { TimeZone = TimeZone };

    public IncidentRecord Record => new(Incident, Roles, Timeline, Updates, Actions, [], Checklists);

    public IncidentChange Decide(IncidentCommand command) =>
        IncidentChange.Decide(Record, command, Context, Now, Options, Links);

    /// <summary>Decides as asked from a platform whose commands start with <paramref name="prefix"/> (Teams' <c>@Incident</c>).</summary>
    public IncidentChange Decide(IncidentCommand command, string prefix) =>
        IncidentChange.Decide(Record, command, Context, Now, Options, Links, prefix);

    public sealed class FixedLinks(string? postmortem) : IReviewLinks
    {
        public string? Postmortem(Incident incident) => postmortem;

        public string? Detail(Incident incident) => null;
    }
}
