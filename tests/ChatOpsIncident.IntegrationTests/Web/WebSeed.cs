using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.IntegrationTests.Web;

/// <summary>Drives incidents through the real service (as the chat adapters do) so the pages have something to show.</summary>
internal sealed class WebSeed(IServiceProvider services, RecordingChatPlatform chat)
{
    public static readonly UserRef Alice = new("U0ALICE", "alice");
    public static readonly UserRef Bob = new("U0BOB", "bob");
    public static readonly UserRef Carol = new("U0CAROL", "carol");
    public static readonly UserRef Mallory = new("U0MALLORY", "mallory");
    private int _delivery;

    private IncidentService Service => services.GetRequiredService<IncidentService>();

    private CommandParser Parser => services.GetRequiredService<CommandParser>();

    public IIncidentStore Store => services.GetRequiredService<IIncidentStore>();

    public async Task<Incident> DeclareAsync(UserRef actor, string text)
    {
        var parsed = Parser.Parse(text, actor);
        Assert.True(parsed.Ok, parsed.Error);
        var result = await Service.DeclareAsync(Ctx(actor, "CORIGIN"), (DeclareIncident)parsed.Command!, CancellationToken.None);
        return result.Incident!;
    }

    public async Task<CommandResult> RunAsync(Incident incident, UserRef actor, string text)
    {
        var parsed = Parser.Parse(text, actor);
        Assert.True(parsed.Ok, parsed.Error);
        return await Service.ExecuteAsync(Ctx(actor, incident.ChannelId!), parsed.Command!, CancellationToken.None);
    }

    public Task ToggleAsync(Incident incident, UserRef actor, string checklist, int index) =>
        Service.ExecuteOnAsync(Ctx(actor, incident.ChannelId!), incident.Id, new ToggleChecklistItem(checklist, index), CancellationToken.None);

    /// <summary>Pins a message posted just now (its time orders it among the commands around it).</summary>
    public Task<bool> PinAsync(Incident incident, UserRef author, string text)
    {
        var at = DateTimeOffset.UtcNow;
        var ts = (at.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) + "100";
        var source = new SourceRef("slack", incident.ChannelId!, ts, $"https://example.slack.com/archives/{incident.ChannelId}/p{ts.Replace(".", "", StringComparison.Ordinal)}");
        return services.GetRequiredService<Core.Timeline.TimelineCapture>().CaptureAsync(incident, new CapturedMessage(source, author, text, at), author, CancellationToken.None);
    }

    /// <summary>Declare, roles, 3 pins, 2 updates, a mitigation, the recovery checklist, resolve and 2 actions.</summary>
    public async Task<Incident> ScriptedAsync()
    {
        var i = await DeclareAsync(Alice, "declare sev2 type:availability Checkout 5xx after deploy");
        await RunAsync(i, Alice, "role comms <@U0BOB|bob>");
        await RunAsync(i, Alice, "role ops <@U0CAROL|carol>");
        Assert.True(await PinAsync(i, Carol, "Error rate at 40% since the deploy"));
        await RunAsync(i, Bob, "update identified Checkout fails for about 40% of customers.");
        Assert.True(await PinAsync(i, Alice, "Rolling back build 512 now"));
        await RunAsync(i, Carol, "mitigate Rolled back checkout to build 511");
        Assert.True(await PinAsync(i, Bob, "Error rate back to baseline"));
        await RunAsync(i, Bob, "update monitoring Error rates are back to normal.");
        for (var n = 0; n < 5; n++)
        {
            await ToggleAsync(i, Carol, "recovery", n);
        }

        await RunAsync(i, Alice, "resolve Rolled back the bad deploy");
        await RunAsync(i, Alice, "action Add a canary stage <@U0CAROL|carol> due:2026-12-20 critical");
        await RunAsync(i, Alice, "action Alert on checkout 5xx rate <@U0BOB|bob> high");
        return i;
    }

    private CommandContext Ctx(UserRef actor, string channel) => new("slack", Surfaces.Slack, actor, channel, $"seed-{Guid.NewGuid():N}-{Interlocked.Increment(ref _delivery)}");

    public RecordingChatPlatform Chat => chat;
}
