using ChatOpsIncident.Core.Chat;
using Dapper;
using Npgsql;

namespace ChatOpsIncident.Postgres.Conversations;

/// <summary>
/// The chat adapters' conversation state (migration 0020_teams_conversations.sql; Teams is the platform that needs it).
/// Columns are aliased to the record's names, so the records need no map of their own.
/// </summary>
internal sealed class PostgresConversationStore(NpgsqlDataSource dataSource) : IConversationStore
{
    public async Task UpsertConversationAsync(ConversationReference reference, CancellationToken ct)
    {
        // Later activities may know less (no team in a chat message): never overwrite a known value with null.
        const string Sql = """
            INSERT INTO chatops.teams_conversations (channel_id, service_url, tenant_id, team_id, aad_group_id, kind, name)
            VALUES (@ChannelId, @ServiceUrl, @TenantId, @TeamId, @AadGroupId, @Kind, @Name)
            ON CONFLICT (channel_id) DO UPDATE SET
                service_url = EXCLUDED.service_url,
                tenant_id = COALESCE(EXCLUDED.tenant_id, chatops.teams_conversations.tenant_id),
                team_id = COALESCE(EXCLUDED.team_id, chatops.teams_conversations.team_id),
                aad_group_id = COALESCE(EXCLUDED.aad_group_id, chatops.teams_conversations.aad_group_id),
                kind = COALESCE(EXCLUDED.kind, chatops.teams_conversations.kind),
                name = COALESCE(EXCLUDED.name, chatops.teams_conversations.name),
                updated_at = now()
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, reference, cancellationToken: ct));
    }

    public async Task<ConversationReference?> FindConversationAsync(string channelId, CancellationToken ct)
    {
        const string Sql = """
            SELECT channel_id AS ChannelId, service_url AS ServiceUrl, tenant_id AS TenantId, team_id AS TeamId,
                aad_group_id AS AadGroupId, kind AS Kind, name AS Name
            FROM chatops.teams_conversations WHERE channel_id = @channelId
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<ConversationReference>(new CommandDefinition(Sql, new { channelId }, cancellationToken: ct));
    }

    public async Task UpsertInstallationAsync(TeamInstallation installation, CancellationToken ct)
    {
        const string Sql = """
            INSERT INTO chatops.teams_installations (team_id, aad_group_id, name, tenant_id, service_url)
            VALUES (@TeamId, @AadGroupId, @Name, @TenantId, @ServiceUrl)
            ON CONFLICT (team_id) DO UPDATE SET
                aad_group_id = COALESCE(EXCLUDED.aad_group_id, chatops.teams_installations.aad_group_id),
                name = COALESCE(EXCLUDED.name, chatops.teams_installations.name),
                tenant_id = COALESCE(EXCLUDED.tenant_id, chatops.teams_installations.tenant_id),
                service_url = EXCLUDED.service_url,
                removed_at = NULL
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, installation, cancellationToken: ct));
    }

    public async Task MarkInstallationRemovedAsync(string teamId, CancellationToken ct)
    {
        const string Sql = "UPDATE chatops.teams_installations SET removed_at = now() WHERE team_id = @teamId AND removed_at IS NULL";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, new { teamId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<TeamInstallation>> InstallationsAsync(CancellationToken ct)
    {
        const string Sql = """
            SELECT team_id AS TeamId, aad_group_id AS AadGroupId, name AS Name, tenant_id AS TenantId, service_url AS ServiceUrl FROM chatops.teams_installations
            WHERE removed_at IS NULL ORDER BY installed_at DESC
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<TeamInstallation>(new CommandDefinition(Sql, cancellationToken: ct))).ToList();
    }

    public async Task<IncidentChannel> ReserveChannelAsync(Guid incidentId, string aadGroupId, string displayName, CancellationToken ct)
    {
        const string Sql = """
            INSERT INTO chatops.teams_incident_channels (incident_id, aad_group_id, display_name)
            VALUES (@incidentId, @aadGroupId, @displayName)
            ON CONFLICT (incident_id) DO NOTHING;
            SELECT incident_id AS IncidentId, aad_group_id AS AadGroupId, display_name AS DisplayName, channel_id AS ChannelId, web_url AS WebUrl FROM chatops.teams_incident_channels WHERE incident_id = @incidentId;
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<IncidentChannel>(new CommandDefinition(Sql, new { incidentId, aadGroupId, displayName }, cancellationToken: ct));
    }

    public async Task RenameReservationAsync(Guid incidentId, string displayName, CancellationToken ct)
    {
        const string Sql = "UPDATE chatops.teams_incident_channels SET display_name = @displayName WHERE incident_id = @incidentId AND channel_id IS NULL";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, new { incidentId, displayName }, cancellationToken: ct));
    }

    public async Task RecordChannelAsync(Guid incidentId, string channelId, string displayName, string? webUrl, CancellationToken ct)
    {
        const string Sql = """
            UPDATE chatops.teams_incident_channels SET channel_id = @channelId, display_name = @displayName, web_url = @webUrl
            WHERE incident_id = @incidentId
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, new { incidentId, channelId, displayName, webUrl }, cancellationToken: ct));
    }

    public async Task RecordMessageAsync(SentMessage message, CancellationToken ct)
    {
        const string Sql = """
            INSERT INTO chatops.teams_messages (channel_id, message_id, conversation_id, text, posted_at, incident_id)
            VALUES (@ChannelId, @MessageId, @ConversationId, @Text, @PostedAt, @IncidentId)
            ON CONFLICT (channel_id, message_id) DO UPDATE
            SET text = EXCLUDED.text, incident_id = COALESCE(chatops.teams_messages.incident_id, EXCLUDED.incident_id)
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Sql, new { message.ChannelId, message.MessageId, message.ConversationId, message.Text, PostedAt = Utc.To(message.PostedAt), message.IncidentId }, cancellationToken: ct));
    }

    public async Task<SentMessage?> FindMessageAsync(string channelId, string messageId, CancellationToken ct)
    {
        const string Sql = """
            SELECT channel_id, message_id, conversation_id, text, posted_at, incident_id FROM chatops.teams_messages
            WHERE channel_id = @channelId AND message_id = @messageId
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<(string ChannelId, string MessageId, string ConversationId, string Text, DateTime PostedAt, Guid? IncidentId)?>(
            new CommandDefinition(Sql, new { channelId, messageId }, cancellationToken: ct));
        return row is { } r ? new SentMessage(r.ChannelId, r.MessageId, r.ConversationId, r.Text, Utc.From(r.PostedAt), r.IncidentId) : null;
    }
}
