using ChatOpsIncident.Core.Cadence;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.Postgres.Cadence;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ChatOpsIncident.Core.Tests.Cadence;

/// <summary>
/// The incident service and the cadence service over the real PostgreSQL stores of a test database, on a fake clock
/// (whole milliseconds, so times read back from PostgreSQL's microseconds compare equal).
/// </summary>
internal sealed class CadenceWorld
{
    public static readonly UserRef Alice = new("U1", "alice");
    public static readonly UserRef Bob = new("U2", "bob");
    public static readonly UserRef Carol = new("U3", "carol");
    private readonly TestDatabase _db;
    private int _delivery;

    public CadenceWorld(TestDatabase db, Action<IncidentOptions>? configure = null)
    {
        _db = db;
        // Nudges and stale reminders stay out of the way unless a test asks for them.
        Options = TestOptions.Create(o =>
        {
            o.RoleNudgeAfter = TimeSpan.FromDays(1);
            o.StaleAfter = TimeSpan.FromDays(30);
            configure?.Invoke(o);
        });
        var services = db.StoreServices(s => s.AddPostgresCadenceStore());
        Store = services.GetRequiredService<IIncidentStore>();
        var platforms = new ChatPlatforms([new RecordingChatPlatform()]);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Incidents = new IncidentService(Store, platforms, options, Time, [], new OutboxSignal(), NullLogger<IncidentService>.Instance);
        Cadence = new CadenceService(services.GetRequiredService<ICadenceStore>(), options, platforms, Time, new OutboxSignal(), NullLogger<CadenceService>.Instance);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public IIncidentStore Store { get; }

    public IncidentOptions Options { get; }

    public IncidentService Incidents { get; }

    public CadenceService Cadence { get; }

    public async Task<Incident> DeclareAsync(string severity = "SEV2", string? type = null, UserRef? by = null)
    {
        var result = await Incidents.DeclareAsync(Context(by ?? Alice), new DeclareIncident("Checkout errors", severity, type, false), CancellationToken.None);
        Assert.False(result.Refused, result.Reply?.Text);
        return result.Incident!;
    }

    public async Task<Incident> RunAsync(Incident incident, IncidentCommand command, UserRef? by = null)
    {
        var result = await Incidents.ExecuteOnAsync(Context(by ?? Alice, incident.ChannelId), incident.Id, command, CancellationToken.None);
        Assert.False(result.Refused, result.Reply?.Text);
        return result.Incident!;
    }

    public CommandContext Context(UserRef actor, string? channel = "C0") => new("slack", Surfaces.Slack, actor, channel, $"d{Interlocked.Increment(ref _delivery)}");

    public Task<int> RunDueAsync() => Cadence.RunDueAsync(CancellationToken.None);

    /// <summary>The rows in <c>chatops.outbox</c>, in the order they were queued.</summary>
    public Task<IReadOnlyList<OutboxMessage>> OutboxAsync(string? keyPrefix = null) => _db.OutboxAsync(keyPrefix);

    public Task<IReadOnlyList<OutboxMessage>> RemindersAsync() => OutboxAsync("remind:");

    public Task<IReadOnlyList<OutboxMessage>> EscalationsAsync() => OutboxAsync("escalate:");

    /// <summary>The cadence state's nudge time, as the cadence store saved it on the incident row.</summary>
    public async Task<DateTimeOffset?> NudgedAtAsync(Guid incidentId) =>
        await _db.ScalarAsync<DateTime?>("SELECT nudged_at FROM chatops.incidents WHERE id = @id", ("id", incidentId)) is { } at
            ? new DateTimeOffset(at, TimeSpan.Zero)
            : null;
}

internal static class TestOptions
{
    /// <summary>The built-in defaults (the parser tests' options), changed by <paramref name="configure"/>.</summary>
    public static IncidentOptions Create(Action<IncidentOptions>? configure = null)
    {
        var options = Commands.CommandParserTests.Defaults();
        configure?.Invoke(options);
        return options;
    }
}
