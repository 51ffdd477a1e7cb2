using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.Postgres.Tests.Incidents;

public sealed class PostgresIncidentStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 8, 30, 0, TimeSpan.Zero);
    private readonly TestDatabase _db = new();
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _services = await _db.MigratedStoreAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    private IIncidentStore Store => _services.GetRequiredService<IIncidentStore>();

    private static Incident NewIncident(string title = "Checkout 5xx") => new()
    {
        Id = Guid.NewGuid(),
        Title = title,
        Severity = "SEV2",
        Type = "availability",
        Status = IncidentStatus.Investigating,
        Platform = "slack",
        DeclaredBy = new UserRef("U1", "alice"),
        DeclaredAt = T0,
        AcknowledgedAt = T0,
        NextUpdateDue = T0.AddMinutes(30),
        Description = "Carts fail",
    };

    [Fact]
    public async Task Create_RoundTripsEveryPart()
    {
        var incident = NewIncident();
        var set = new ChangeSet();
        set.RolesAssigned.Add(new RoleAssignment(incident.Id, "commander", new UserRef("U1", "alice"), T0, new UserRef("U1", "alice")));
        set.Timeline.Add(new TimelineEntry { Kind = TimelineKinds.Declared, OccurredAt = T0, RecordedAt = T0, Text = "Declared", Author = new UserRef("U1", "alice"), DedupeKey = "cmd:x" });
        set.Updates.Add(new StatusUpdate(0, incident.Id, IncidentStatus.Investigating, "Looking", new UserRef("U1"), T0));
        set.ActionsAdded.Add(new ActionItem { Seq = 1, Text = "Fix", Owner = new UserRef("U2", "bob"), DueDate = new DateOnly(2026, 12, 24), Priority = ActionPriority.Critical, CreatedAt = T0, CreatedBy = new UserRef("U1") });
        set.Audit.Add(new AuditRecord(0, incident.Id, T0, "U1", Surfaces.Slack, "incident", null, "declared"));
        set.Checklist.Add(new ChecklistItemState(incident.Id, "triage", 2, "Assign roles", new UserRef("U1"), T0));

        var (created, isNew) = await Store.CreateAsync(incident, set, "slack:d1", CancellationToken.None);
        var record = await Store.GetAsync(incident.Id, CancellationToken.None);
        var byNumber = await Store.GetByNumberAsync(created.Number, CancellationToken.None);

        Assert.True(isNew);
        Assert.True(created.Number > 0);
        Assert.NotNull(record);
        Assert.Equal(incident.Id, byNumber!.Incident.Id);
        var i = record.Incident;
        Assert.Equal(("Checkout 5xx", "SEV2", "availability", IncidentStatus.Investigating, "Carts fail"), (i.Title, i.Severity, i.Type, i.Status, i.Description));
        Assert.Equal(T0, i.DeclaredAt);
        Assert.Equal(T0.AddMinutes(30), i.NextUpdateDue);
        Assert.Equal(new UserRef("U1", "alice"), i.DeclaredBy);
        Assert.Equal(1, i.Version);
        Assert.Equal(new UserRef("U1", "alice"), record.Holder("commander"));
        Assert.Equal("Declared", Assert.Single(record.Timeline).Text);
        Assert.Equal("Looking", Assert.Single(record.Updates).Text);
        var action = Assert.Single(record.Actions);
        Assert.Equal((1, "Fix", ActionPriority.Critical, new DateOnly(2026, 12, 24), "bob"), (action.Seq, action.Text, action.Priority, action.DueDate!.Value, action.Owner!.Name!));
        Assert.Equal("declared", Assert.Single(record.Audit).NewValue);
        Assert.Equal(T0, Assert.Single(record.Checklists).DoneAt);
    }

    [Fact]
    public async Task Create_SameDeclareKey_ReturnsTheFirst()
    {
        var (first, _) = await Store.CreateAsync(NewIncident("one"), new ChangeSet(), "slack:same", CancellationToken.None);
        var (second, created) = await Store.CreateAsync(NewIncident("two"), new ChangeSet(), "slack:same", CancellationToken.None);

        Assert.False(created);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal("one", second.Title);
    }

    [Fact]
    public async Task Numbers_AllocatedConcurrently_AreUnique()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => Store.CreateAsync(NewIncident($"i{i}"), new ChangeSet(), $"k{i}", CancellationToken.None))));

        Assert.Equal(20, results.Select(r => r.Incident.Number).Distinct().Count());
    }

    [Fact]
    public async Task Save_WithStaleVersion_IsAConflict_AndChangesNothing()
    {
        var (incident, _) = await Store.CreateAsync(NewIncident(), new ChangeSet(), "k", CancellationToken.None);
        var a = (await Store.GetAsync(incident.Id, CancellationToken.None))!.Incident;
        var b = (await Store.GetAsync(incident.Id, CancellationToken.None))!.Incident;
        a.Severity = "SEV1";
        b.Severity = "SEV3";
        var setB = new ChangeSet();
        setB.Timeline.Add(new TimelineEntry { Kind = "severity", OccurredAt = T0, RecordedAt = T0, Text = "to SEV3" });

        var first = await Store.SaveAsync(a, new ChangeSet(), CancellationToken.None);
        var second = await Store.SaveAsync(b, setB, CancellationToken.None);
        var record = await Store.GetAsync(incident.Id, CancellationToken.None);

        Assert.Equal(SaveOutcome.Saved, first);
        Assert.Equal(SaveOutcome.Conflict, second);
        Assert.Equal("SEV1", record!.Incident.Severity);
        Assert.Equal(2, record.Incident.Version);
        Assert.Empty(record.Timeline);
    }

    [Fact]
    public async Task Save_SameCommandKeyTwice_IsAlreadyApplied_AndWritesNothingMore()
    {
        var (incident, _) = await Store.CreateAsync(NewIncident(), new ChangeSet(), "k", CancellationToken.None);
        ChangeSet Note()
        {
            var set = new ChangeSet();
            set.Timeline.Add(new TimelineEntry { Kind = "note", OccurredAt = T0, RecordedAt = T0, Text = "n", DedupeKey = "cmd:delivery-1" });
            set.Outbox.Add(new OutboxMessage("cmd:delivery-1:post", incident.Id, "slack", OutboxOperations.Post, "C1") { Message = ChatMessage.Plain("n") });
            return set;
        }

        var current = (await Store.GetAsync(incident.Id, CancellationToken.None))!.Incident;
        Assert.Equal(SaveOutcome.Saved, await Store.SaveAsync(current, Note(), CancellationToken.None));
        current = (await Store.GetAsync(incident.Id, CancellationToken.None))!.Incident;
        Assert.Equal(SaveOutcome.AlreadyApplied, await Store.SaveAsync(current, Note(), CancellationToken.None));

        var record = await Store.GetAsync(incident.Id, CancellationToken.None);
        Assert.Single(record!.Timeline);
        Assert.Equal(2, record.Incident.Version);
        Assert.Equal(1, await _db.ScalarAsync<int>("SELECT count(*) FROM chatops.outbox"));
    }

    [Fact]
    public async Task List_FiltersAndOrdersNewestFirst()
    {
        var older = NewIncident("Database slow");
        var newer = new Incident { Id = Guid.NewGuid(), Title = "Checkout down", Severity = "SEV1", Type = "security", Status = IncidentStatus.Resolved, Platform = "slack", DeclaredBy = new UserRef("U1"), DeclaredAt = T0.AddHours(1) };
        await Store.CreateAsync(older, new ChangeSet(), "a", CancellationToken.None);
        await Store.CreateAsync(newer, new ChangeSet(), "b", CancellationToken.None);

        var all = await Store.ListAsync(new IncidentQuery(), CancellationToken.None);
        var open = await Store.ListAsync(new IncidentQuery(Open: true), CancellationToken.None);
        var search = await Store.ListAsync(new IncidentQuery(Search: "checkout"), CancellationToken.None);
        var sev = await Store.ListAsync(new IncidentQuery(Severity: "sev1", Type: "security"), CancellationToken.None);
        var percent = await Store.ListAsync(new IncidentQuery(Search: "%"), CancellationToken.None);

        Assert.Equal(["Checkout down", "Database slow"], all.Select(i => i.Title));
        Assert.Equal("Database slow", Assert.Single(open).Title);
        Assert.Equal("Checkout down", Assert.Single(search).Title);
        Assert.Equal("Checkout down", Assert.Single(sev).Title);
        Assert.Empty(percent);
    }

    [Fact]
    public async Task Audit_IsAppendOnly()
    {
        var incident = NewIncident();
        var set = new ChangeSet();
        set.Audit.Add(new AuditRecord(0, incident.Id, T0, "U1", "slack", "incident", null, "declared"));
        await Store.CreateAsync(incident, set, "k", CancellationToken.None);

        var ex = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => _db.ScalarAsync<int>("UPDATE chatops.audit SET actor = 'mallory'"));

        Assert.Contains("append-only", ex.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindByChannel_AndCapturedEdits()
    {
        var incident = NewIncident();
        incident.ChannelId = "C42";
        await Store.CreateAsync(incident, new ChangeSet(), "k", CancellationToken.None);
        var entry = new TimelineEntry { IncidentId = incident.Id, Kind = TimelineKinds.Pinned, OccurredAt = T0, RecordedAt = T0, Text = "old", Source = new SourceRef("slack", "C42", "111.222"), DedupeKey = "msg:slack:C42:111.222" };
        await Store.AppendTimelineAsync(entry, CancellationToken.None);

        var found = await Store.FindByChannelAsync("slack", "C42", CancellationToken.None);
        var otherPlatform = await Store.FindByChannelAsync("teams", "C42", CancellationToken.None);
        var edited = await Store.EditCapturedAsync("slack", "C42", "111.222", "new text", T0.AddMinutes(1), CancellationToken.None);
        var record = await Store.GetAsync(incident.Id, CancellationToken.None);

        Assert.Equal(incident.Id, found!.Id);
        Assert.Null(otherPlatform);
        Assert.Equal(1, edited);
        Assert.Equal("new text", Assert.Single(record!.Timeline).Text);
        Assert.Equal(T0.AddMinutes(1), record.Timeline[0].EditedAt);
    }
}
