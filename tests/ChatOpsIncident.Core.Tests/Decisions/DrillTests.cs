using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Review;
using ChatOpsIncident.Core.Tests.Commands;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Tests.Decisions;

/// <summary>
/// A drill (<c>declare drill …</c>) is an incident in every way but two: it says DRILL wherever it shows, and no
/// metric counts it. The rules, without a database.
/// </summary>
public sealed class DrillTests
{
    private static readonly UserRef Actor = new("U0ACTOR", "actor");
    private readonly DecisionBuilder _sut = new();

    private static DeclareIncident Parse(string text)
    {
        var result = new CommandParser(Options.Create(CommandParserTests.Defaults())).Parse(text, Actor);
        Assert.True(result.Ok, result.Error);
        return Assert.IsType<DeclareIncident>(result.Command);
    }

    [Theory]
    [InlineData("declare drill sev2 Checkout 5xx", "SEV2", "Checkout 5xx")]
    [InlineData("declare sev2 DRILL Checkout 5xx", "SEV2", "Checkout 5xx")]
    [InlineData("declare drill private type:security Leaked key", "SEV4", "Leaked key")]
    public void Parse_DrillBeforeTheTitle_MarksADrill(string text, string severity, string title)
    {
        var d = Parse(text);

        Assert.True(d.Drill);
        Assert.Equal((severity, title), (d.Severity ?? "SEV4", d.Title));
    }

    [Theory]
    [InlineData("declare sev2 Checkout drill failed", "Checkout drill failed")]
    [InlineData("declare Fire drill alarm stuck", "Fire drill alarm stuck")]
    public void Parse_DrillInsideTheTitle_IsTitle(string text, string title)
    {
        var d = Parse(text);

        Assert.False(d.Drill);
        Assert.Equal(title, d.Title);
    }

    [Fact]
    public void Usage_NamesTheDrillFlag() =>
        Assert.Contains("[drill]", CommandParser.Usage("declare", CommandParserTests.Defaults()));

    [Fact]
    public void Declare_Drill_IsStoredOnTheIncident_AndItsChannelSaysSo()
    {
        var (drill, _) = IncidentDeclaration.Declare(new DeclareIncident("Checkout 5xx", "sev2", null, false, Drill: true), _sut.Context, "slack", _sut.Now, _sut.Options);
        var (real, _) = IncidentDeclaration.Declare(new DeclareIncident("Checkout 5xx", "sev2", null, false), _sut.Context, "slack", _sut.Now, _sut.Options);
        drill.Number = real.Number = 7;

        Assert.True(drill.Drill);
        Assert.False(real.Drill);
        Assert.Equal("drill-inc-7-checkout-5xx", IncidentDeclaration.ChannelName(drill, _sut.Options).Slugged(80));
        Assert.Equal("inc-7-checkout-5xx", IncidentDeclaration.ChannelName(real, _sut.Options).Slugged(80));
    }

    [Fact]
    public void Messages_LabelADrill_InEveryHeaderTheTopicAndTheKickoff()
    {
        _sut.Incident.Drill = true;
        _sut.WithCommander();
        var messages = new IncidentMessages(_sut.Options);

        var kickoff = messages.Kickoff(_sut.Record);
        Assert.StartsWith("🚨 [DRILL] INC-42: Checkout 5xx", kickoff.Title);
        Assert.Equal("DRILL", kickoff.Fields[0].Label);
        Assert.StartsWith("DRILL | SEV3 | investigating", messages.Topic(_sut.Record));
        Assert.Contains("[DRILL] INC-42", messages.Announcement(_sut.Record).Title);
        Assert.Contains("[DRILL]", messages.StakeholderUpdate(_sut.Incident, new StatusUpdate(1, _sut.Incident.Id, IncidentStatus.Identified, "Found it", Actor, _sut.Now)).Title);
    }

    [Fact]
    public void Messages_ARealIncident_CarriesNoDrillLabel()
    {
        _sut.WithCommander();
        var messages = new IncidentMessages(_sut.Options);

        Assert.DoesNotContain("DRILL", messages.Kickoff(_sut.Record).Title);
        Assert.DoesNotContain(messages.Kickoff(_sut.Record).Fields, f => f.Label == "DRILL");
        Assert.DoesNotContain("DRILL", messages.Topic(_sut.Record));
    }

    [Fact]
    public void Postmortem_OfADrill_SaysItWasARehearsal()
    {
        _sut.Incident.Drill = true;

        var md = new PostmortemDraft(_sut.Options).Render(_sut.Record, _sut.Now);

        Assert.StartsWith("# DRILL: Post-incident review: INC-42", md);
        Assert.Contains("| Drill | yes", md);
    }

    [Fact]
    public void Metrics_LeaveDrillsOut_OfEveryCountAndDuration()
    {
        Incident Resolved(bool drill, int minutes) => new()
        {
            Id = Guid.NewGuid(),
            Title = "t",
            Severity = "SEV2",
            Type = "availability",
            Platform = "slack",
            Status = IncidentStatus.Resolved,
            DeclaredBy = Actor,
            DeclaredAt = _sut.Now,
            AcknowledgedAt = _sut.Now.AddMinutes(1),
            MitigatedAt = _sut.Now.AddMinutes(minutes),
            ResolvedAt = _sut.Now.AddMinutes(minutes),
            Drill = drill,
        };

        var report = IncidentMetrics.Compute([Resolved(false, 30), Resolved(true, 600)], _sut.Now.AddDays(-1), _sut.Now.AddDays(1), _sut.Options);

        Assert.Equal(1, report.Overall.Incidents);
        Assert.Equal(TimeSpan.FromMinutes(30), report.Overall.Resolve.Mean);
        Assert.Equal(1, report.BySeverity.Single(g => g.Name == "SEV2").Incidents);
    }
}
