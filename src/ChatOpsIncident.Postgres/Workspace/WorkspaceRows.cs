using ChatOpsIncident.Core.Chat;

namespace ChatOpsIncident.Postgres.Workspace;

// Channel columns are aliased to these names; message columns are snake_case and mapped by RowMaps.
internal sealed class ChannelRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public bool IsPrivate { get; set; }
    public string? Topic { get; set; }
    public Guid? IncidentId { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Only in the visible-channels query, which joins the incident.</summary>
    public int? IncidentNumber { get; set; }
    public bool Drill { get; set; }

    public WorkspaceChannel ToDomain() => new(Id, Name, Kind, IsPrivate, Topic, IncidentId, Utc.From(CreatedAt));
}

internal sealed class MessageRow
{
    public string Id { get; set; } = "";
    public long Seq { get; set; }
    public string ChannelId { get; set; } = "";
    public string? ThreadId { get; set; }
    public string UserId { get; set; } = "";
    public string Text { get; set; } = "";
    public string? Body { get; set; }
    public string? Form { get; set; }
    public string? EphemeralFor { get; set; }
    public bool Pinned { get; set; }
    public DateTime PostedAt { get; set; }
    public DateTime? EditedAt { get; set; }
    public long Revision { get; set; }

    public WorkspaceMessage ToDomain(ILookup<string, WorkspaceReaction> reactions) =>
        new(Id, Seq, ChannelId, ThreadId, UserId, Text, Body, Form, EphemeralFor, Pinned, Utc.From(PostedAt), Utc.From(EditedAt), Revision)
        {
            Reactions = reactions[Id].ToList(),
        };
}
