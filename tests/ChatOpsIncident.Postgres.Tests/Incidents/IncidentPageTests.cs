using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.Postgres.Tests.Incidents;

/// <summary>Keyset pages of one incident's timeline and audit: every entry once, in order, across pages.</summary>
public sealed class IncidentPageTests : IAsyncLifetime
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

    private async Task<Incident> SeedAsync(int entries, int audits)
    {
        var incident = new Incident
        {
            Id = Guid.NewGuid(),
            Title = "Paged",
            Severity = "SEV2",
            Type = "availability",
            Status = IncidentStatus.Investigating,
            Platform = "slack",
            DeclaredBy = new UserRef("U1", "alice"),
            DeclaredAt = T0,
        };
        var set = new ChangeSet();
        set.RolesAssigned.Add(new RoleAssignment(incident.Id, "commander", new UserRef("U1", "alice"), T0, new UserRef("U1", "alice")));
        // Three audit records share each instant: the order within one is by id.
        for (var i = 0; i < audits; i++)
        {
            set.Audit.Add(new AuditRecord(0, incident.Id, T0.AddSeconds(i / 3), "U1", Surfaces.Slack, "field", null, $"audit {i}"));
        }

        var (created, _) = await Store.CreateAsync(incident, set, "slack:" + incident.Id, CancellationToken.None);
        // Two entries share each instant, so a page boundary falls inside one instant.
        for (var i = 0; i < entries; i++)
        {
            await Store.AppendTimelineAsync(TimelineEntry.Now(incident.Id, TimelineKinds.Note, $"note {i}", T0.AddSeconds(i / 2)), CancellationToken.None);
        }

        return created;
    }

    [Fact]
    public async Task GetPage_WalksTimelineAndAudit_EachRowOnceInOrder_LastPageHasNoCursor()
    {
        var incident = await SeedAsync(entries: 11, audits: 7);

        var seen = new List<string>();
        var audits = new List<string>();
        PageCursor? timelineAt = null;
        PageCursor? auditAt = null;
        var pages = 0;
        // 11 entries by 3 and 7 changes by 2 both take four pages, so both cursors run out together.
        do
        {
            var page = await Store.GetPageAsync(incident.Id, new PageRequest(timelineAt, 3), new PageRequest(auditAt, 2), includeRemoved: false, CancellationToken.None);
            Assert.NotNull(page);
            Assert.True(page.Record.Timeline.Count <= 3);
            Assert.True(page.Record.Audit.Count <= 2);
            Assert.Equal(11, page.TimelineTotal);
            Assert.Equal(7, page.AuditTotal);
            Assert.Equal("U1", page.Record.Holder("commander")?.Id);
            seen.AddRange(page.Record.Timeline.Select(e => e.Text));
            audits.AddRange(page.Record.Audit.Select(a => a.NewValue!));
            timelineAt = page.NextTimeline;
            auditAt = page.NextAudit;
            pages++;
        }
        while ((timelineAt is not null || auditAt is not null) && pages < 20);

        Assert.Equal(Enumerable.Range(0, 11).Select(i => $"note {i}"), seen);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"audit {i}"), audits);
        Assert.Equal(4, pages);
    }

    [Fact]
    public async Task GetPage_RemovedEntries_OnlyWhenAsked_CursorSurvivesEncoding()
    {
        var incident = await SeedAsync(entries: 4, audits: 1);
        await _db.ScalarAsync<int>("UPDATE chatops.timeline SET removed_at = now() WHERE incident_id = @id AND text = 'note 1' RETURNING 1", ("id", incident.Id));

        var live = await Store.GetPageAsync(incident.Id, PageRequest.First(2), PageRequest.First(), includeRemoved: false, CancellationToken.None);
        var all = await Store.GetPageAsync(incident.Id, PageRequest.First(2), PageRequest.First(), includeRemoved: true, CancellationToken.None);

        Assert.Equal(["note 0", "note 2"], live!.Record.Timeline.Select(e => e.Text));
        Assert.Equal(3, live.TimelineTotal);
        Assert.Equal(["note 0", "note 1"], all!.Record.Timeline.Select(e => e.Text));
        Assert.Equal(4, all.TimelineTotal);
        Assert.Null(live.NextAudit);

        Assert.True(PageCursor.TryParse(live.NextTimeline!.Value.Encode(), out var cursor));
        var rest = await Store.GetPageAsync(incident.Id, new PageRequest(cursor, 2), PageRequest.First(0), includeRemoved: false, CancellationToken.None);
        Assert.Equal(["note 3"], rest!.Record.Timeline.Select(e => e.Text));
        Assert.Null(rest.NextTimeline);
        Assert.Empty(rest.Record.Audit);
    }

    [Fact]
    public async Task GetForReview_WholeLiveTimelineAcrossChunks_NoAudit_UnknownNull()
    {
        var incident = await SeedAsync(entries: PageRequest.MaxLimit + 5, audits: 2);

        var record = await Store.GetForReviewAsync(incident.Id, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, PageRequest.MaxLimit + 5).Select(i => $"note {i}"), record!.Timeline.Select(e => e.Text));
        Assert.Empty(record.Audit);
        Assert.Null(await Store.GetForReviewAsync(Guid.NewGuid(), CancellationToken.None));
        Assert.Equal(incident.Id, await Store.FindIdByNumberAsync(incident.Number, CancellationToken.None));
        Assert.Null(await Store.FindIdByNumberAsync(incident.Number + 1000, CancellationToken.None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-cursor")]
    [InlineData("djE6MTIzOmFiYw")]
    [InlineData("djI6MTox")]
    public void Cursor_NotOneWeGaveOut_Refused(string token) =>
        Assert.False(PageCursor.TryParse(token, out _));
}
