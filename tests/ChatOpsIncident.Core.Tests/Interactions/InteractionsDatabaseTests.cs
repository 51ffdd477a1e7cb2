using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Interactions;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.Core.Timeline;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatOpsIncident.Core.Tests.Interactions;

/// <summary>The capture flow, the twin rule and clicks through the core, over the real PostgreSQL store.</summary>
public sealed class InteractionsDatabaseTests : IAsyncLifetime
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
        _services = await _db.MigratedStoreAsync(s =>
        {
            s.AddIncidentCore(new ConfigurationBuilder().Build());
            s.AddSingleton<TimeProvider>(_time);
            s.AddSingleton<IChatPlatform>(_chat);
        });
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    private IncidentInteractions Interactions => _services.GetRequiredService<IncidentInteractions>();

    private TimelineCapture Capture => _services.GetRequiredService<TimelineCapture>();

    private IIncidentStore Store => _services.GetRequiredService<IIncidentStore>();

    private CommandContext Ctx(UserRef actor, string? channel = "CORIGIN") =>
        new("slack", Surfaces.Slack, actor, channel, $"d{Interlocked.Increment(ref _delivery)}");

    private async Task<Incident> DeclareAsync(string title = "Checkout 5xx after deploy")
    {
        var result = await Interactions.ExecuteAsync(Ctx(Alice), new DeclareIncident(title, "SEV3", null, false), CancellationToken.None);
        Assert.False(result.Refused, result.Reply?.Text);
        return result.Incident!;
    }

    private async Task<IReadOnlyList<TimelineEntry>> PinnedAsync(Incident incident) =>
        (await Store.GetAsync(incident.Id, CancellationToken.None))!.Timeline.Where(e => e.Kind == TimelineKinds.Pinned).ToList();

    [Fact]
    public async Task Capture_FetchesAppendsAndAcknowledges_ARepeatWritesOnceButAcknowledgesAgain()
    {
        var incident = await DeclareAsync();
        var source = new SourceRef("slack", incident.ChannelId!, "1700000000.000100");
        var posted = _time.GetUtcNow() - TimeSpan.FromMinutes(7);
        _chat.Messages[source.MessageId!] = new CapturedMessage(source with { Permalink = "https://x.slack.com/p1" }, Bob, "DB failover done", posted);

        var first = await Capture.CaptureAsync(source, Alice, CancellationToken.None);
        var second = await Capture.CaptureAsync(source, Alice, CancellationToken.None);

        Assert.Equal(CaptureOutcome.Captured, first);
        Assert.Equal(CaptureOutcome.AlreadyCaptured, second);
        var entry = Assert.Single(await PinnedAsync(incident));
        Assert.Equal("DB failover done", entry.Text);
        Assert.Equal(posted, entry.OccurredAt);
        Assert.Equal("https://x.slack.com/p1", entry.Source!.Permalink);
        Assert.Equal(2, _chat.Acknowledged.Count);
        Assert.All(_chat.Acknowledged, a => Assert.Equal("1700000000.000100", a.MessageId));
    }

    [Fact]
    public async Task Capture_OfAMessageThePlatformNoLongerHas_WritesAndAcknowledgesNothing()
    {
        var incident = await DeclareAsync();

        var outcome = await Capture.CaptureAsync(new SourceRef("slack", incident.ChannelId!, "1700000000.000999"), Alice, CancellationToken.None);

        Assert.Equal(CaptureOutcome.MessageMissing, outcome);
        Assert.Empty(await PinnedAsync(incident));
        Assert.Empty(_chat.Acknowledged);
    }

    [Fact]
    public async Task Capture_InANonIncidentChannel_IsRememberedForAMinute_WithoutAskingThePlatform()
    {
        var incident = await DeclareAsync();
        var source = new SourceRef("slack", "CRANDOM", "1700000000.000100");
        _chat.Messages[source.MessageId!] = new CapturedMessage(source, Bob, "lunch?", _time.GetUtcNow());

        Assert.Equal(CaptureOutcome.NotAnIncidentChannel, await Capture.CaptureAsync(source, Alice, CancellationToken.None));
        // Contrived on purpose: the channel becomes the incident's, which the cache may not notice within its minute.
        incident.ChannelId = "CRANDOM";
        Assert.Equal(SaveOutcome.Saved, await Store.SaveAsync(incident, new ChangeSet(), CancellationToken.None));
        Assert.Equal(CaptureOutcome.NotAnIncidentChannel, await Capture.CaptureAsync(source, Alice, CancellationToken.None));
        Assert.Empty(_chat.Fetched);

        _time.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(CaptureOutcome.Captured, await Capture.CaptureAsync(source, Alice, CancellationToken.None));
        Assert.Single(_chat.Fetched);
    }

    [Fact]
    public async Task RemoveAndEdit_ChangeTheCapturedEntryOfThatMessageOnly()
    {
        var incident = await DeclareAsync();
        var kept = new SourceRef("slack", incident.ChannelId!, "1700000000.000100");
        var gone = new SourceRef("slack", incident.ChannelId!, "1700000000.000200");
        await Capture.CaptureAsync(incident, new CapturedMessage(kept, Bob, "first", _time.GetUtcNow()), Alice, CancellationToken.None);
        await Capture.CaptureAsync(incident, new CapturedMessage(gone, Bob, "second", _time.GetUtcNow()), Alice, CancellationToken.None);

        Assert.Equal(1, await Capture.EditAsync(kept, "first, edited", CancellationToken.None));
        Assert.Equal(1, await Capture.RemoveAsync(gone, CancellationToken.None));
        Assert.Equal(0, await Capture.RemoveAsync(new SourceRef("slack", incident.ChannelId!, "1700000000.000300"), CancellationToken.None));

        var entries = await PinnedAsync(incident);
        Assert.Equal("first, edited", entries.Single(e => e.Source!.MessageId == kept.MessageId).Text);
        Assert.Equal(["1700000000.000100"], entries.Where(e => e.RemovedAt is null).Select(e => e.Source!.MessageId));
    }

    [Fact]
    public async Task Declare_TwinWithinTwoMinutes_FinishesTheFirst_OthersDeclareAnew()
    {
        var first = await DeclareAsync();
        _time.Advance(TimeSpan.FromSeconds(30));

        var twin = await Interactions.ExecuteAsync(Ctx(Alice), new DeclareIncident("checkout 5XX after deploy", "SEV3", null, false), CancellationToken.None);
        var byBob = await Interactions.ExecuteAsync(Ctx(Bob), new DeclareIncident("Checkout 5xx after deploy", "SEV3", null, false), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2));
        var later = await Interactions.DeclareOnceAsync(Ctx(Alice), new DeclareIncident("Checkout 5xx after deploy", "SEV3", null, false), CancellationToken.None);

        Assert.Equal(first.Id, twin.Incident!.Id);
        Assert.Equal($"{first.PublicId} is declared: join #{first.ChannelName} ({first.ChannelUrl})", twin.Reply!.Text);
        Assert.NotEqual(first.Id, byBob.Incident!.Id);
        Assert.NotEqual(first.Id, later.Incident!.Id);
        Assert.Equal(3, (await Store.ListAsync(new IncidentQuery(), CancellationToken.None)).Count);
        Assert.Equal(3, _chat.Channels.Count);
    }

    [Fact]
    public async Task Click_RunsTheButtonsCommand_AndTheUpdateFormOnlyWhileOpen()
    {
        var incident = await DeclareAsync();
        var ctx = Ctx(Bob, incident.ChannelId);
        var claim = Interactions.Decode(ChatActions.ClaimRole, ButtonValues.ClaimRole(incident.Id, "comms"), Bob)!;
        var form = Interactions.Decode(ChatActions.OpenUpdateForm, ButtonValues.Incident(incident.Id), Bob)!;

        var claimed = await Interactions.ClickAsync(ctx, claim, CancellationToken.None);
        var opened = await Interactions.ClickAsync(ctx, form, CancellationToken.None);
        await Interactions.ExecuteAsync(Ctx(Alice, incident.ChannelId), new Resolve(null, true, "test"), CancellationToken.None);
        var late = await Interactions.ClickAsync(ctx, form, CancellationToken.None);
        var inChannel = await Interactions.UpdateFormInChannelAsync("slack", incident.ChannelId, CancellationToken.None);
        var elsewhere = await Interactions.UpdateFormInChannelAsync("slack", "CRANDOM", CancellationToken.None);
        var missing = await Interactions.ClickAsync(ctx, form with { IncidentId = Guid.NewGuid() }, CancellationToken.None);

        Assert.False(claimed.Refused);
        Assert.Equal(Bob.Id, (await Store.GetAsync(incident.Id, CancellationToken.None))!.Holder("comms")!.Id);
        Assert.IsType<OpenUpdateForm>(opened.Form);
        Assert.Equal(incident.Id, opened.Incident!.Id);
        Assert.True(late.Refused);
        Assert.Null(late.Form);
        Assert.Equal($"{incident.PublicId} is resolved; there is no update to post.", late.Reply!.Text);
        Assert.Equal(late.Reply, inChannel.Reply);
        Assert.Equal(InteractionGuards.NotAnIncidentChannel, elsewhere.Reply!.Text);
        Assert.Equal(InteractionGuards.NoSuchIncident, missing.Reply!.Text);
    }
}
