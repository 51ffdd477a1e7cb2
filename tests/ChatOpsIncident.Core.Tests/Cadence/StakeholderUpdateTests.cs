using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.TestSupport;
using static ChatOpsIncident.Core.Tests.Cadence.CadenceWorld;

namespace ChatOpsIncident.Core.Tests.Cadence;

/// <summary>Status updates: one internal post in the incident channel, one stakeholder post per configured channel, each queued once.</summary>
public sealed class StakeholderUpdateTests : DatabaseTest
{
    private CadenceWorld World() => new(Db, o => o.Severities[1].Stakeholders = ["CEXEC", "CSUPPORT", "CEXEC", " "]);

    [Fact]
    public async Task Update_FansOutOncePerStakeholderChannel_WithTheAudienceTemplates()
    {
        var w = World();
        var incident = await w.DeclareAsync("SEV2");
        var ctx = w.Context(Bob, incident.ChannelId);
        var result = await w.Incidents.ExecuteOnAsync(ctx, incident.Id, new PostStatusUpdate(IncidentStatus.Identified, "A bad config push; rolling back"), CancellationToken.None);
        Assert.Contains("2 stakeholder channel(s)", result.Reply!.Text, StringComparison.Ordinal);

        var posts = (await w.OutboxAsync($"cmd:slack:{ctx.DeliveryId}:")).Where(m => m.Operation == OutboxOperations.Post).ToList();
        var internalPost = Assert.Single(posts, p => p.ChannelId == incident.ChannelId);
        Assert.StartsWith("📣", internalPost.Message!.Title, StringComparison.Ordinal);
        Assert.Contains(Bob.Mention, internalPost.Message.Context, StringComparison.Ordinal);

        var stakeholders = posts.Where(p => p.ChannelId != incident.ChannelId).OrderBy(p => p.ChannelId).ToList();
        Assert.Equal(["CEXEC", "CSUPPORT"], stakeholders.Select(p => p.ChannelId));
        Assert.Equal(stakeholders.Count, stakeholders.Select(p => p.Key).Distinct().Count());
        var message = stakeholders[0].Message!;
        Assert.Equal("identified", message.Fields.Single(f => f.Label == "Status").Value);
        Assert.Equal(w.Options.Severities[1].Description, message.Fields.Single(f => f.Label == "Impact").Value);
        Assert.Equal($"Next update by {IncidentMessages.Time(result.Incident!.NextUpdateDue)}", message.Context);
        // Stakeholders get no mention tokens and no responder buttons.
        Assert.DoesNotContain("<@", message.Text, StringComparison.Ordinal);
        Assert.Empty(message.Actions);
    }

    [Fact]
    public async Task SameDelivery_RunTwice_QueuesNothingTwice()
    {
        var w = World();
        var incident = await w.DeclareAsync("SEV2");
        var ctx = w.Context(Bob, incident.ChannelId);
        var command = new PostStatusUpdate(null, "Investigating elevated 5xx");
        await w.Incidents.ExecuteOnAsync(ctx, incident.Id, command, CancellationToken.None);
        var before = (await w.OutboxAsync()).Count;

        var again = await w.Incidents.ExecuteOnAsync(ctx, incident.Id, command, CancellationToken.None);
        Assert.Contains("already applied", again.Reply!.Text, StringComparison.Ordinal);
        Assert.Equal(before, (await w.OutboxAsync()).Count);
        var record = await w.Store.GetAsync(incident.Id, CancellationToken.None);
        Assert.Single(record!.Updates);
    }

    [Fact]
    public async Task Resolve_TellsStakeholders_NoFurtherUpdates()
    {
        var w = World();
        var incident = await w.DeclareAsync("SEV2");
        await w.RunAsync(incident, new Resolve("Rolled back", Force: true, ForceReason: "test"));
        // The declaration notice went there too (inc: key); the resolution is the command's.
        var toExec = (await w.OutboxAsync("cmd:")).Where(m => m.ChannelId == "CEXEC").ToList();
        var resolved = Assert.Single(toExec);
        Assert.Equal("resolved", resolved.Message!.Fields.Single(f => f.Label == "Status").Value);
        Assert.Contains("no further updates", resolved.Message.Context, StringComparison.Ordinal);
    }
}
