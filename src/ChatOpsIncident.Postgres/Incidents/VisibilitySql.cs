namespace ChatOpsIncident.Postgres.Incidents;

/// <summary>
/// The people half of <see cref="Core.Privacy.IncidentVisibility.CanSee"/> in SQL, shared by every query that applies
/// the rule (the incident list, the workspace's channel list) so they cannot drift apart: the viewer (lower-cased ids in
/// <c>@ids</c>) is the declarer of incident <c>i</c>, holds or held one of its roles, owns one of its actions or was
/// invited to its channel. Ids compare case-insensitively, as the Core rule's set does.
/// </summary>
internal static class VisibilitySql
{
    public const string PersonOf = """
        (lower(i.declared_by_id) = ANY(@ids)
                OR EXISTS (SELECT 1 FROM chatops.roles r WHERE r.incident_id = i.id AND lower(r.holder_id) = ANY(@ids))
                OR EXISTS (SELECT 1 FROM chatops.actions a WHERE a.incident_id = i.id AND lower(a.owner_id) = ANY(@ids))
                OR EXISTS (SELECT 1 FROM chatops.incident_invitees v WHERE v.incident_id = i.id AND lower(v.user_id) = ANY(@ids)))
        """;
}
