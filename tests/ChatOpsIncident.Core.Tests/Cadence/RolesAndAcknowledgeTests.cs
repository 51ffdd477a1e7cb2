using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Review;
using ChatOpsIncident.TestSupport;
using static ChatOpsIncident.Core.Tests.Cadence.CadenceWorld;

namespace ChatOpsIncident.Core.Tests.Cadence;

/// <summary>Role briefings by DM, unassign and leave; the Acknowledge button and what it does to time-to-acknowledge.</summary>
public sealed class RolesAndAcknowledgeTests : DatabaseTest
{
    [Fact]
    public async Task AssignRole_SendsTheRoleDescriptionToTheNewHolderByDm_OncePerDelivery()
    {
        var w = new CadenceWorld(Db);
        var incident = await w.DeclareAsync("SEV2");
        var ctx = w.Context(Alice, incident.ChannelId);
        await w.Incidents.ExecuteOnAsync(ctx, incident.Id, new AssignRole(RoleKeys.Comms, Bob), CancellationToken.None);
        await w.Incidents.ExecuteOnAsync(ctx, incident.Id, new AssignRole(RoleKeys.Comms, Bob), CancellationToken.None);
        var dm = Assert.Single(await w.OutboxAsync(), m => m.Operation == OutboxOperations.DirectMessage);
        Assert.Equal(Bob, Assert.Single(dm.Users));
        var description = w.Options.FindRole(RoleKeys.Comms)!.Description;
        Assert.False(string.IsNullOrWhiteSpace(description));
        Assert.Contains(description, dm.Message!.Text, StringComparison.Ordinal);
        Assert.Contains("Communications Lead", dm.Message.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unassign_FreesTheRole_Audited_UnassignAFreeRoleIsRefused()
    {
        var w = new CadenceWorld(Db);
        var incident = await w.DeclareAsync("SEV2");
        await w.RunAsync(incident, new AssignRole(RoleKeys.Ops, Bob));
        await w.RunAsync(incident, new Unassign(RoleKeys.Ops));
        var record = await w.Store.GetAsync(incident.Id, CancellationToken.None);
        Assert.Null(record!.Holder(RoleKeys.Ops));
        Assert.Contains(record.Timeline, e => e.Text.Contains($"{Bob.Mention} is no longer Operations", StringComparison.Ordinal));

        var again = await w.Incidents.ExecuteOnAsync(w.Context(Alice, incident.ChannelId), incident.Id, new Unassign(RoleKeys.Ops), CancellationToken.None);
        Assert.True(again.Refused);
        Assert.Contains("Nobody holds", again.Reply!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leave_DropsEveryRoleOfTheActor_OnlyTheirs_RefusedWhenTheyHoldNone()
    {
        var w = new CadenceWorld(Db);
        var incident = await w.DeclareAsync("SEV2", by: Alice);
        await w.RunAsync(incident, new AssignRole(RoleKeys.Ops, Bob));
        await w.RunAsync(incident, new AssignRole(RoleKeys.Scribe, Bob));
        await w.RunAsync(incident, new AssignRole(RoleKeys.Comms, Carol));
        await w.RunAsync(incident, new LeaveRoles(), Bob);
        var record = await w.Store.GetAsync(incident.Id, CancellationToken.None);
        Assert.Null(record!.Holder(RoleKeys.Ops));
        Assert.Null(record.Holder(RoleKeys.Scribe));
        Assert.Equal(Carol, record.Holder(RoleKeys.Comms));
        Assert.Equal(Alice, record.Holder(RoleKeys.Commander));

        var none = await w.Incidents.ExecuteOnAsync(w.Context(Bob, incident.ChannelId), incident.Id, new LeaveRoles(), CancellationToken.None);
        Assert.True(none.Refused);
    }

    [Fact]
    public void Parser_UnassignLeave_AndTheirErrors()
    {
        var parser = new CommandParser(Microsoft.Extensions.Options.Options.Create(TestOptions.Create()));
        Assert.Equal(new Unassign(RoleKeys.Comms), parser.Parse("unassign communications", Alice).Command);
        Assert.IsType<LeaveRoles>(parser.Parse("leave", Alice).Command);
        Assert.Contains("Unknown role 'cook'", parser.Parse("unassign cook", Alice).Error, StringComparison.Ordinal);
        Assert.False(parser.Parse("leave now", Alice).Ok);
        // Without named services the whole text is the reason.
        Assert.Equal(new PageOnCall(null, "db down hard"), parser.Parse("page db down hard", Alice).Command);
        Assert.False(parser.Parse("page", Alice).Ok);
    }

    private static async Task<Incident> AlertOpenedAsync(CadenceWorld w, string delivery = "alert-1")
    {
        var ctx = new CommandContext("slack", Surfaces.Api, new UserRef("alertmanager", "Alertmanager"), null, delivery);
        var result = await w.Incidents.DeclareAsync(ctx, new DeclareIncident("Error rate high", "SEV2", null, false, Acknowledged: false), CancellationToken.None);
        Assert.False(result.Refused, result.Reply?.Text);
        return result.Incident!;
    }

    [Fact]
    public async Task AcknowledgeButton_OnTheKickoffOfAnAlertOpenedIncidentOnly_ClickSetsTheTimeOnce_Audited()
    {
        var w = new CadenceWorld(Db);
        var alert = await AlertOpenedAsync(w);
        var kickoff = Assert.Single(await w.OutboxAsync($"inc:{alert.Id}:kickoff")).Message!;
        var button = Assert.Single(kickoff.Actions, a => a.ActionId == ChatActions.Acknowledge);
        var person = await w.DeclareAsync("SEV2");
        Assert.DoesNotContain(Assert.Single(await w.OutboxAsync($"inc:{person.Id}:kickoff")).Message!.Actions, a => a.ActionId == ChatActions.Acknowledge);

        var intent = ChatOpsIncident.Core.Interactions.ButtonValues.Decode(button.ActionId, button.Value, Bob, w.Options)!;
        Assert.IsType<Acknowledge>(intent.Command);
        w.Time.Advance(TimeSpan.FromMinutes(3));
        var clickedAt = w.Time.GetUtcNow();
        await w.RunAsync(alert, intent.Command, Bob);
        w.Time.Advance(TimeSpan.FromMinutes(1));
        var twice = await w.Incidents.ExecuteOnAsync(w.Context(Carol, alert.ChannelId), alert.Id, intent.Command, CancellationToken.None);
        Assert.True(twice.Refused);
        Assert.Contains("already acknowledged", twice.Reply!.Text, StringComparison.Ordinal);

        var record = await w.Store.GetAsync(alert.Id, CancellationToken.None);
        Assert.Equal(clickedAt, record!.Incident.AcknowledgedAt);
        Assert.Single(record.Timeline, e => e.Kind == TimelineKinds.Acknowledged);
        Assert.Single(await w.OutboxAsync($"inc:{alert.Id}:page-ack"));
        // The refreshed kickoff drops the button.
        var refreshed = (await w.OutboxAsync("cmd:")).Last(m => m.TargetKey == $"inc:{alert.Id}:kickoff").Message!;
        Assert.DoesNotContain(refreshed.Actions, a => a.ActionId == ChatActions.Acknowledge);
    }

    [Fact]
    public async Task Metrics_AlertOpenedIncidentAcknowledgedAfterThreeMinutes_MttaIsThreeMinutes_DeclinedAndMergedAreNotCounted()
    {
        var w = new CadenceWorld(Db);
        var alert = await AlertOpenedAsync(w, "alert-a");
        w.Time.Advance(TimeSpan.FromMinutes(3));
        await w.RunAsync(alert, new Acknowledge(), Bob);
        w.Time.Advance(TimeSpan.FromMinutes(10));
        // The alert's identity is the commander until someone takes it over.
        await w.RunAsync(alert, new Resolve("Rolled back", Force: true, ForceReason: "test"), new UserRef("alertmanager", "Alertmanager"));

        var ctx = new CommandContext("slack", Surfaces.Api, new UserRef("alertmanager", "Alertmanager"), null, "alert-b");
        var triaged = (await w.Incidents.DeclareAsync(ctx, new DeclareIncident("Flapping disk", "SEV2", null, false, Triage: true, Acknowledged: false), CancellationToken.None)).Incident!;
        w.Time.Advance(TimeSpan.FromMinutes(1));
        await w.RunAsync(triaged, new Decline("flapping check"), Bob);
        var duplicate = await w.DeclareAsync("SEV2");
        w.Time.Advance(TimeSpan.FromMinutes(20));
        var open = await w.DeclareAsync("SEV2");
        var merged = await w.Incidents.ExecuteAsync(w.Context(Alice, duplicate.ChannelId), new Merge(open.Number), CancellationToken.None);
        Assert.False(merged.Refused, merged.Reply?.Text);
        var records = new List<IncidentRecord>();
        foreach (var id in new[] { alert.Id, triaged.Id, duplicate.Id })
        {
            records.Add((await w.Store.GetAsync(id, CancellationToken.None))!);
        }

        Assert.Equal(IncidentStatus.Declined, records[1].Incident.Status);
        Assert.Equal(IncidentStatus.Merged, records[2].Incident.Status);
        var from = alert.DeclaredAt.AddHours(-1);
        var report = IncidentMetrics.Compute(records.Select(r => r.Incident), from, from.AddDays(1), w.Options);
        // The alert-opened incident alone is counted (the open one was never in the list; declined and merged are left out).
        Assert.Equal(1, report.Overall.Incidents);
        Assert.Equal(1, report.Overall.Acknowledge.Count);
        Assert.Equal(TimeSpan.FromMinutes(3), report.Overall.Acknowledge.Mean);
        // Declined and merged, counted on their own, are still nothing.
        var exits = IncidentMetrics.Compute(records.Skip(1).Select(r => r.Incident), from, from.AddDays(1), w.Options);
        Assert.Equal(0, exits.Overall.Incidents);
    }
}
