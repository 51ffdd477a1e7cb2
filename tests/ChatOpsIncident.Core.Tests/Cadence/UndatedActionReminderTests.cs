using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.TestSupport;
using static ChatOpsIncident.Core.Tests.Cadence.CadenceWorld;

namespace ChatOpsIncident.Core.Tests.Cadence;

/// <summary>Actions without a due date are reminded once a week to their owner (the commander if none), until dated or done.</summary>
public sealed class UndatedActionReminderTests : DatabaseTest
{
    [Fact]
    public async Task UndatedActions_RemindedWeekly_ToOwnerOrCommander_UntilDatedOrDone()
    {
        var w = new CadenceWorld(Db);
        var incident = await w.DeclareAsync("SEV3");
        await w.RunAsync(incident, new AddAction("Add a canary stage", Bob, null, ActionPriority.High));
        await w.RunAsync(incident, new AddAction("Write the runbook", null, null, ActionPriority.Normal));

        w.Time.Advance(TimeSpan.FromDays(6));
        Assert.Equal(0, await w.Cadence.RemindOverdueActionsAsync(CancellationToken.None));

        w.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(2, await w.Cadence.RemindOverdueActionsAsync(CancellationToken.None));
        var reminders = (await w.OutboxAsync("action:")).ToList();
        var toBob = reminders.Single(r => r.Key.Contains(":1:", StringComparison.Ordinal)).Message!;
        Assert.StartsWith(Bob.Mention + " follow-up #1 of INC-1 has no due date", toBob.Text, StringComparison.Ordinal);
        Assert.Contains("`/incident action 1 due:YYYY-MM-DD`", toBob.Text, StringComparison.Ordinal);
        Assert.StartsWith(Alice.Mention, reminders.Single(r => r.Key.Contains(":2:", StringComparison.Ordinal)).Message!.Text, StringComparison.Ordinal);

        // A day later: nothing (weekly, not daily like overdue ones); the first one dated, the second done.
        w.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await w.Cadence.RemindOverdueActionsAsync(CancellationToken.None));
        await w.RunAsync(incident, new EditAction(1, null, DateOnly.FromDateTime(w.Time.GetUtcNow().UtcDateTime).AddDays(30), null), Bob);
        await w.RunAsync(incident, new CompleteAction(2));

        w.Time.Advance(TimeSpan.FromDays(7));
        Assert.Equal(0, await w.Cadence.RemindOverdueActionsAsync(CancellationToken.None));
        Assert.Equal(2, (await w.OutboxAsync("action:")).Count);
    }
}
