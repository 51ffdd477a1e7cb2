using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Tests.Commands;

public sealed class CommandParserTests
{
    private static readonly UserRef Actor = new("U0ACTOR", "actor");

    private static readonly CommandParser Parser = new(Options.Create(Defaults()));

    internal static IncidentOptions Defaults()
    {
        var options = new IncidentOptions
        {
            Severities = IncidentDefaults.Severities(),
            Types = IncidentDefaults.Types(),
            Roles = IncidentDefaults.Roles(),
            TriageChecklist = IncidentDefaults.TriageChecklist(),
            RecoveryChecklist = IncidentDefaults.RecoveryChecklist(),
            DefaultSeverity = "SEV4",
        };
        return options;
    }

    private static T Ok<T>(string text)
        where T : IncidentCommand
    {
        var result = Parser.Parse(text, Actor);
        Assert.True(result.Ok, $"'{text}' failed: {result.Error}");
        return Assert.IsType<T>(result.Command);
    }

    private static string Error(string text)
    {
        var result = Parser.Parse(text, Actor);
        Assert.False(result.Ok, $"'{text}' should fail");
        return result.Error!;
    }

    [Fact]
    public void Declare_SeverityTypePrivateAndTitle()
    {
        var d = Ok<DeclareIncident>("declare sev2 type:security private Checkout 5xx after deploy");

        Assert.Equal("SEV2", d.Severity);
        Assert.Equal("security", d.Type);
        Assert.True(d.Private);
        Assert.Equal("Checkout 5xx after deploy", d.Title);
    }

    [Fact]
    public void Declare_TitleOnly_LeavesDefaultsToTheService()
    {
        var d = Ok<DeclareIncident>("declare Checkout is down");

        Assert.Null(d.Severity);
        Assert.Null(d.Type);
        Assert.False(d.Private);
        Assert.Equal("Checkout is down", d.Title);
    }

    [Fact]
    public void Declare_OptionWordsAfterTheTitleStart_StayInTheTitle()
    {
        var d = Ok<DeclareIncident>("declare SEV1 Private data exposed in sev2 logs");

        Assert.Equal("SEV1", d.Severity);
        Assert.True(d.Private);
        Assert.Equal("data exposed in sev2 logs", d.Title);
    }

    [Fact]
    public void Declare_NoArguments_OpensTheForm() => Ok<OpenDeclareForm>("declare");

    [Theory]
    [InlineData("declare sev9 Something", "Unknown severity 'sev9'")]
    [InlineData("declare type:volcano Lava", "Unknown type 'volcano'")]
    [InlineData("declare sev2", "A title is required")]
    [InlineData("declare sev2 sev3 Title", "Severity given twice")]
    public void Declare_Mistakes_AreExplained(string text, string expected) =>
        Assert.Contains(expected, Error(text), StringComparison.Ordinal);

    [Fact]
    public void Declare_TooLongTitle_IsRefused() =>
        Assert.Contains("under 200", Error("declare " + new string('x', 201)), StringComparison.Ordinal);

    [Theory]
    [InlineData("role commander <@U123|alice>", "commander", "U123", "alice")]
    [InlineData("role ic <@U123>", "commander", "U123", null)]
    [InlineData("role lead <@U123>", "commander", "U123", null)]
    [InlineData("role comms <@U9|bob>", "comms", "U9", "bob")]
    [InlineData("role communications <@U9>", "comms", "U9", null)]
    [InlineData("role ops <@U7>", "ops", "U7", null)]
    [InlineData("role operations <@U7>", "ops", "U7", null)]
    [InlineData("role scribe <@U5>", "scribe", "U5", null)]
    [InlineData("assign Scribe <@U5>", "scribe", "U5", null)]
    public void Role_RolesAndAliases(string text, string role, string id, string? name)
    {
        var r = Ok<AssignRole>(text);

        Assert.Equal(role, r.Role);
        Assert.Equal(new UserRef(id, name), r.User);
    }

    [Fact]
    public void Role_Me_IsTheActor() => Assert.Equal(Actor, Ok<AssignRole>("role commander me").User);

    [Fact]
    public void Role_TeamsStyleIdsWithColons_AreKept() =>
        Assert.Equal("29:1abc-def", Ok<AssignRole>("role ops <@29:1abc-def|Dana Scully>").User.Id);

    [Theory]
    [InlineData("role", "needs a role and a user")]
    [InlineData("role commander", "needs a role and a user")]
    [InlineData("role janitor <@U1>", "Unknown role 'janitor'")]
    [InlineData("role commander alice", "is not a user")]
    [InlineData("handoff commander", "needs a role and a user")]
    public void Role_Mistakes_AreExplained(string text, string expected) =>
        Assert.Contains(expected, Error(text), StringComparison.Ordinal);

    [Fact]
    public void Handoff_ParsesRoleAndUser()
    {
        var h = Ok<Handoff>("handoff ic <@U2|carol>");

        Assert.Equal("commander", h.Role);
        Assert.Equal("U2", h.User.Id);
    }

    [Theory]
    [InlineData("sev sev1", "SEV1")]
    [InlineData("sev SEV3", "SEV3")]
    [InlineData("severity sev4", "SEV4")]
    public void Sev_Changes(string text, string expected) => Assert.Equal(expected, Ok<ChangeSeverity>(text).Severity);

    [Theory]
    [InlineData("sev", "needs one severity")]
    [InlineData("sev sev7", "Unknown severity 'sev7'")]
    [InlineData("sev sev1 sev2", "needs one severity")]
    public void Sev_Mistakes(string text, string expected) => Assert.Contains(expected, Error(text), StringComparison.Ordinal);

    [Theory]
    [InlineData("type performance", "performance")]
    [InlineData("type type:data-integrity", "data-integrity")]
    [InlineData("type Dependency", "dependency")]
    public void Type_Changes(string text, string expected) => Assert.Equal(expected, Ok<ChangeType>(text).Type);

    [Theory]
    [InlineData("type", "needs one type")]
    [InlineData("type weather", "Unknown type 'weather'")]
    public void Type_Mistakes(string text, string expected) => Assert.Contains(expected, Error(text), StringComparison.Ordinal);

    [Fact]
    public void SimpleCommands_Parse()
    {
        Ok<ShowStatus>("status");
        Ok<ShowTimeline>("timeline");
        Ok<ListIncidents>("list");
        Ok<ShowHelp>("help");
        Ok<ShowHelp>("");
        Ok<ListActions>("actions");
        Ok<Postmortem>("postmortem");
        Ok<Close>("close");
        Ok<OpenUpdateForm>("update");
    }

    [Theory]
    [InlineData("status now")]
    [InlineData("timeline please")]
    [InlineData("list all")]
    [InlineData("close it")]
    [InlineData("actions 2")]
    [InlineData("postmortem now")]
    public void SimpleCommands_WithArguments_AreRefused(string text) =>
        Assert.Contains("takes no arguments", Error(text), StringComparison.Ordinal);

    [Fact]
    public void Help_Topic_IsKept() => Assert.Equal("declare", Ok<ShowHelp>("help declare").Topic);

    [Theory]
    [InlineData("update identified Bad config in 4.2", IncidentStatus.Identified, "Bad config in 4.2")]
    [InlineData("update monitoring Rolled back", IncidentStatus.Monitoring, "Rolled back")]
    [InlineData("update investigating Still looking", IncidentStatus.Investigating, "Still looking")]
    [InlineData("update triage Looking", IncidentStatus.Investigating, "Looking")]
    public void Update_WithStatus(string text, IncidentStatus status, string body)
    {
        var u = Ok<PostStatusUpdate>(text);

        Assert.Equal(status, u.Status);
        Assert.Equal(body, u.Text);
    }

    [Fact]
    public void Update_WithoutStatus_KeepsCurrent()
    {
        var u = Ok<PostStatusUpdate>("update Error rate dropping");

        Assert.Null(u.Status);
        Assert.Equal("Error rate dropping", u.Text);
    }

    [Theory]
    [InlineData("update monitoring", "needs the text")]
    [InlineData("update resolved all good", "Use 'resolve'")]
    public void Update_Mistakes(string text, string expected) => Assert.Contains(expected, Error(text), StringComparison.Ordinal);

    [Fact]
    public void Note_And_Mitigate_KeepTheText()
    {
        Assert.Equal("Saw spikes on db-3", Ok<AddNote>("note Saw spikes on db-3").Text);
        Assert.Equal("Rolled back to 4.1", Ok<RecordMitigation>("mitigate Rolled back to 4.1").Text);
    }

    [Theory]
    [InlineData("note", "'note' needs text")]
    [InlineData("mitigate", "'mitigate' needs text")]
    public void Note_And_Mitigate_NeedText(string text, string expected) => Assert.Contains(expected, Error(text), StringComparison.Ordinal);

    [Theory]
    [InlineData("freeze", true)]
    [InlineData("freeze on", true)]
    [InlineData("freeze OFF", false)]
    public void Freeze(string text, bool on) => Assert.Equal(on, Ok<SetFreeze>(text).On);

    [Fact]
    public void Freeze_Nonsense_IsRefused() => Assert.Contains("takes on or off", Error("freeze maybe"), StringComparison.Ordinal);

    [Fact]
    public void Action_AllOptions()
    {
        var a = Ok<AddAction>("action Add alerting on queue depth <@U55|erin> due:2026-12-31 critical");

        Assert.Equal("Add alerting on queue depth", a.Text);
        Assert.Equal(new UserRef("U55", "erin"), a.Owner);
        Assert.Equal(new DateOnly(2026, 12, 31), a.Due);
        Assert.Equal(ActionPriority.Critical, a.Priority);
    }

    [Fact]
    public void Action_OptionsInAnyTrailingOrder()
    {
        var a = Ok<AddAction>("action Fix retry storm high due:2027-01-05 <@U1>");

        Assert.Equal("Fix retry storm", a.Text);
        Assert.Equal(ActionPriority.High, a.Priority);
        Assert.Equal("U1", a.Owner!.Id);
    }

    [Fact]
    public void Action_PriorityWordInsideText_StaysText()
    {
        var a = Ok<AddAction>("action Investigate high latency on checkout");

        Assert.Equal("Investigate high latency on checkout", a.Text);
        Assert.Equal(ActionPriority.Normal, a.Priority);
        Assert.Null(a.Owner);
        Assert.Null(a.Due);
    }

    [Theory]
    [InlineData("action", "needs a description")]
    [InlineData("action <@U1> critical", "needs a description")]
    [InlineData("action Fix it due:31-12-2026", "is not a date")]
    [InlineData("action Fix it due:2026-02-30", "is not a date")]
    public void Action_Mistakes(string text, string expected) => Assert.Contains(expected, Error(text), StringComparison.Ordinal);

    [Theory]
    [InlineData("done 3", 3)]
    [InlineData("done #12", 12)]
    [InlineData("complete 1", 1)]
    public void Done_Number(string text, int n) => Assert.Equal(n, Ok<CompleteAction>(text).Number);

    [Theory]
    [InlineData("done")]
    [InlineData("done x")]
    [InlineData("done 0")]
    [InlineData("done -1")]
    [InlineData("done 1 2")]
    public void Done_Mistakes(string text) => Error(text);

    [Fact]
    public void Resolve_WithSummary_Without_AndForced()
    {
        Assert.Null(Ok<Resolve>("resolve").Summary);
        Assert.Equal("Rolled back bad deploy", Ok<Resolve>("resolve Rolled back bad deploy").Summary);
        var forced = Ok<Resolve>("resolve --force SLO dashboards are down, verified by hand");
        Assert.True(forced.Force);
        Assert.Equal("SLO dashboards are down, verified by hand", forced.ForceReason);
    }

    [Fact]
    public void Resolve_ForceWithoutReason_IsRefused() => Assert.Contains("needs a reason", Error("resolve --force"), StringComparison.Ordinal);

    [Fact]
    public void UnknownCommand_ShowsUsage()
    {
        var error = Error("explode now");

        Assert.Contains("Unknown command 'explode'", error, StringComparison.Ordinal);
        // Generated from the configured severities (the defaults here), not hard-coded.
        Assert.Contains("declare [sev1|sev2|sev3|sev4]", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verbs_AreCaseInsensitive() => Ok<DeclareIncident>("DECLARE SEV2 Outage");

    [Fact]
    public void CommandsThatNeedAnIncident_SaySo()
    {
        Assert.False(Ok<DeclareIncident>("declare x").NeedsIncident);
        Assert.False(Ok<ListIncidents>("list").NeedsIncident);
        Assert.False(Ok<ShowHelp>("help").NeedsIncident);
        Assert.True(Ok<AddNote>("note x").NeedsIncident);
        Assert.True(Ok<Resolve>("resolve").NeedsIncident);
    }

    [Fact]
    public void ConfiguredSeverityNames_AreTheGrammar()
    {
        var options = Defaults();
        options.Severities = [new() { Name = "P1", UpdateCadence = TimeSpan.FromMinutes(10) }, new() { Name = "P2", UpdateCadence = TimeSpan.FromMinutes(30) }];
        var parser = new CommandParser(Options.Create(options));

        var result = parser.Parse("declare p1 Payments down", Actor);

        Assert.Equal("P1", Assert.IsType<DeclareIncident>(result.Command).Severity);
        Assert.False(parser.Parse("sev sev1", Actor).Ok);
    }
}
