using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Privacy;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.Postgres.Tests.Workspace;

/// <summary>
/// The workspace's channel list applies <see cref="IncidentVisibility.CanSee"/> in its one query (no load per channel):
/// for every viewer, the channels listed are exactly those the Core rule, applied channel by channel on the whole
/// record as the directory used to, lets them see.
/// </summary>
public sealed class VisibleChannelsTests : IAsyncLifetime
{
    private const string Platform = "sandbox";
    private readonly TestDatabase _db = new();
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _services = await _db.MigratedStoreAsync();

        await SeedAsync("public", isPrivate: false, declarer: "alice");
        await SeedAsync("roles", isPrivate: true, declarer: "alice", commander: "bob", owner: "carol", members: ["dan"]);
        await SeedAsync("alone", isPrivate: true, declarer: "erin", drill: true);
        // The channel exists but the incident does not point at it yet (the channel step in flight): a member alone is not enough.
        await SeedAsync("pending", isPrivate: true, declarer: "gina", members: ["frank"], linked: false);
        // A private channel with no incident is its members'.
        await _db.ScalarAsync<int>("""
            INSERT INTO chatops.sandbox_channels (id, name, kind, is_private) VALUES ('c-room', 'room', 'general', true);
            INSERT INTO chatops.sandbox_members (channel_id, user_id) VALUES ('c-room', 'alice');
            SELECT 1
            """);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    private IIncidentStore Incidents => _services.GetRequiredService<IIncidentStore>();

    private IWorkspaceStore Workspace => _services.GetRequiredService<IWorkspaceStore>();

    [Theory]
    [InlineData(null)]
    [InlineData("alice")]
    [InlineData("bob")]
    [InlineData("carol")]
    [InlineData("dan")]
    [InlineData("erin")]
    [InlineData("frank")]
    [InlineData("gina")]
    [InlineData("zed")]
    public async Task VisibleChannels_AgreeWithCoreRule(string? viewer)
    {
        var expected = new List<string>();
        foreach (var channel in await Workspace.ChannelsAsync(CancellationToken.None))
        {
            if (await CanSeeAsync(channel, viewer))
            {
                expected.Add(channel.Id);
            }
        }

        var listed = await Workspace.VisibleChannelsAsync(viewer, null, CancellationToken.None);

        Assert.Equal(expected, listed.Select(v => v.Channel.Id));
        foreach (var id in expected)
        {
            Assert.Equal(id, Assert.Single(await Workspace.VisibleChannelsAsync(viewer, id, CancellationToken.None)).Channel.Id);
        }
    }

    [Fact]
    public async Task VisibleChannels_CarryTheIncidentNumberAndDrill()
    {
        var all = await Workspace.VisibleChannelsAsync("erin", null, CancellationToken.None);

        Assert.Equal([null, null, null], all.Where(v => v.Channel.IncidentId is null).Select(v => v.IncidentNumber));
        var alone = all.Single(v => v.Channel.Name == "alone");
        var record = (await Incidents.GetAsync(alone.Channel.IncidentId!.Value, CancellationToken.None))!;
        Assert.Equal((record.Incident.Number, true), (alone.IncidentNumber!.Value, alone.Drill));
        Assert.False(all.Single(v => v.Channel.Name == "public").Drill);
        Assert.Empty(await Workspace.VisibleChannelsAsync("zed", "c-room", CancellationToken.None));
        Assert.Empty(await Workspace.VisibleChannelsAsync("alice", "nowhere", CancellationToken.None));
    }

    /// <summary>The rule as the directory applied it before the one query: load the record, ask Core.</summary>
    private async Task<bool> CanSeeAsync(WorkspaceChannel channel, string? viewer)
    {
        if (!channel.IsPrivate)
        {
            return true;
        }

        if (viewer is null)
        {
            return false;
        }

        var member = (await Workspace.MembersAsync(channel.Id, CancellationToken.None)).Contains(viewer);
        var record = channel.IncidentId is { } id ? await Incidents.GetAsync(id, CancellationToken.None) : null;
        return record is null ? member : IncidentVisibility.CanSee(record, Viewer.ChatUser(Platform, viewer, member ? channel.Id : null));
    }

    private async Task SeedAsync(string title, bool isPrivate, string declarer, string? commander = null, string? owner = null, string[]? members = null, bool drill = false, bool linked = true)
    {
        var id = Guid.NewGuid();
        var channel = (await Workspace.CreateIncidentChannelAsync(id, title, isPrivate, CancellationToken.None))!;
        await Workspace.AddMembersAsync(channel.Id, [declarer, .. members ?? []], CancellationToken.None);
        var at = DateTimeOffset.UnixEpoch.AddDays(20000);
        var incident = new Incident
        {
            Id = id,
            Title = title,
            Severity = "SEV2",
            Type = "availability",
            Status = IncidentStatus.Investigating,
            IsPrivate = isPrivate,
            Drill = drill,
            Platform = Platform,
            ChannelId = linked ? channel.Id : null,
            DeclaredBy = new UserRef(declarer),
            DeclaredAt = at,
        };
        var set = new ChangeSet();
        if (commander is not null)
        {
            set.RolesAssigned.Add(new RoleAssignment(id, "commander", new UserRef(commander), at, new UserRef(declarer)));
        }

        if (owner is not null)
        {
            set.ActionsAdded.Add(new ActionItem { Seq = 1, Text = "Fix", Owner = new UserRef(owner), CreatedAt = at, CreatedBy = new UserRef(declarer) });
        }

        await Incidents.CreateAsync(incident, set, "sandbox:" + id, CancellationToken.None);
    }
}
