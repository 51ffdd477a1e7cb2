using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Storage;
using Dapper;
using Npgsql;

namespace ChatOpsIncident.Postgres.Incidents;

/// <summary>
/// Who the bot invited to an incident's channel. Kept apart from the incident store's writes and reads because it is
/// derived: every <c>invite</c> outbox item a change set queues names its users, and they are recorded in the same
/// transaction, so whatever decision invites someone (declaration, role assignment, a future invite verb) records them.
/// The incident store's reads load them with the rest of the record.
/// </summary>
internal static class IncidentInvitees
{
    public static async Task WriteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid incidentId, ChangeSet changes, CancellationToken ct)
    {
        var invited = changes.Outbox.Where(m => m.Operation == OutboxOperations.Invite).SelectMany(m => m.Users).DistinctBy(u => u.Id).ToList();
        if (invited.Count == 0)
        {
            return;
        }

        const string Sql = """
            INSERT INTO chatops.incident_invitees (incident_id, user_id, user_name) VALUES (@incidentId, @Id, @Name)
            ON CONFLICT (incident_id, user_id) DO NOTHING
            """;
        await conn.ExecuteAsync(new CommandDefinition(Sql, invited.Select(u => new { incidentId, u.Id, u.Name }).ToList(), tx, cancellationToken: ct));
    }
}
