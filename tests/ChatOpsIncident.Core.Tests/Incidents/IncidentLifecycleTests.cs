using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Postgres;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatOpsIncident.Core.Tests.Incidents;

/// <summary>The rules of the incident lifecycle, decided by the core and saved in a real PostgreSQL.</summary>
public sealed class IncidentLifecycleTests : IAsyncLifetime
{
    private static readonly UserRef Alice = new("U0ALICE", "alice");
    private static readonly UserRef Bob = new("U0BOB", "bob");
    private readonly TestDatabase _db = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordingChatPlatform _chat = new("slack", "CFEED");
    private ServiceProvider _services = null!;
    private int _delivery;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Incident:Severities:1:Stakeholders:0"] = "CSTAKE",
        }).Build();
        _services = await _db.MigratedStoreAsync(s =>
        {
            s.AddIncidentCore(config);
            s.AddSingleton<TimeProvider>(_time);
            // The fake clock only moves when a test moves it: racing writers retry without a pause.
            s.AddSingleton<IRetryJitter>(new NoJitter());
            s.AddSingleton<IChatPlatform>(_chat);
        });
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    private IncidentService Service => _services.GetRequiredService<IncidentService>();

    private IIncidentStore Store => _services.GetRequiredService<IIncidentStore>();

    private CommandContext Ctx(UserRef actor, string? channel, string? delivery = null) =>
        new("slack", Surfaces.Slack, actor, channel, delivery ?? $"d{Interlocked.Increment(ref _delivery)}");

    private async Task<Incident> DeclareAsync(string severity = "SEV2", string? type = null, bool isPrivate = false)
    {
        var result = await Service.DeclareAsync(Ctx(Alice, "CORIGIN"), new DeclareIncident("Checkout 5xx after deploy", severity, type, isPrivate), CancellationToken.None);
        Assert.False(result.Refused);
        return result.Incident!;
    }

    private async Task<CommandResult> RunAsync(Incident incident, IncidentCommand command, UserRef? actor = null, string? delivery = null) =>
        await Service.ExecuteAsync(Ctx(actor ?? Alice, incident.ChannelId, delivery), command, CancellationToken.None);

    private async Task<IncidentRecord> LoadAsync(Incident incident) => (await Store.GetAsync(incident.Id, CancellationToken.None))!;

    private async Task<List<string>> OutboxKeysAsync()
    {
        await using var conn = await _db.DataSource.OpenConnectionAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT key FROM chatops.outbox ORDER BY id", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    [Fact]
    public async Task Declare_CreatesIncidentChannelRolesAndQueuesKickoff()
    {
        var incident = await DeclareAsync();
        var record = await LoadAsync(incident);

        Assert.Equal(IncidentStatus.Investigating, record.Incident.Status);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(30), record.Incident.NextUpdateDue);
        Assert.Equal(Alice, record.Holder(RoleKeys.Commander));
        Assert.StartsWith($"inc-{record.Incident.Number}-checkout-5xx-after-deploy", record.Incident.ChannelName, StringComparison.Ordinal);
        Assert.Single(_chat.Channels);
        var keys = await OutboxKeysAsync();
        Assert.Contains($"inc:{incident.Id}:kickoff", keys);
        Assert.Contains($"inc:{incident.Id}:announce", keys);
        Assert.Contains($"inc:{incident.Id}:invite", keys);
        Assert.Contains(record.Timeline, e => e.Kind == TimelineKinds.Declared);
        Assert.Contains(record.Audit, a => a.Field == "incident" && a.Surface == Surfaces.Slack);
    }

    [Fact]
    public async Task Declare_SameDeliveryTwice_OneIncidentOneChannel()
    {
        var ctx = Ctx(Alice, "CORIGIN", "same-delivery");
        var first = await Service.DeclareAsync(ctx, new DeclareIncident("Dup", "SEV3", null, false), CancellationToken.None);
        var second = await Service.DeclareAsync(ctx, new DeclareIncident("Dup", "SEV3", null, false), CancellationToken.None);

        Assert.Equal(first.Incident!.Id, second.Incident!.Id);
        Assert.Single(_chat.Channels);
        Assert.Single(await Store.ListAsync(new IncidentQuery(), CancellationToken.None));
    }

    [Fact]
    public async Task Declare_SecurityType_IsPrivate_AndNotAnnounced()
    {
        var incident = await DeclareAsync(type: "security");

        Assert.True(incident.IsPrivate);
        Assert.True(_chat.Channels.Single().Private);
        Assert.DoesNotContain($"inc:{incident.Id}:announce", await OutboxKeysAsync());
    }

    [Fact]
    public async Task CommandOutsideAnIncidentChannel_IsRefused()
    {
        var result = await Service.ExecuteAsync(Ctx(Alice, "CRANDOM"), new AddNote("hello"), CancellationToken.None);

        Assert.True(result.Refused);
        Assert.Contains("incident channel", result.Reply!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeverityChange_RecomputesNextUpdateDue_FromLastUpdate()
    {
        var incident = await DeclareAsync("SEV3");
        _time.Advance(TimeSpan.FromMinutes(10));
        await RunAsync(incident, new PostStatusUpdate(IncidentStatus.Identified, "Bad config"));
        var updatedAt = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMinutes(3));

        await RunAsync(incident, new ChangeSeverity("SEV1"));
        var record = await LoadAsync(incident);

        Assert.Equal("SEV1", record.Incident.Severity);
        Assert.Equal(updatedAt + TimeSpan.FromMinutes(15), record.Incident.NextUpdateDue);
        Assert.Contains(record.Audit, a => a.Field == "severity" && a.OldValue == "SEV3" && a.NewValue == "SEV1");
        Assert.Contains(record.Timeline, e => e.Kind == TimelineKinds.Severity && e.Text.Contains("raised", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Update_ResetsTheClock_AndFansOutToStakeholders()
    {
        var incident = await DeclareAsync("SEV2");
        _time.Advance(TimeSpan.FromMinutes(20));

        var result = await RunAsync(incident, new PostStatusUpdate(IncidentStatus.Monitoring, "Rolled back; error rate normal"));
        var record = await LoadAsync(incident);

        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(30), record.Incident.NextUpdateDue);
        Assert.Equal(IncidentStatus.Monitoring, record.Incident.Status);
        Assert.NotNull(record.Incident.MitigatedAt);
        Assert.Single(record.Updates);
        Assert.Contains("1 stakeholder channel", result.Reply!.Text, StringComparison.Ordinal);
        Assert.Single(await OutboxKeysAsync(), k => k.EndsWith(":stakeholder:CSTAKE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SameCommandDeliveredTwice_AppliesOnce()
    {
        var incident = await DeclareAsync();

        await RunAsync(incident, new AddNote("Saw spikes"), delivery: "retry-me");
        var again = await RunAsync(incident, new AddNote("Saw spikes"), delivery: "retry-me");
        var record = await LoadAsync(incident);

        Assert.Single(record.Timeline, e => e.Kind == TimelineKinds.Note);
        Assert.Contains("already", again.Reply!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RoleAssignment_KeepsHistory_AndHandoffBriefs()
    {
        var incident = await DeclareAsync();

        await RunAsync(incident, new AssignRole(RoleKeys.Comms, Bob));
        await RunAsync(incident, new Handoff(RoleKeys.Commander, Bob));
        var record = await LoadAsync(incident);

        Assert.Equal(Bob, record.Holder(RoleKeys.Commander));
        Assert.Equal(Bob, record.Holder(RoleKeys.Comms));
        var commanders = record.Roles.Where(r => r.Role == RoleKeys.Commander).ToList();
        Assert.Equal(2, commanders.Count);
        Assert.NotNull(commanders[0].RelievedAt);
        Assert.Contains(await OutboxKeysAsync(), k => k.EndsWith(":handoff", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AssigningTheSameHolder_IsRefused_AndChangesNothing()
    {
        var incident = await DeclareAsync();
        var before = (await LoadAsync(incident)).Incident.Version;

        var result = await RunAsync(incident, new AssignRole(RoleKeys.Commander, Alice));

        Assert.True(result.Refused);
        Assert.Equal(before, (await LoadAsync(incident)).Incident.Version);
    }

    [Fact]
    public async Task Resolve_WithRecoveryItemsOpen_ShowsTheChecklist_AndChangesNothing()
    {
        var incident = await DeclareAsync();

        var result = await RunAsync(incident, new Resolve("fixed"));
        var record = await LoadAsync(incident);

        Assert.True(result.Refused);
        Assert.Equal("Recovery checklist: " + incident.PublicId, result.Reply!.Title);
        Assert.Equal(5, result.Reply.Sections[0].Checklist!.Count);
        Assert.Equal(IncidentStatus.Investigating, record.Incident.Status);
    }

    [Fact]
    public async Task Resolve_AfterChecklist_StopsTheCadence_AndCannotResolveAgain()
    {
        var incident = await DeclareAsync();
        for (var i = 0; i < 5; i++)
        {
            await RunAsync(incident, new ToggleChecklistItem(IncidentMessages.RecoveryChecklist, i));
        }

        var resolved = await RunAsync(incident, new Resolve("Rolled back"));
        var again = await RunAsync(incident, new Resolve("again"));
        var record = await LoadAsync(incident);

        Assert.False(resolved.Refused);
        Assert.Equal(IncidentStatus.Resolved, record.Incident.Status);
        Assert.Null(record.Incident.NextUpdateDue);
        Assert.Equal(_time.GetUtcNow(), record.Incident.ResolvedAt);
        Assert.True(again.Refused);
        Assert.Contains("already resolved", again.Reply!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForcedResolve_OnlyByTheCommander_WithReasonAudited()
    {
        var incident = await DeclareAsync();

        var byBob = await RunAsync(incident, new Resolve(null, Force: true, ForceReason: "dashboards down"), Bob);
        var byAlice = await RunAsync(incident, new Resolve(null, Force: true, ForceReason: "dashboards down"), Alice);
        var record = await LoadAsync(incident);

        Assert.True(byBob.Refused);
        Assert.False(byAlice.Refused);
        Assert.Equal(IncidentStatus.Resolved, record.Incident.Status);
        Assert.Contains(record.Audit, a => a.Field == "recovery_override" && a.NewValue == "dashboards down");
        Assert.Contains(record.Timeline, e => e.Kind == TimelineKinds.Resolved && e.Text.Contains("dashboards down", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Close_RefusedWhileCriticalActionLacksOwnerOrDue_ThenAllowed()
    {
        var incident = await DeclareAsync();
        var early = await RunAsync(incident, new Close());
        await RunAsync(incident, new Resolve(null, true, "test"));
        await RunAsync(incident, new AddAction("Add queue alerting", null, null, ActionPriority.Critical));
        await RunAsync(incident, new AddAction("Write docs", null, null, ActionPriority.Normal));

        var refused = await RunAsync(incident, new Close());
        await RunAsync(incident, new CompleteAction(1));
        var closed = await RunAsync(incident, new Close());
        var record = await LoadAsync(incident);

        Assert.True(early.Refused);
        Assert.Contains("Resolve", early.Reply!.Text, StringComparison.Ordinal);
        Assert.True(refused.Refused);
        Assert.Contains("Action 1 (critical)", refused.Reply!.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("#2", refused.Reply.Text, StringComparison.Ordinal);
        Assert.False(closed.Refused);
        Assert.Equal(IncidentStatus.Closed, record.Incident.Status);
        Assert.NotNull(record.Incident.ClosedAt);
    }

    [Fact]
    public async Task Actions_NumberedPerIncident_DoneTwiceRefused()
    {
        var incident = await DeclareAsync();
        await RunAsync(incident, new AddAction("One", Bob, new DateOnly(2026, 12, 1), ActionPriority.High));
        await RunAsync(incident, new AddAction("Two", null, null, ActionPriority.Normal));

        await RunAsync(incident, new CompleteAction(2));
        var twice = await RunAsync(incident, new CompleteAction(2));
        var missing = await RunAsync(incident, new CompleteAction(7));
        var record = await LoadAsync(incident);

        Assert.Equal([1, 2], record.Actions.Select(a => a.Seq));
        Assert.True(record.Actions[1].Done);
        Assert.Equal(Bob, record.Actions[0].Owner);
        Assert.True(twice.Refused);
        Assert.True(missing.Refused);
    }

    [Fact]
    public async Task Mitigation_Freeze_Note_AreOnTheTimelineInOrder()
    {
        var incident = await DeclareAsync();
        _time.Advance(TimeSpan.FromMinutes(1));
        await RunAsync(incident, new RecordMitigation("Rolled back to 4.1"));
        _time.Advance(TimeSpan.FromMinutes(1));
        await RunAsync(incident, new SetFreeze(true));
        _time.Advance(TimeSpan.FromMinutes(1));
        await RunAsync(incident, new AddNote("Queue draining"));
        var freezeTwice = await RunAsync(incident, new SetFreeze(true));
        var record = await LoadAsync(incident);

        var kinds = record.Timeline.Select(e => e.Kind).ToList();
        Assert.Equal([TimelineKinds.Mitigation, TimelineKinds.Freeze, TimelineKinds.Note], kinds.Where(k => k is TimelineKinds.Mitigation or TimelineKinds.Freeze or TimelineKinds.Note));
        Assert.True(record.Incident.DeployFreeze);
        Assert.Equal(_time.GetUtcNow() - TimeSpan.FromMinutes(2), record.Incident.MitigatedAt);
        Assert.True(freezeTwice.Refused);
    }

    [Fact]
    public async Task Snooze_MovesTheDueTime_ButNotAfterResolve()
    {
        var incident = await DeclareAsync();

        await RunAsync(incident, new SnoozeReminder(TimeSpan.FromMinutes(10)));
        var record = await LoadAsync(incident);
        await RunAsync(incident, new Resolve(null, true, "done"));
        var late = await RunAsync(incident, new SnoozeReminder(TimeSpan.FromMinutes(10)));

        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(10), record.Incident.NextUpdateDue);
        Assert.True(late.Refused);
    }

    [Fact]
    public async Task Capture_SameMessageTwice_OneEntry_WithOriginalTime()
    {
        var incident = await DeclareAsync();
        var posted = _time.GetUtcNow() - TimeSpan.FromMinutes(7);
        var message = new CapturedMessage(new SourceRef("slack", incident.ChannelId!, "1700000000.000100", "https://x.slack.com/p1"), Bob, "DB failover done", posted);

        var capture = _services.GetRequiredService<Timeline.TimelineCapture>();
        var first = await capture.CaptureAsync(incident, message, Alice, CancellationToken.None);
        var second = await capture.CaptureAsync(incident, message, Alice, CancellationToken.None);
        var removed = await Store.MarkCapturedRemovedAsync("slack", incident.ChannelId!, "1700000000.000100", _time.GetUtcNow(), CancellationToken.None);
        var record = await LoadAsync(incident);

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(1, removed);
        var entry = Assert.Single(record.Timeline, e => e.Kind == TimelineKinds.Pinned);
        Assert.Equal(posted, entry.OccurredAt);
        Assert.Equal("https://x.slack.com/p1", entry.Source!.Permalink);
        Assert.NotNull(entry.RemovedAt);
    }

    [Fact]
    public async Task ConcurrentCommands_NeitherIsLost()
    {
        var incident = await DeclareAsync();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => RunAsync(incident, new AddAction($"Action {i}", null, null, ActionPriority.Normal)))));
        var record = await LoadAsync(incident);

        Assert.Equal(8, record.Actions.Count);
        Assert.Equal(Enumerable.Range(1, 8), record.Actions.Select(a => a.Seq).Order());
    }
}

internal sealed class NoJitter : IRetryJitter
{
    public double NextFraction() => 0;
}
