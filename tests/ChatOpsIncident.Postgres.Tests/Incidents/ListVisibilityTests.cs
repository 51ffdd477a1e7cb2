using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Privacy;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.Postgres.Tests.Incidents;

/// <summary>
/// The list's visibility clause is <see cref="IncidentVisibility.CanSee"/> in SQL: for every viewer of a matrix, the
/// incidents the store lists are exactly those Core's rule lets them see on the whole record.
/// </summary>
public sealed class ListVisibilityTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 8, 30, 0, TimeSpan.Zero);
    private readonly TestDatabase _db = new();
    private ServiceProvider _services = null!;
    private readonly List<Guid> _ids = [];

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _services = await _db.MigratedStoreAsync();

        // Public; private with a relieved role holder, a current one and an action owner; private on Teams; private
        // declared by an id in another case; private with nobody but its declarer.
        await SeedAsync("public", isPrivate: false, "slack", "C-PUB", "U1");
        await SeedAsync("roles", isPrivate: true, "slack", "C-B", "U1", relieved: "U2", current: "U3", owner: "U4");
        await SeedAsync("teams", isPrivate: true, "teams", "19:c@thread.tacv2", "U5", owner: "U1");
        await SeedAsync("case", isPrivate: true, "slack", "C-D", "UX6");
        await SeedAsync("alone", isPrivate: true, "slack", null, "U7");

        // An invitee of "case" who holds nothing else (the bot invites through the outbox; here straight into the table).
        await _db.ScalarAsync<int>("INSERT INTO chatops.incident_invitees (incident_id, user_id) VALUES (@id, 'UG8') RETURNING 1", ("id", _ids[3]));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    private IIncidentStore Store => _services.GetRequiredService<IIncidentStore>();

    public static TheoryData<string, Viewer> Viewers() => new()
    {
        { "admin", Viewer.Admin },
        { "declarer", new Viewer(["U1"], false) },
        { "relieved holder", new Viewer(["U2"], false) },
        { "current holder", new Viewer(["U3"], false) },
        { "action owner", new Viewer(["U4"], false) },
        { "teams declarer", new Viewer(["U5"], false) },
        { "other case", new Viewer(["ux6"], false) },
        { "invitee only", new Viewer(["ug8"], false) },
        { "nobody", new Viewer(["U9"], false) },
        { "nobody, no ids", new Viewer([], false) },
        { "empty id", new Viewer([""], false) },
        { "one of several ids", new Viewer(["U9", "u4"], false) },
        { "from the incident's channel", Viewer.ChatUser("slack", "U9", "C-B") },
        { "same channel id, other platform", Viewer.ChatUser("teams", "U9", "C-B") },
        { "from the teams channel", Viewer.ChatUser("TEAMS", "U9", "19:c@thread.tacv2") },
        { "from another channel", Viewer.ChatUser("slack", "U9", "C-PUB") },
        { "no channel, no platform", new Viewer(["U9"], false, null, "C-B") },
    };

    [Theory]
    [MemberData(nameof(Viewers))]
    public async Task List_VisibleTo_AgreesWithCoreRule(string who, Viewer viewer)
    {
        var expected = new List<string>();
        foreach (var id in _ids)
        {
            var record = (await Store.GetAsync(id, CancellationToken.None))!;
            if (IncidentVisibility.CanSee(record, viewer))
            {
                expected.Add(record.Incident.Title);
            }
        }

        var listed = await Store.ListAsync(new IncidentQuery(VisibleTo: viewer), CancellationToken.None);

        Assert.True(expected.Count > 0, who);
        Assert.Equal(expected.Order(), listed.Select(i => i.Title).Order());
    }

    [Fact]
    public async Task List_NoViewer_SeesEverything_LimitCountsVisibleOnly()
    {
        Assert.Equal(5, (await Store.ListAsync(new IncidentQuery(), CancellationToken.None)).Count);

        // Newest first: "alone" and "case" (private, not U1's) are newer than "teams"; the limit applies after the filter.
        var one = await Store.ListAsync(new IncidentQuery(Limit: 1, VisibleTo: new Viewer(["U1"], false)), CancellationToken.None);
        Assert.Equal(["teams"], one.Select(i => i.Title));
    }

    private async Task SeedAsync(string title, bool isPrivate, string platform, string? channel, string declarer, string? relieved = null, string? current = null, string? owner = null)
    {
        var at = T0.AddMinutes(_ids.Count);
        var incident = new Incident
        {
            Id = Guid.NewGuid(),
            Title = title,
            Severity = "SEV2",
            Type = "availability",
            Status = IncidentStatus.Investigating,
            IsPrivate = isPrivate,
            Platform = platform,
            ChannelId = channel,
            DeclaredBy = new UserRef(declarer),
            DeclaredAt = at,
        };
        var set = new ChangeSet();
        if (relieved is not null)
        {
            set.RolesAssigned.Add(new RoleAssignment(incident.Id, "scribe", new UserRef(relieved), at, new UserRef(declarer)));
        }

        if (current is not null)
        {
            set.RolesAssigned.Add(new RoleAssignment(incident.Id, "commander", new UserRef(current), at, new UserRef(declarer)));
        }

        if (owner is not null)
        {
            set.ActionsAdded.Add(new ActionItem { Seq = 1, Text = "Fix", Owner = new UserRef(owner), CreatedAt = at, CreatedBy = new UserRef(declarer) });
        }

        var (created, _) = await Store.CreateAsync(incident, set, "slack:" + incident.Id, CancellationToken.None);
        if (relieved is not null)
        {
            await _db.ScalarAsync<int>("UPDATE chatops.roles SET relieved_at = now() WHERE incident_id = @id AND holder_id = @holder RETURNING 1", ("id", created.Id), ("holder", relieved));
        }

        _ids.Add(created.Id);
    }
}
