using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Timeline;
using ChatOpsIncident.Sandbox.Outbound;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Sandbox.Demo;

/// <summary>
/// <c>Sandbox:Demo=true</c> (<c>./run.sh --demo</c>): a handful of past incidents, so the list, detail, postmortem and
/// report pages show something on a first try. They are made the way people make incidents — commands through
/// <see cref="IncidentService"/>, a 📌 through <see cref="TimelineCapture"/> — on a clock set back to when each step
/// "happened", not written as rows. Every step has a fixed delivery id, so a restart (or a crash half-way) runs the
/// script again and the core's dedupe turns every step already done into nothing: seeded once, however often started.
/// </summary>
internal sealed class SandboxDemo(
    IServiceProvider services,
    IWorkspaceStore workspace,
    SandboxUsers users,
    IOptions<IncidentOptions> incidentOptions,
    TimeProvider time,
    ILogger<SandboxDemo> logger) : IHostedService
{
    private readonly DemoClock _clock = new();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The incidents are history: nothing about them is scheduled, so no observer (the cadence planner) hears them.
        var incidents = ActivatorUtilities.CreateInstance<IncidentService>(services, _clock, Array.Empty<IIncidentObserver>());
        var capture = ActivatorUtilities.CreateInstance<TimelineCapture>(services, _clock);
        var now = time.GetUtcNow();
        var seeded = 0;
        try
        {
            foreach (var script in Scripts())
            {
                if (await RunAsync(incidents, capture, script, now, cancellationToken))
                {
                    seeded++;
                }
            }

            Log.DemoSeeded(logger, seeded);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Demo data is a courtesy: the workspace works without it, so a failure is logged, not fatal.
            Log.DemoFailed(logger, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>One incident's script; true when its declaration is the first one (false: seeded before).</summary>
    private async Task<bool> RunAsync(IncidentService incidents, TimelineCapture capture, DemoScript script, DateTimeOffset now, CancellationToken ct)
    {
        var start = now - script.Ago;
        _clock.Now = start;
        var declarer = users.Person(Person(script.Declarer));
        var origin = new CommandContext(SandboxChatPlatform.PlatformName, Surfaces.Sandbox, declarer, SandboxChatPlatform.GeneralChannel, $"demo:{script.Key}:declare");
        var before = await workspace.ChannelsAsync(ct);
        var declared = await incidents.DeclareAsync(origin, script.Declare, ct);
        if (declared.Incident is not { ChannelId: { } channel } incident)
        {
            throw new InvalidOperationException($"demo incident '{script.Declare.Title}' has no channel: {declared.Reply?.Text}");
        }

        foreach (var step in script.Steps)
        {
            _clock.Now = start + step.At;
            var ctx = new CommandContext(SandboxChatPlatform.PlatformName, Surfaces.Sandbox, users.Person(Person(step.Actor)), channel, $"demo:{script.Key}:{step.Key}");
            if (step.Pin is { } said)
            {
                await PinAsync(capture, ctx, users.Person(Person(said.Author)), said.Text, ct);
            }
            else if (step.Command() is { } command)
            {
                await incidents.ExecuteAsync(ctx, command, ct);
            }
        }

        return !before.Any(c => c.IncidentId == incident.Id);
    }

    /// <summary>Someone says something in the channel and another person pins it: the reaction handler's own path.</summary>
    private async Task PinAsync(TimelineCapture capture, CommandContext ctx, UserRef author, string text, CancellationToken ct)
    {
        var message = await workspace.PostAsync(new NewWorkspaceMessage(ctx.DeliveryId, ctx.ChannelId!, author.Id, text, _clock.Now), ct);
        await workspace.ReactAsync(message.Id, ctx.Actor.Id, "pushpin", add: true, ct);
        await capture.CaptureAsync(new SourceRef(SandboxChatPlatform.PlatformName, ctx.ChannelId!, message.Id), ctx.Actor, "reaction:" + ctx.Actor.Id, ct);
    }

    /// <summary>The demo's cast is alice, bob, carol and dan; with other people configured, they stand in by position.</summary>
    private string Person(int index) => users.People[index % users.People.Count];

    private IEnumerable<DemoScript> Scripts()
    {
        var o = incidentOptions.Value;
        string Severity(int rank) => o.Severities[Math.Min(rank, o.Severities.Count - 1)].Name;
        string? Type(string name) => o.FindType(name)?.Name;
        DemoStep Role(TimeSpan at, int actor, string role, int holder, string key) =>
            new(key, at, actor, () => o.FindRole(role) is null ? null : new AssignRole(role, users.Person(Person(holder))));
        IEnumerable<DemoStep> Recover(TimeSpan at, int actor, string severity, string summary) =>
            o.RecoveryChecklistFor(severity)
                .Select((_, index) => new DemoStep($"recovery-{index}", at + TimeSpan.FromSeconds(20 * index), actor, () => new ToggleChecklistItem(IncidentMessages.RecoveryChecklist, index)))
                .Append(new DemoStep("resolve", at + TimeSpan.FromMinutes(3), actor, () => new Resolve(summary)));
        DateOnly Due(TimeSpan ago, int days) => DateOnly.FromDateTime((time.GetUtcNow() - ago).UtcDateTime.AddDays(days));

        var checkoutAgo = TimeSpan.FromDays(9);
        var checkout = Severity(1);
        yield return new DemoScript("checkout", checkoutAgo, 0, new DeclareIncident("Checkout 5xx after deploy 4.2", checkout, Type("availability"), false),
        [
            Role(TimeSpan.FromMinutes(2), 1, RoleKeys.Comms, 1, "claim-comms"),
            Role(TimeSpan.FromMinutes(3), 0, RoleKeys.Ops, 2, "role-ops"),
            new("pin", TimeSpan.FromMinutes(5), 1, () => null) { Pin = (2, "Error rate on /checkout is 38% since 14:02, right after the 4.2 deploy") },
            new("update-1", TimeSpan.FromMinutes(8), 1, () => new PostStatusUpdate(IncidentStatus.Identified, "Deploy 4.2 of checkout breaks card payments; rolling back to 4.1")),
            new("mitigate", TimeSpan.FromMinutes(12), 2, () => new RecordMitigation("Rolled checkout back to 4.1")),
            new("update-2", TimeSpan.FromMinutes(20), 1, () => new PostStatusUpdate(IncidentStatus.Monitoring, "Error rate back under 0.1% after the rollback; watching")),
            new("action-1", TimeSpan.FromMinutes(25), 0, () => new AddAction("Add a canary stage to the checkout pipeline", users.Person(Person(1)), Due(checkoutAgo, 14), ActionPriority.High)),
            new("action-2", TimeSpan.FromMinutes(26), 0, () => new AddAction("Alert on checkout 5xx above 2% for 2 minutes", users.Person(Person(2)), Due(checkoutAgo, 7), ActionPriority.Critical)),
            .. Recover(TimeSpan.FromMinutes(40), 0, checkout, "Rollback to 4.1 restored checkout; 4.2 is blocked until the fix"),
            new("postmortem", TimeSpan.FromDays(1), 0, () => new Postmortem()),
            new("done-2", TimeSpan.FromDays(1) + TimeSpan.FromMinutes(5), 2, () => new CompleteAction(2)),
            new("close", TimeSpan.FromDays(2), 0, () => new Close()),
        ]);

        var searchAgo = TimeSpan.FromDays(6);
        var search = Severity(2);
        yield return new DemoScript("search", searchAgo, 1, new DeclareIncident("Search p99 latency above 4 s in eu-west", search, Type("performance"), false),
        [
            Role(TimeSpan.FromMinutes(4), 2, RoleKeys.Ops, 2, "claim-ops"),
            new("note", TimeSpan.FromMinutes(9), 2, () => new AddNote("Index nodes 3 and 4 at 100% CPU; a reindex job started at 09:00")),
            new("update-1", TimeSpan.FromMinutes(15), 1, () => new PostStatusUpdate(IncidentStatus.Identified, "A reindex job saturates two index nodes; pausing it")),
            new("action-1", TimeSpan.FromMinutes(30), 1, () => new AddAction("Run reindex jobs off-peak only", users.Person(Person(2)), Due(searchAgo, 10), ActionPriority.Normal)),
            .. Recover(TimeSpan.FromMinutes(45), 1, search, "Reindex paused; p99 back to 300 ms"),
        ]);

        var leakAgo = TimeSpan.FromDays(4);
        var leak = Severity(0);
        yield return new DemoScript("leak", leakAgo, 3, new DeclareIncident("Deploy credentials printed in CI logs", leak, Type("security"), Private: true),
        [
            Role(TimeSpan.FromMinutes(1), 3, RoleKeys.Comms, 0, "role-comms"),
            new("update-1", TimeSpan.FromMinutes(6), 0, () => new PostStatusUpdate(IncidentStatus.Identified, "A debug flag printed the deploy key; the key is revoked and the logs purged")),
            new("action-1", TimeSpan.FromMinutes(20), 3, () => new AddAction("Mask secrets in CI output by default", users.Person(Person(3)), Due(leakAgo, 5), ActionPriority.Critical)),
            .. Recover(TimeSpan.FromMinutes(50), 3, leak, "Key rotated, logs purged, no use of the key found"),
        ]);

        var drillAgo = TimeSpan.FromDays(2);
        var drill = Severity(1);
        yield return new DemoScript("drill", drillAgo, 2, new DeclareIncident("Game day: primary database failover", drill, Type("availability"), false, Drill: true),
        [
            Role(TimeSpan.FromMinutes(1), 0, RoleKeys.Comms, 0, "claim-comms"),
            new("update-1", TimeSpan.FromMinutes(10), 0, () => new PostStatusUpdate(IncidentStatus.Monitoring, "Failover to the replica took 48 s; writes resumed")),
            .. Recover(TimeSpan.FromMinutes(25), 2, drill, "Failover rehearsed: 48 s of write downtime, inside the 2 minute target"),
        ]);
    }

    private sealed class DemoClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

/// <summary>One demo incident: its declaration <paramref name="Ago"/> before now by person <paramref name="Declarer"/>, then its steps.</summary>
internal sealed record DemoScript(string Key, TimeSpan Ago, int Declarer, DeclareIncident Declare, IReadOnlyList<DemoStep> Steps);

/// <summary>A command <paramref name="At"/> after the declaration, or (with <see cref="Pin"/>) a message said and pinned.</summary>
internal sealed record DemoStep(string Key, TimeSpan At, int Actor, Func<IncidentCommand?> Command)
{
    public (int Author, string Text)? Pin { get; init; }
}
