using ChatOpsIncident.Core.Cadence;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Processing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ChatOpsIncident.Core.Tests.Cadence;

/// <summary>The incident service and the cadence service over in-memory stores, on a fake clock.</summary>
internal sealed class CadenceWorld
{
    public static readonly UserRef Alice = new("U1", "alice");
    public static readonly UserRef Bob = new("U2", "bob");
    public static readonly UserRef Carol = new("U3", "carol");
    private int _delivery;

    public CadenceWorld(Action<IncidentOptions>? configure = null, string? feed = "CFEED")
    {
        // Nudges and stale reminders stay out of the way unless a test asks for them.
        Options = TestOptions.Create(o =>
        {
            o.RoleNudgeAfter = TimeSpan.FromDays(1);
            o.StaleAfter = TimeSpan.FromDays(30);
            configure?.Invoke(o);
        });
        var platforms = new ChatPlatforms([new ChannelOnlyPlatform(feed)]);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Incidents = new IncidentService(Store, platforms, options, Time, [], new OutboxSignal(), NullLogger<IncidentService>.Instance);
        Cadence = new CadenceService(Store, options, platforms, Time, new OutboxSignal(), NullLogger<CadenceService>.Instance);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public InMemoryStores Store { get; } = new();

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

    public List<OutboxMessage> Reminders => Store.OutboxWithPrefix("remind:").ToList();

    public List<OutboxMessage> Escalations => Store.OutboxWithPrefix("escalate:").ToList();
}
