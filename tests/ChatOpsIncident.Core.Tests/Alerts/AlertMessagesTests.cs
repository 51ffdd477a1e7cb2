using ChatOpsIncident.Core.Alerts;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Interactions;

namespace ChatOpsIncident.Core.Tests.Alerts;

public sealed class AlertMessagesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly UserRef Carol = new("U0CAROL01", "carol");
    private readonly Core.Configuration.IncidentOptions _options = Cadence.TestOptions.Create();

    private static AlertGroup Group(int n) => new(
        Guid.CreateVersion7(Now.AddSeconds(n)), "prom", $"group-{n}", $"Alert {n}", "desc", AlertStatus.Firing, AlertGroupStates.Carded, 1, null,
        new AlertRoute(AlertActions.Prompt, "SEV2", null, null), Now, [new ChatLink("Source", "https://prom.example/graph")], Now, Now, null);

    [Fact]
    public void Card_OneGroup_DeclareAttachDismiss_WhoseClicksDecodeToAlertCommands()
    {
        var open = new Incident { Id = Guid.CreateVersion7(Now), Number = 7, Title = "t", Severity = "SEV2", Type = "availability", Platform = "slack", DeclaredBy = Carol };
        var g = Group(1);

        var card = AlertMessages.Card([g], [open]);

        Assert.Equal([ChatActions.AlertDeclare, ChatActions.AlertAttach, ChatActions.AlertDismiss], card.Actions.Select(a => a.ActionId));
        Assert.Equal("Attach to INC-7", card.Actions[1].Label);
        Assert.Equal(new DeclareFromAlert(g.Id), ButtonValues.Decode(card.Actions[0].ActionId, card.Actions[0].Value, Carol, _options)!.Command);
        Assert.Equal(new AttachAlert(g.Id, open.Id), ButtonValues.Decode(card.Actions[1].ActionId, card.Actions[1].Value, Carol, _options)!.Command);
        Assert.Equal(new DismissAlert(g.Id), ButtonValues.Decode(card.Actions[2].ActionId, card.Actions[2].Value, Carol, _options)!.Command);
        Assert.Contains(card.Fields, f => f.Label == "Firing since" && f.Value == "2026-03-01 10:00 UTC");
    }

    [Fact]
    public void Card_AStorm_IsOneCard_ListingEveryGroup_ButtonsForTheFirstFew()
    {
        var groups = Enumerable.Range(1, 30).Select(Group).ToList();

        var card = AlertMessages.Card(groups, []);

        Assert.Equal("🚨 30 alert groups fired", card.Title);
        var bullets = Assert.Single(card.Sections).Bullets!;
        Assert.Equal(21, bullets.Count);
        Assert.Equal("… and 10 more", bullets[^1]);
        Assert.Equal(AlertMessages.GroupsWithButtons * 2, card.Actions.Count);
    }

    [Fact]
    public void Nudge_MentionsTheCommander_AndOffersTheRecoveryChecklist()
    {
        var id = Guid.CreateVersion7(Now);

        var nudge = AlertMessages.Nudge(id, Carol);

        Assert.Equal("<@U0CAROL01|carol> all alerts resolved — run the recovery checklist?", nudge.Text);
        Assert.Equal(new Resolve(null), ButtonValues.Decode(nudge.Actions[0].ActionId, nudge.Actions[0].Value, Carol, _options)!.Command);
    }
}
