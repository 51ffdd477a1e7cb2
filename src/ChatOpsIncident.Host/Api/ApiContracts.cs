namespace ChatOpsIncident.Host.Api;

// The write API's request bodies: records, so the OpenAPI document shows each field with its type. Every field is
// optional in the JSON; the endpoints answer 422 naming what is missing or wrong.

/// <summary><c>POST /api/incidents</c>. <c>commander</c> is a chat user id; <c>platform</c> chooses when several are configured.</summary>
internal sealed record CreateIncidentRequest(string? Title, string? Severity, string? Type, bool? Private, string? Description, string? Commander, string? Platform);

/// <summary><c>PATCH /api/incidents/{id}</c>: only the fields sent change.</summary>
internal sealed record EditIncidentRequest(string? Title, string? Severity, string? Type, string? Description);

/// <summary><c>POST /api/incidents/{id}/updates</c>: a stakeholder update, optionally moving the status.</summary>
internal sealed record StatusUpdateRequest(string? Status, string? Text);

/// <summary><c>POST /api/incidents/{id}/notes</c>: a timeline note, optionally when it happened.</summary>
internal sealed record NoteRequest(string? Text, DateTimeOffset? OccurredAt);

/// <summary><c>POST /api/incidents/{id}/roles</c>: gives a role (commander, comms, ops, scribe or an alias) to a chat user id.</summary>
internal sealed record RoleRequest(string? Role, string? User);

/// <summary><c>POST /api/incidents/{id}/resolve</c>: <c>force</c> with a <c>reason</c> overrides open recovery items (commander only).</summary>
internal sealed record ResolveRequest(string? Summary, bool? Force, string? Reason);

/// <summary><c>POST /api/incidents/{id}/actions</c>: a follow-up action; <c>priority</c> is normal, high or critical.</summary>
internal sealed record ActionRequest(string? Text, string? Owner, DateOnly? Due, string? Priority);

/// <summary><c>PATCH /api/incidents/{id}/actions/{number}</c>: only the fields sent change; <c>done</c> completes or reopens.</summary>
internal sealed record ActionEditRequest(string? Owner, DateOnly? Due, string? Priority, bool? Done);

/// <summary>What a write answers: the incident as it is after the change.</summary>
internal sealed record IncidentWriteResult(IncidentSummary Incident, string? Message);
