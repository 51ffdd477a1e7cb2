using ChatOpsIncident.Core.Cadence;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Storage;

namespace ChatOpsIncident.Core.Tests.Cadence;

/// <summary>
/// The incident store and the cadence store in memory, with the PostgreSQL store's semantics: version check, "cmd:"
/// dedupe keys, unique outbox keys, and the cadence store's due predicates written out as the SQL writes them.
/// </summary>
internal sealed class InMemoryStores : IIncidentStore, ICadenceStore
{
    private readonly object _gate = new();
    private readonly Dictionary<Guid, Incident> _incidents = [];
    private readonly Dictionary<Guid, CadenceState> _state = [];
    private readonly Dictionary<string, Guid> _declareKeys = [];
    private readonly List<RoleAssignment> _roles = [];
    private readonly List<TimelineEntry> _timeline = [];
    private readonly List<StatusUpdate> _updates = [];
    private readonly List<ActionItem> _actions = [];
    private readonly Dictionary<long, DateTimeOffset> _actionReminded = [];
    private readonly List<AuditRecord> _audit = [];
    private readonly List<ChecklistItemState> _checklists = [];
    private int _number;

    public List<OutboxMessage> Outbox { get; } = [];

    public CadenceState StateOf(Guid id) { lock (_gate) { return _state.GetValueOrDefault(id) ?? new CadenceState(); } }

    public IEnumerable<OutboxMessage> OutboxWithPrefix(string prefix) { lock (_gate) { return Outbox.Where(m => m.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList(); } }

    public Task<(Incident Incident, bool Created)> CreateAsync(Incident incident, ChangeSet changes, string declareKey, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_declareKeys.TryGetValue(declareKey, out var existing))
            {
                return Task.FromResult((Clone(_incidents[existing]), false));
            }

            incident.Number = ++_number;
            incident.Version = 1;
            _declareKeys[declareKey] = incident.Id;
            _incidents[incident.Id] = Clone(incident);
            Apply(incident.Id, changes);
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

            if (changes.Timeline.Any(e => e.DedupeKey?.StartsWith("cmd:", StringComparison.Ordinal) == true
                && _timeline.Any(t => t.IncidentId == incident.Id && t.DedupeKey == e.DedupeKey)))
            {
                return Task.FromResult(SaveOutcome.AlreadyApplied);
            }

            incident.Version++;
            _incidents[incident.Id] = Clone(incident);
            Apply(incident.Id, changes);
            return Task.FromResult(SaveOutcome.Saved);
        }
    }

    private void Apply(Guid id, ChangeSet c)
    {
        foreach (var e in c.Timeline)
        {
            AppendTimeline(e with { IncidentId = id });
        }

        foreach (var role in c.RolesRelieved)
        {
            var i = _roles.FindIndex(r => r.IncidentId == id && r.Role == role && r.RelievedAt is null);
            if (i >= 0)
            {
                _roles[i] = _roles[i] with { RelievedAt = c.RolesAssigned.FirstOrDefault()?.AssignedAt };
            }
        }

        _roles.AddRange(c.RolesAssigned.Select(r => r with { IncidentId = id }));
        _updates.AddRange(c.Updates.Select((u, n) => u with { Id = _updates.Count + n + 1, IncidentId = id }));
        _actions.AddRange(c.ActionsAdded.Select((a, n) => a with { Id = _actions.Count + n + 1, IncidentId = id }));
        foreach (var done in c.ActionsCompleted)
        {
            var i = _actions.FindIndex(a => a.IncidentId == id && a.Seq == done.Seq);
            _actions[i] = _actions[i] with { DoneAt = done.DoneAt, DoneBy = done.DoneBy };
        }

        _audit.AddRange(c.Audit);
        foreach (var item in c.Checklist)
        {
            _checklists.RemoveAll(x => x.IncidentId == id && x.Checklist == item.Checklist && x.Index == item.Index);
            _checklists.Add(item);
        }

        Enqueue(c.Outbox);
    }

    private void Enqueue(IEnumerable<OutboxMessage> messages)
    {
        foreach (var m in messages)
        {
            if (Outbox.All(o => o.Key != m.Key))
            {
                Outbox.Add(m);
            }
        }
    }

    private bool AppendTimeline(TimelineEntry e)
    {
        if (e.DedupeKey is not null && _timeline.Any(t => t.IncidentId == e.IncidentId && t.DedupeKey == e.DedupeKey))
        {
            return false;
        }

        _timeline.Add(e with { Id = _timeline.Count + 1 });
        return true;
    }

    public Task<IncidentRecord?> GetAsync(Guid id, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult(_incidents.TryGetValue(id, out var i) ? Record(i) : null);
        }
    }

    private IncidentRecord Record(Incident i) => new(
        Clone(i),
        _roles.Where(r => r.IncidentId == i.Id).ToList(),
        _timeline.Where(t => t.IncidentId == i.Id).ToList(),
        _updates.Where(u => u.IncidentId == i.Id).ToList(),
        _actions.Where(a => a.IncidentId == i.Id).ToList(),
        _audit.Where(a => a.IncidentId == i.Id).ToList(),
        _checklists.Where(c => c.IncidentId == i.Id).ToList());

    public Task<IncidentRecord?> GetByNumberAsync(int number, CancellationToken ct)
    {
        lock (_gate)
        {
            var i = _incidents.Values.FirstOrDefault(x => x.Number == number);
            return Task.FromResult(i is null ? null : Record(i));
        }
    }

    public Task<Incident?> FindByChannelAsync(string platform, string channelId, CancellationToken ct)
    {
        lock (_gate)
        {
            var i = _incidents.Values.FirstOrDefault(x => x.Platform == platform && x.ChannelId == channelId);
            return Task.FromResult(i is null ? null : Clone(i));
        }
    }

    public Task<IReadOnlyList<Incident>> ListAsync(IncidentQuery query, CancellationToken ct)
    {
        lock (_gate)
        {
            IReadOnlyList<Incident> list = _incidents.Values.Where(i => query.Open is null || i.Status.IsOpen() == query.Open).Select(Clone).ToList();
            return Task.FromResult(list);
        }
    }

    public Task<bool> AppendTimelineAsync(TimelineEntry entry, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult(AppendTimeline(entry));
        }
    }

    public Task<int> MarkCapturedRemovedAsync(string platform, string channelId, string messageId, DateTimeOffset at, CancellationToken ct) => Task.FromResult(0);

    public Task<int> EditCapturedAsync(string platform, string channelId, string messageId, string text, DateTimeOffset at, CancellationToken ct) => Task.FromResult(0);

    private static TimeSpan GraceOf(CadenceQuery q, string severity) => q.Graces.FirstOrDefault(g => g.Severity == severity)?.Grace ?? q.DefaultGrace;

    // The SQL predicates of PostgresCadenceStore, one for one.
    private static bool Due(Incident i, CadenceState s, CadenceQuery q) =>
        i.Status.IsOpen() && i.ChannelId is not null && (
            (i.NextUpdateDue <= q.Now && s.RemindedDue != i.NextUpdateDue)
            || (i.NextUpdateDue + GraceOf(q, i.Severity) <= q.Now && s.EscalatedDue != i.NextUpdateDue)
            || (s.NudgedAt is null && i.DeclaredAt + q.NudgeAfter <= q.Now)
            || (i.DeclaredAt + (q.StaleAfter * (s.StaleReminders + 1)) <= q.Now));

    public Task<CadenceBatch> ProcessDueAsync(CadenceQuery query, int max, Func<CadenceCandidate, CadenceEffects> decide, CancellationToken ct)
    {
        lock (_gate)
        {
            var due = _incidents.Values.Where(i => Due(i, StateOf(i.Id), query)).OrderBy(i => i.NextUpdateDue).Take(max).ToList();
            var applied = new List<CadenceEffects>();
            foreach (var i in due)
            {
                var state = StateOf(i.Id);
                var effects = decide(new CadenceCandidate(Clone(i), _roles.Where(r => r.IncidentId == i.Id && r.RelievedAt is null).ToList(), state));
                if (effects.State == state)
                {
                    continue;
                }

                _state[i.Id] = effects.State;
                foreach (var e in effects.Timeline)
                {
                    AppendTimeline(e);
                }

                Enqueue(effects.Outbox);
                applied.Add(effects);
            }

            return Task.FromResult(new CadenceBatch(due.Count, applied));
        }
    }

    public Task<IReadOnlyList<DateTimeOffset>> DueTimesAsync(CadenceQuery query, DateTimeOffset after, DateTimeOffset until, int max, CancellationToken ct)
    {
        lock (_gate)
        {
            var times = new List<DateTimeOffset>();
            foreach (var i in _incidents.Values.Where(i => i.Status.IsOpen()))
            {
                var s = StateOf(i.Id);
                if (i.NextUpdateDue is { } d)
                {
                    if (s.RemindedDue != d)
                    {
                        times.Add(d);
                    }

                    if (s.EscalatedDue != d)
                    {
                        times.Add(d + GraceOf(query, i.Severity));
                    }
                }

                if (s.NudgedAt is null)
                {
                    times.Add(i.DeclaredAt + query.NudgeAfter);
                }
            }

            IReadOnlyList<DateTimeOffset> result = times.Where(t => t > after && t <= until).Order().Take(max).ToList();
            return Task.FromResult(result);
        }
    }

    public Task<int> ProcessOverdueActionsAsync(DateTimeOffset now, DateOnly today, TimeSpan interval, int max, Func<OverdueAction, OutboxMessage?> decide, CancellationToken ct)
    {
        lock (_gate)
        {
            var due = _actions.Where(a => !a.Done && a.DueDate < today
                    && (!_actionReminded.TryGetValue(a.Id, out var last) || last <= now - interval)
                    && _incidents[a.IncidentId].ChannelId is not null)
                .Take(max).ToList();
            foreach (var a in due)
            {
                var incident = _incidents[a.IncidentId];
                var commander = _roles.FirstOrDefault(r => r.IncidentId == a.IncidentId && r.Role == RoleKeys.Commander && r.RelievedAt is null)?.Holder;
                if (decide(new OverdueAction(a, Clone(incident), commander)) is { } message)
                {
                    Enqueue([message]);
                }

                _actionReminded[a.Id] = now;
            }

            return Task.FromResult(due.Count);
        }
    }

    private static Incident Clone(Incident i) => new()
    {
        Id = i.Id, Number = i.Number, Title = i.Title, Severity = i.Severity, Type = i.Type, Status = i.Status,
        IsPrivate = i.IsPrivate, Description = i.Description, Summary = i.Summary, Platform = i.Platform,
        ChannelId = i.ChannelId, ChannelName = i.ChannelName, ChannelUrl = i.ChannelUrl, OriginChannelId = i.OriginChannelId,
        DeclaredBy = i.DeclaredBy, DeclaredAt = i.DeclaredAt, AcknowledgedAt = i.AcknowledgedAt, MitigatedAt = i.MitigatedAt,
        ResolvedAt = i.ResolvedAt, ClosedAt = i.ClosedAt, LastUpdateAt = i.LastUpdateAt, NextUpdateDue = i.NextUpdateDue,
        DeployFreeze = i.DeployFreeze, Version = i.Version,
    };
}

/// <summary>A chat platform that only hands out channels; messages are inspected in the outbox.</summary>
internal sealed class ChannelOnlyPlatform(string? feed = "CFEED") : IChatPlatform
{
    private int _next;

    public string Name => "slack";

    public string? FeedChannelId => feed;

    public Task<ChannelInfo> CreateChannelAsync(Incident incident, string name, bool isPrivate, CancellationToken ct)
    {
        var id = $"C{Interlocked.Increment(ref _next)}";
        return Task.FromResult(new ChannelInfo(id, name, $"https://chat.example/{id}"));
    }

    public Task InviteAsync(string channelId, IReadOnlyCollection<UserRef> users, CancellationToken ct) => Task.CompletedTask;

    public Task SetTopicAsync(string channelId, string topic, CancellationToken ct) => Task.CompletedTask;

    public Task<PostedMessage> PostAsync(string channelId, ChatMessage message, CancellationToken ct) => Task.FromResult(new PostedMessage(channelId, "M1"));

    public Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken ct) => Task.CompletedTask;

    public Task PinAsync(PostedMessage posted, CancellationToken ct) => Task.CompletedTask;

    public Task<CapturedMessage?> FetchMessageAsync(SourceRef source, CancellationToken ct) => Task.FromResult<CapturedMessage?>(null);

    public Task AcknowledgeCaptureAsync(SourceRef source, CancellationToken ct) => Task.CompletedTask;

    public Task PageAsync(Guid incidentId, string channelId, string reason, CancellationToken ct) => Task.CompletedTask;
}

internal static class TestOptions
{
    public static IncidentOptions Create(Action<IncidentOptions>? configure = null)
    {
        var options = new IncidentOptions
        {
            Severities = IncidentDefaults.Severities(),
            Types = IncidentDefaults.Types(),
            Roles = IncidentDefaults.Roles(),
            TriageChecklist = IncidentDefaults.TriageChecklist(),
            RecoveryChecklist = IncidentDefaults.RecoveryChecklist(),
            DefaultSeverity = "SEV4",
        };
        configure?.Invoke(options);
        return options;
    }
}
