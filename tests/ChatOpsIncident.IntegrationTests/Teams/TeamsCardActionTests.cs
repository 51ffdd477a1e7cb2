using System.Net;
using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.IntegrationTests.Teams.Support;
using ChatOpsIncident.Teams.Testing;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.IntegrationTests.Teams;

/// <summary>
/// Clicks on the bot's Adaptive Cards, as Teams delivers them (adaptiveCard/action invokes, and Action.Submit messages
/// from older clients), through the whole host: each click changes PostgreSQL once even when Teams redelivers it.
/// </summary>
public sealed class TeamsCardActionTests : IAsyncLifetime
{
    private TeamsScenario _teams = null!;
    private string _channel = "";
    private string _kickoff = "";
    private string _thread = "";
    private Guid _incident;

    public async Task InitializeAsync()
    {
        _teams = await TeamsScenario.StartAsync();
        _channel = await _teams.DeclareAsync();
        _kickoff = await _teams.KickoffIdAsync();
        _thread = $"{_channel};messageid={_kickoff}";
        _incident = await _teams.Db.ScalarAsync<Guid>("SELECT id FROM chatops.incidents");
        // Declaration, kickoff, announcement and the declarer's answer are out before the clicks start.
        await _teams.InboxDrainedAsync(1, "the declaration is processed");
        await RecordingChatPlatform.WaitUntilAsync(() => OutboxPending() == 0, TimeSpan.FromSeconds(20), "the declaration's messages are out");
    }

    public async Task DisposeAsync() => await _teams.DisposeAsync();

    private long OutboxPending() => _teams.Db.ScalarAsync<long>("SELECT count(*) FROM chatops.outbox WHERE status = 'pending'").GetAwaiter().GetResult();

    /// <summary>Sends the activity twice (the Connector redelivers), both answered 200; returns the first answer's body.</summary>
    private async Task<JsonNode?> SendTwiceAsync(JsonNode activity)
    {
        var first = await _teams.SendAsync(activity);
        var second = await _teams.SendAsync(activity);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var text = await first.Content.ReadAsStringAsync();
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    private Task ProcessedAsync(string kind, int count) =>
        RecordingChatPlatform.WaitUntilAsync(
            () => _teams.Db.ScalarAsync<long>("SELECT count(*) FROM chatops.inbox WHERE kind = @kind AND status = 'done'", ("kind", kind)).GetAwaiter().GetResult() >= count,
            TimeSpan.FromSeconds(20),
            $"{count} {kind} activities processed");

    private IReadOnlyList<JsonNode> KickoffUpdates() =>
        _teams.Stub.Requests("PUT", "/amer/v3/conversations/")
            .Where(e => e.RequestMessage!.Path.EndsWith("/activities/" + _kickoff, StringComparison.Ordinal))
            .Select(BotFrameworkStub.Body).ToList();

    private IReadOnlyList<JsonNode> ThreadSends() =>
        _teams.Stub.ConversationSends().Where(s => s.ConversationId == _thread).Select(s => s.Body).ToList();

    [Fact]
    public async Task ClaimRole_TheClickingUserHoldsIt_KickoffCardUpdated_OnceDespiteRedelivery()
    {
        var click = _teams.CardClick("f:claim-comms-1", _thread, ChatActions.ClaimRole, $"{_incident}|comms", TeamsScenario.Nestor);

        var answer = await SendTwiceAsync(click);

        Assert.Equal("application/vnd.microsoft.activity.message", answer!["type"]!.GetValue<string>());
        Assert.Contains("Communications Lead", answer["value"]!.GetValue<string>(), StringComparison.Ordinal);
        await ProcessedAsync("invoke:adaptiveCard/action", 1);
        await RecordingChatPlatform.WaitUntilAsync(
            () => KickoffUpdates().Any(u => BotFrameworkStub.CardText(u).Contains("Communications Lead: <at>Nestor Wilke</at>", StringComparison.Ordinal)),
            because: "the kickoff card shows the new holder");
        await Task.Delay(1000);

        Assert.Equal(TeamsScenario.NestorAad, await _teams.Db.ScalarAsync<string>("SELECT holder_id FROM chatops.roles WHERE role = 'comms' AND relieved_at IS NULL"));
        Assert.Equal("Nestor Wilke", await _teams.Db.ScalarAsync<string>("SELECT holder_name FROM chatops.roles WHERE role = 'comms'"));
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.roles WHERE role = 'comms'"));
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.audit WHERE field = 'role:comms'"));
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.inbox WHERE kind = 'invoke:adaptiveCard/action'"));
        var update = KickoffUpdates().Last(u => BotFrameworkStub.CardText(u).Contains("Nestor Wilke", StringComparison.Ordinal));
        Assert.Equal(_kickoff, update["id"]!.GetValue<string>());
        Assert.Contains(update["attachments"]![0]!["content"]!["msteams"]!["entities"]!.AsArray(), e => e!["mentioned"]!["id"]!.GetValue<string>() == TeamsScenario.NestorAad);
        // The claim button for the role is gone from the updated card.
        Assert.DoesNotContain(update["attachments"]![0]!["content"]!["actions"]!.AsArray(), a => a!["data"]!["value"]!.GetValue<string>() == $"{_incident}|comms");
    }

    [Fact]
    public async Task ChecklistTick_ByInvokeAndBySubmit_EachTicksOnce_KickoffShowsThem()
    {
        var invoke = _teams.CardClick("f:tick-triage-0", _thread, ChatActions.ToggleChecklist, $"{_incident}|triage|0", TeamsScenario.Megan);
        var submit = _teams.SubmitClick("1741946000001", _thread, ChatActions.ToggleChecklist, $"{_incident}|triage|1", TeamsScenario.Nestor);

        var answer = await SendTwiceAsync(invoke);
        await SendTwiceAsync(submit);

        Assert.Contains("Checklist updated", answer!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        await ProcessedAsync("invoke:adaptiveCard/action", 1);
        await RecordingChatPlatform.WaitUntilAsync(
            () => _teams.Db.ScalarAsync<long>("SELECT count(*) FROM chatops.checklist WHERE checklist = 'triage' AND done_at IS NOT NULL").GetAwaiter().GetResult() == 2,
            because: "both items are ticked");
        try
        {
            await RecordingChatPlatform.WaitUntilAsync(
                () => KickoffUpdates().Any(u => BotFrameworkStub.CardText(u) is var t
                    && t.Contains("✅ Confirm the impact and who is affected — <at>Megan Bowen</at>", StringComparison.Ordinal)
                    && t.Contains("✅ Set the severity and type — <at>Nestor Wilke</at>", StringComparison.Ordinal)),
                because: "the kickoff card shows both ticks");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(ex.Message + "\n" + string.Join("\n----\n", KickoffUpdates().Select(u => BotFrameworkStub.CardText(u))) + "\n" + _teams.Outbox(), ex);
        }
        await ProcessedAsync("message", 2);
        await Task.Delay(1000);

        // A toggle run twice would untick: the redeliveries must not have reached the core.
        Assert.Equal(TeamsScenario.MeganAad, await _teams.Db.ScalarAsync<string>("SELECT done_by_id FROM chatops.checklist WHERE checklist = 'triage' AND idx = 0 AND done_at IS NOT NULL"));
        Assert.Equal(TeamsScenario.NestorAad, await _teams.Db.ScalarAsync<string>("SELECT done_by_id FROM chatops.checklist WHERE checklist = 'triage' AND idx = 1 AND done_at IS NOT NULL"));
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.audit WHERE field = 'checklist:triage:0'"));
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.audit WHERE field = 'checklist:triage:1'"));
    }

    [Fact]
    public async Task Snooze_MovesTheDueTimeOnce()
    {
        var dueBefore = await _teams.Db.ScalarAsync<DateTime>("SELECT next_update_due FROM chatops.incidents");
        var click = _teams.CardClick("f:snooze-1", _thread, ChatActions.Snooze, $"{_incident}|10", TeamsScenario.Megan);

        var answer = await SendTwiceAsync(click);

        Assert.Contains("Snoozing", answer!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        await ProcessedAsync("invoke:adaptiveCard/action", 1);
        await RecordingChatPlatform.WaitUntilAsync(
            () => _teams.Db.ScalarAsync<long>("SELECT count(*) FROM chatops.audit WHERE field = 'next_update_due'").GetAwaiter().GetResult() == 1,
            because: "the snooze is recorded");
        await Task.Delay(1000);

        var dueAfter = await _teams.Db.ScalarAsync<DateTime>("SELECT next_update_due FROM chatops.incidents");
        var snoozedAt = await _teams.Db.ScalarAsync<DateTime>("SELECT at FROM chatops.audit WHERE field = 'next_update_due'");
        Assert.Equal(snoozedAt.AddMinutes(10), dueAfter, TimeSpan.FromSeconds(1));
        Assert.NotEqual(dueBefore, dueAfter);
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.audit WHERE field = 'next_update_due'"));
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'reminder' AND text LIKE '%snoozed%'"));
    }

    [Fact]
    public async Task UpdateForm_OpensOnce_SubmitByActionSubmitAndByInvoke_ReachesStakeholders_EachOnce()
    {
        var open = _teams.CardClick("f:open-form-1", _thread, ChatActions.OpenUpdateForm, _incident.ToString(), TeamsScenario.Nestor);

        var opened = await SendTwiceAsync(open);

        Assert.Contains("form", opened!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        await RecordingChatPlatform.WaitUntilAsync(() => ThreadSends().Any(s => s.ToJsonString().Contains("update_submit", StringComparison.Ordinal)), because: "the form is posted in the thread");
        await ProcessedAsync("invoke:adaptiveCard/action", 1);
        await Task.Delay(1000);
        var form = Assert.Single(ThreadSends(), s => s.ToJsonString().Contains("update_submit", StringComparison.Ordinal));
        var submitAction = form["attachments"]![0]!["content"]!["actions"]![0]!;
        Assert.Equal("Action.Execute", submitAction["type"]!.GetValue<string>());
        Assert.Equal(_incident.ToString(), submitAction["data"]!["value"]!.GetValue<string>());
        Assert.Equal("Action.Submit", submitAction["fallback"]!["type"]!.GetValue<string>());

        // An older client: Action.Submit, the card's data merged with the inputs, as a message activity.
        var submitted = _teams.SubmitClick("1741946100001", _thread, "update_submit", _incident.ToString(), TeamsScenario.Nestor,
            new JsonObject { ["status"] = "identified", ["text"] = "Bad deploy 2025.03.14-2 found; rolling back" });
        await SendTwiceAsync(submitted);
        await RecordingChatPlatform.WaitUntilAsync(() => _teams.PostsTo(TeamsScenario.Stakeholders, "Bad deploy 2025.03.14-2 found; rolling back").Count > 0, because: "stakeholders get the update");

        // A current client: Action.Execute with the inputs in the invoke's data; the answer replaces the form.
        var executed = _teams.CardClick("f:submit-update-2", _thread, "update_submit", _incident.ToString(), TeamsScenario.Nestor,
            new JsonObject { ["status"] = "monitoring", ["text"] = "Rollback done; error rate back to baseline" });
        var answer = await SendTwiceAsync(executed);
        Assert.Equal("application/vnd.microsoft.card.adaptive", answer!["type"]!.GetValue<string>());
        Assert.Contains("Rollback done", BotFrameworkStub.CardText(answer["value"]!), StringComparison.Ordinal);
        await RecordingChatPlatform.WaitUntilAsync(() => _teams.PostsTo(TeamsScenario.Stakeholders, "Rollback done; error rate back to baseline").Count > 0, because: "stakeholders get the second update");
        await ProcessedAsync("invoke:adaptiveCard/action", 2);
        await ProcessedAsync("message", 2);
        await Task.Delay(1500);

        Assert.Single(_teams.PostsTo(TeamsScenario.Stakeholders, "Bad deploy 2025.03.14-2 found; rolling back"));
        Assert.Single(_teams.PostsTo(TeamsScenario.Stakeholders, "Rollback done; error rate back to baseline"));
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.status_updates WHERE text = 'Bad deploy 2025.03.14-2 found; rolling back' AND status = 'identified'"));
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.status_updates WHERE text = 'Rollback done; error rate back to baseline' AND status = 'monitoring'"));
        Assert.Equal(TeamsScenario.NestorAad, await _teams.Db.ScalarAsync<string>("SELECT author_id FROM chatops.status_updates WHERE status = 'monitoring'"));
        Assert.Equal("monitoring", await _teams.Db.ScalarAsync<string>("SELECT status FROM chatops.incidents"));
    }

    [Fact]
    public async Task UpdateForm_SubmittedEmpty_IsRefusedInTheInvokeAnswer_AndChangesNothing()
    {
        var executed = _teams.CardClick("f:submit-empty", _thread, "update_submit", _incident.ToString(), TeamsScenario.Nestor, new JsonObject { ["status"] = "identified" });

        var answer = await SendTwiceAsync(executed);

        Assert.Equal("application/vnd.microsoft.error", answer!["type"]!.GetValue<string>());
        Assert.Equal(400, answer["statusCode"]!.GetValue<int>());
        await ProcessedAsync("invoke:adaptiveCard/action", 1);
        await Task.Delay(500);
        Assert.Equal(0, await _teams.CountAsync("SELECT count(*) FROM chatops.status_updates"));
        Assert.Equal("investigating", await _teams.Db.ScalarAsync<string>("SELECT status FROM chatops.incidents"));
    }

    [Fact]
    public async Task Resolve_AsksForTheRecoveryChecklist_TickedFromItsCard_ThenResolvesOnce()
    {
        var firstTry = _teams.CardClick("f:resolve-1", _thread, ChatActions.Resolve, _incident.ToString(), TeamsScenario.Megan);

        await SendTwiceAsync(firstTry);

        await RecordingChatPlatform.WaitUntilAsync(() => ThreadSends().Any(s => BotFrameworkStub.CardText(s).Contains("Recovery checklist", StringComparison.Ordinal)), because: "the recovery checklist is posted");
        await ProcessedAsync("invoke:adaptiveCard/action", 1);
        Assert.Equal("investigating", await _teams.Db.ScalarAsync<string>("SELECT status FROM chatops.incidents"));
        var checklistCard = ThreadSends().Single(s => BotFrameworkStub.CardText(s).Contains("Recovery checklist", StringComparison.Ordinal));
        var ticks = Descendants(checklistCard).Where(n => n["verb"]?.GetValue<string>() == ChatActions.ToggleChecklist).Select(n => n["data"]!["value"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(ticks);
        Assert.All(ticks, v => Assert.StartsWith($"{_incident}|recovery|", v, StringComparison.Ordinal));

        var n = 0;
        foreach (var value in ticks)
        {
            await SendTwiceAsync(_teams.CardClick($"f:tick-recovery-{n++}", _thread, ChatActions.ToggleChecklist, value, TeamsScenario.Megan));
        }

        await ProcessedAsync("invoke:adaptiveCard/action", 1 + ticks.Count);
        var secondTry = _teams.CardClick("f:resolve-2", _thread, ChatActions.Resolve, _incident.ToString(), TeamsScenario.Megan);
        await SendTwiceAsync(secondTry);
        await RecordingChatPlatform.WaitUntilAsync(
            () => _teams.Db.ScalarAsync<string>("SELECT status FROM chatops.incidents").GetAwaiter().GetResult() == "resolved",
            because: "the second resolve goes through");
        await RecordingChatPlatform.WaitUntilAsync(() => _teams.PostsTo(TeamsScenario.Stakeholders, "resolved").Count > 0, because: "stakeholders hear it is resolved");
        await Task.Delay(1500);

        Assert.Equal(ticks.Count, await _teams.CountAsync("SELECT count(*) FROM chatops.checklist WHERE checklist = 'recovery' AND done_at IS NOT NULL"));
        Assert.Equal(ticks.Count, await _teams.CountAsync("SELECT count(*) FROM chatops.audit WHERE field LIKE 'checklist:recovery:%'"));
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.timeline WHERE kind = 'resolved'"));
        Assert.Equal(1, await _teams.CountAsync("SELECT count(*) FROM chatops.status_updates WHERE status = 'resolved'"));
        Assert.Equal(0, await _teams.CountAsync("SELECT count(*) FROM chatops.audit WHERE field = 'recovery_override'"));
        Assert.Single(ThreadSends(), s => BotFrameworkStub.CardText(s).Contains("Recovery checklist", StringComparison.Ordinal));
    }

    private static IEnumerable<JsonObject> Descendants(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(kv => Descendants(kv.Value)).Prepend(o),
        JsonArray a => a.SelectMany(Descendants),
        _ => [],
    };
}
