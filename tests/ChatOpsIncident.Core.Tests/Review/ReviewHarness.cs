using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Core.Review;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOpsIncident.Core.Tests.Review;

/// <summary>
/// The incident service over the real PostgreSQL store of a test database, a fake clock (whole milliseconds, so times
/// read back from PostgreSQL's microseconds compare equal) and a chat platform that creates channels.
/// </summary>
internal sealed class ReviewHarness
{
    private readonly TestDatabase _db;
    private int _delivery;

    public ReviewHarness(TestDatabase db, string? baseUrl = "https://incidents.example.com")
    {
        _db = db;
        Store = db.StoreServices().GetRequiredService<IIncidentStore>();
        Options = Cadence.TestOptions.Create();
        Parser = new CommandParser(Microsoft.Extensions.Options.Options.Create(Options));
        Service = new IncidentService(Store, new Platforms(Chat), Microsoft.Extensions.Options.Options.Create(Options), Time, [], new OutboxSignal(),
            NullLogger<IncidentService>.Instance, new Links(baseUrl));
    }

    public IncidentOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 9, 23, 40, 0, TimeSpan.Zero));

    public IIncidentStore Store { get; }

    public ChannelPlatform Chat { get; } = new();

    public CommandParser Parser { get; }

    public IncidentService Service { get; }

    public Incident Incident { get; private set; } = null!;

    public async Task<Incident> DeclareAsync(UserRef actor, string text)
    {
        var parsed = Parser.Parse(text, actor);
        var result = await Service.DeclareAsync(Context(actor), (DeclareIncident)parsed.Command!, CancellationToken.None);
        Incident = result.Incident!;
        return Incident;
    }

    /// <summary>Runs a chat command in the incident channel, exactly as an adapter would.</summary>
    public async Task<CommandResult> RunAsync(UserRef actor, string text)
    {
        var parsed = Parser.Parse(text, actor);
        Assert.True(parsed.Ok, parsed.Error);
        return await Service.ExecuteAsync(Context(actor), parsed.Command!, CancellationToken.None);
    }

    public Task<CommandResult> ToggleAsync(UserRef actor, string checklist, int index) =>
        Service.ExecuteOnAsync(Context(actor), Incident.Id, new ToggleChecklistItem(checklist, index), CancellationToken.None);

    public async Task<IncidentRecord> RecordAsync() => (await Store.GetAsync(Incident.Id, CancellationToken.None))!;

    /// <summary>The rows in <c>chatops.outbox</c>, in the order they were queued.</summary>
    public Task<IReadOnlyList<OutboxMessage>> OutboxAsync() => _db.OutboxAsync();

    public Task<bool> PinAsync(UserRef author, string text, string messageId)
    {
        var source = new SourceRef("slack", Incident.ChannelId!, messageId, $"https://example.slack.com/archives/{Incident.ChannelId}/p{messageId}");
        return new Timeline.TimelineCapture(Store, new Platforms(Chat), Time, NullLogger<Timeline.TimelineCapture>.Instance).CaptureAsync(Incident, new CapturedMessage(source, author, text, Time.GetUtcNow()), author, CancellationToken.None);
    }

    public void Advance(TimeSpan by) => Time.Advance(by);

    private CommandContext Context(UserRef actor) =>
        new("slack", Surfaces.Slack, actor, Incident?.ChannelId ?? "CORIGIN", $"d{Interlocked.Increment(ref _delivery)}");

    private sealed class Platforms(IChatPlatform platform) : IChatPlatforms
    {
        public IChatPlatform? Find(string name) => name == platform.Name ? platform : null;
    }

    private sealed class Links(string? baseUrl) : IReviewLinks
    {
        public string? Postmortem(Incident incident) => baseUrl is null ? null : $"{baseUrl}/incidents/{incident.Id}/postmortem";

        public string? Detail(Incident incident) => baseUrl is null ? null : $"{baseUrl}/incidents/{incident.Id}";
    }
}

/// <summary>Creates channels; nothing else is called synchronously (the rest goes through the outbox).</summary>
internal sealed class ChannelPlatform : IChatPlatform
{
    public string Name => "slack";

    public string? FeedChannelId => null;

    public Task<ChannelInfo> CreateChannelAsync(Incident incident, ChannelNameRequest request, bool isPrivate, CancellationToken ct) =>
        Task.FromResult(new ChannelInfo($"C{incident.Number:D4}", request.Slugged(80), $"https://example.slack.com/archives/C{incident.Number:D4}"));

    public Task InviteAsync(string channelId, IReadOnlyCollection<UserRef> users, CancellationToken ct) => throw new NotSupportedException();

    public Task SetTopicAsync(string channelId, string topic, CancellationToken ct) => throw new NotSupportedException();

    public Task<PostedMessage> PostAsync(string channelId, ChatMessage message, CancellationToken ct) => throw new NotSupportedException();

    public Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken ct) => throw new NotSupportedException();

    public Task PinAsync(PostedMessage posted, CancellationToken ct) => throw new NotSupportedException();

    public Task<CapturedMessage?> FetchMessageAsync(SourceRef source, CancellationToken ct) => throw new NotSupportedException();

    public Task AcknowledgeCaptureAsync(SourceRef source, CancellationToken ct) => throw new NotSupportedException();

    public Task PageAsync(Guid incidentId, string channelId, string reason, CancellationToken ct) => throw new NotSupportedException();
}
