using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Storage;

namespace ChatOpsIncident.Core.Tests.Review;

/// <summary>
/// The store contract in memory (version check, dedupe keys, role relief, one transaction per save), so the core's
/// decisions can be tested without PostgreSQL. The PostgreSQL store is tested against a real server elsewhere.
/// </summary>
internal sealed class InMemoryIncidentStore : IIncidentStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Incident> _incidents = [];
    private readonly Dictionary<string, Guid> _declareKeys = [];
    private readonly List<RoleAssignment> _roles = [];
    private readonly List<TimelineEntry> _timeline = [];
    private readonly List<StatusUpdate> _updates = [];
    private readonly List<ActionItem> _actions = [];
    private readonly List<AuditRecord> _audit = [];
    private readonly List<ChecklistItemState> _checklists = [];
    private long _nextId;

    public List<Chat.OutboxMessage> Outbox { get; } = [];

    public Task<(Incident Incident, bool Created)> CreateAsync(Incident incident, ChangeSet changes, string declareKey, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_declareKeys.TryGetValue(declareKey, out var existing))
            {
                return Task.FromResult((Copy(_incidents[existing]), false));
            }

            incident.Number = _incidents.Count + 1;
            incident.Version = 1;
            _incidents[incident.Id] = Copy(incident);
            _declareKeys[declareKey] = incident.Id;
            Write(incident.Id, changes);
            return Task.FromResult((incident, true));
        }
    }

    public Task<SaveOutcome> SaveAsync(Incident incident, ChangeSet changes, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_incidents[incident.Id].Version != incident.Version)
            {
                return Task.FromResult(SaveOutcome.Conflict);
            }

            if (changes.Timeline.Any(e => e.DedupeKey is { } key && key.StartsWith("cmd:", StringComparison.Ordinal)
                    && _timeline.Any(t => t.IncidentId == incident.Id && t.DedupeKey == key)))
            {
                return Task.FromResult(SaveOutcome.AlreadyApplied);
            }

            incident.Version++;
            _incidents[incident.Id] = Copy(incident);
            Write(incident.Id, changes);
            return Task.FromResult(SaveOutcome.Saved);
        }
    }

    private void Write(Guid id, ChangeSet changes)
    {
        foreach (var e in changes.Timeline)
        {
            if (e.DedupeKey is null || !_timeline.Any(t => t.IncidentId == id && t.DedupeKey == e.DedupeKey))
            {
                _timeline.Add(e with { Id = ++_nextId, IncidentId = id });
            }
        }

        foreach (var role in changes.RolesRelieved)
        {
            var at = changes.RolesAssigned.FirstOrDefault(r => r.Role == role)?.AssignedAt ?? changes.Timeline.FirstOrDefault()?.OccurredAt;
            for (var k = 0; k < _roles.Count; k++)
            {
                if (_roles[k].IncidentId == id && _roles[k].Role == role && _roles[k].RelievedAt is null)
                {
                    _roles[k] = _roles[k] with { RelievedAt = at };
                }
            }
        }

        _roles.AddRange(changes.RolesAssigned.Select(r => r with { IncidentId = id }));
        _updates.AddRange(changes.Updates.Select(u => u with { Id = ++_nextId, IncidentId = id }));
        _actions.AddRange(changes.ActionsAdded.Select(a => a with { Id = ++_nextId, IncidentId = id }));
        foreach (var done in changes.ActionsCompleted)
        {
            var k = _actions.FindIndex(a => a.IncidentId == id && a.Seq == done.Seq && a.DoneAt is null);
            if (k >= 0)
            {
                _actions[k] = _actions[k] with { DoneAt = done.DoneAt, DoneBy = done.DoneBy };
            }
        }

        foreach (var c in changes.Checklist)
        {
            _checklists.RemoveAll(x => x.IncidentId == id && x.Checklist == c.Checklist && x.Index == c.Index);
            _checklists.Add(c with { IncidentId = id });
        }

        _audit.AddRange(changes.Audit.Select(a => a with { Id = ++_nextId, IncidentId = id }));
        Outbox.AddRange(changes.Outbox);
    }

    public Task<IncidentRecord?> GetAsync(Guid id, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_incidents.TryGetValue(id, out var i))
            {
                return Task.FromResult<IncidentRecord?>(null);
            }

            return Task.FromResult<IncidentRecord?>(new IncidentRecord(
                Copy(i),
                _roles.Where(r => r.IncidentId == id).OrderBy(r => r.AssignedAt).ToList(),
                _timeline.Where(e => e.IncidentId == id).OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).ToList(),
                _updates.Where(u => u.IncidentId == id).OrderBy(u => u.PostedAt).ToList(),
                _actions.Where(a => a.IncidentId == id).OrderBy(a => a.Seq).ToList(),
                _audit.Where(a => a.IncidentId == id).OrderBy(a => a.Id).ToList(),
                _checklists.Where(c => c.IncidentId == id).ToList()));
        }
    }

    public async Task<IncidentRecord?> GetByNumberAsync(int number, CancellationToken ct)
    {
        Guid? id;
        lock (_gate)
        {
            id = _incidents.Values.FirstOrDefault(i => i.Number == number)?.Id;
        }

        return id is null ? null : await GetAsync(id.Value, ct);
    }

    public Task<Incident?> FindByChannelAsync(string platform, string channelId, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult(_incidents.Values.Where(i => i.Platform == platform && i.ChannelId == channelId).Select(Copy).FirstOrDefault());
        }
    }

    public Task<IReadOnlyList<Incident>> ListAsync(IncidentQuery query, CancellationToken ct)
    {
        lock (_gate)
        {
            IReadOnlyList<Incident> list = _incidents.Values
                .Where(i => query.Open is null || i.Status.IsOpen() == query.Open)
                .Where(i => query.Status is null || i.Status == query.Status)
                .OrderByDescending(i => i.DeclaredAt).Take(query.Limit).Select(Copy).ToList();
            return Task.FromResult(list);
        }
    }

    public Task<bool> AppendTimelineAsync(TimelineEntry entry, CancellationToken ct)
    {
        lock (_gate)
        {
            if (entry.DedupeKey is not null && _timeline.Any(t => t.IncidentId == entry.IncidentId && t.DedupeKey == entry.DedupeKey))
            {
                return Task.FromResult(false);
            }

            _timeline.Add(entry with { Id = ++_nextId });
            return Task.FromResult(true);
        }
    }

    public Task<int> MarkCapturedRemovedAsync(string platform, string channelId, string messageId, DateTimeOffset at, CancellationToken ct) =>
        throw new NotSupportedException("not used by the review tests");

    public Task<int> EditCapturedAsync(string platform, string channelId, string messageId, string text, DateTimeOffset at, CancellationToken ct) =>
        throw new NotSupportedException("not used by the review tests");

    private static Incident Copy(Incident i) => new()
    {
        Id = i.Id, Number = i.Number, Title = i.Title, Severity = i.Severity, Type = i.Type, Status = i.Status,
        IsPrivate = i.IsPrivate, Description = i.Description, Summary = i.Summary, Platform = i.Platform,
        ChannelId = i.ChannelId, ChannelName = i.ChannelName, ChannelUrl = i.ChannelUrl, OriginChannelId = i.OriginChannelId,
        DeclaredBy = i.DeclaredBy, DeclaredAt = i.DeclaredAt, AcknowledgedAt = i.AcknowledgedAt, MitigatedAt = i.MitigatedAt,
        ResolvedAt = i.ResolvedAt, ClosedAt = i.ClosedAt, LastUpdateAt = i.LastUpdateAt, NextUpdateDue = i.NextUpdateDue,
        DeployFreeze = i.DeployFreeze, Version = i.Version,
    };
}
