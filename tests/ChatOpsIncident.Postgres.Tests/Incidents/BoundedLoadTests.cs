using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.Postgres.Tests.Incidents;

/// <summary>A decision's load is bounded: the last N live timeline entries, no audit trail, the rest complete.</summary>
public sealed class BoundedLoadTests : IAsyncLifetime
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

    private async Task<Incident> SeedAsync(int entries)
    {
        var incident = new Incident
        {
            Id = Guid.NewGuid(),
            Title = "Big one",
            Severity = "SEV2",
            Type = "availability",
            Status = IncidentStatus.Investigating,
            Platform = "slack",
            DeclaredBy = new UserRef("U1", "alice"),
            DeclaredAt = T0,
        };
        var set = new ChangeSet();
        set.RolesAssigned.Add(new RoleAssignment(incident.Id, "commander", new UserRef("U1", "alice"), T0, new UserRef("U1", "alice")));
        set.Audit.Add(new AuditRecord(0, incident.Id, T0, "U1", Surfaces.Slack, "incident", null, "declared"));
        set.ActionsAdded.Add(new ActionItem { Seq = 1, Text = "Fix", CreatedAt = T0, CreatedBy = new UserRef("U1") });
        var (created, _) = await Store.CreateAsync(incident, set, "slack:" + incident.Id, CancellationToken.None);
        // Two entries share each instant: the order within one is by id, as everywhere else.
        for (var i = 0; i < entries; i++)
        {
            await Store.AppendTimelineAsync(TimelineEntry.Now(incident.Id, TimelineKinds.Note, $"note {i}", T0.AddSeconds(i / 2)), CancellationToken.None);
        }

        return created;
    }

    [Fact]
    public async Task GetForDecision_PriorChanges_NewestChangeEntriesBeforeTheDeclaration_BoundedWithTheirCount()
    {
        var incident = await SeedAsync(3);
        for (var i = 0; i < 12; i++)
        {
            await Store.AppendTimelineAsync(TimelineEntry.Now(incident.Id, TimelineKinds.Change, $"change {i:D2}", T0.AddMinutes(-60 + i)), CancellationToken.None);
        }

        // Not listed: a note from before, a change during the incident, a removed change.
        await Store.AppendTimelineAsync(TimelineEntry.Now(incident.Id, TimelineKinds.Note, "backdated note", T0.AddMinutes(-5)), CancellationToken.None);
        await Store.AppendTimelineAsync(TimelineEntry.Now(incident.Id, TimelineKinds.Change, "during", T0.AddMinutes(5)), CancellationToken.None);
        await Store.AppendTimelineAsync(TimelineEntry.Now(incident.Id, TimelineKinds.Change, "removed", T0.AddMinutes(-1)), CancellationToken.None);
        await _db.ScalarAsync<int>("UPDATE chatops.timeline SET removed_at = now() WHERE incident_id = @id AND text = 'removed' RETURNING 1", ("id", incident.Id));

        var record = (await Store.GetForDecisionAsync(incident.Id, 0, CancellationToken.None))!;

        Assert.Equal(Enumerable.Range(2, IncidentMessages.RecentChangesShown).Reverse().Select(i => $"change {i:D2}"), record.PriorChanges.Select(e => e.Text));
        Assert.Equal(12, record.PriorChangeCount);
        Assert.Empty(record.Timeline);
    }

    [Fact]
    public async Task GetForDecision_LastNLiveEntriesInOrder_NoAudit_EverythingElse()
    {
        var incident = await SeedAsync(12);
        await _db.ScalarAsync<int>("UPDATE chatops.timeline SET removed_at = now() WHERE incident_id = @id AND text = 'note 10' RETURNING 1", ("id", incident.Id));

        var record = await Store.GetForDecisionAsync(incident.Id, 5, CancellationToken.None);

        Assert.NotNull(record);
        Assert.Equal(["note 6", "note 7", "note 8", "note 9", "note 11"], record.Timeline.Select(e => e.Text));
        Assert.Empty(record.Audit);
        Assert.Equal("U1", record.Holder("commander")?.Id);
        Assert.Single(record.Actions);
        Assert.Equal(incident.Number, record.Incident.Number);
        Assert.Equal(11, await Store.CountTimelineAsync(incident.Id, CancellationToken.None));

        var full = await Store.GetAsync(incident.Id, CancellationToken.None);
        Assert.Single(full!.Audit);
    }

    [Fact]
    public async Task GetForDecision_ZeroTail_NoTimeline_UnknownIncident_Null()
    {
        var incident = await SeedAsync(3);

        Assert.Empty((await Store.GetForDecisionAsync(incident.Id, 0, CancellationToken.None))!.Timeline);
        Assert.Null(await Store.GetForDecisionAsync(Guid.NewGuid(), 5, CancellationToken.None));
    }
}
