using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Tests.Commands;

public sealed class LifecycleParserTests
{
    private static readonly UserRef Actor = new("U1", "alice");

    private readonly CommandParser _parser = new(Options.Create(new IncidentOptions
    {
        Severities = IncidentDefaults.Severities(),
        Types = IncidentDefaults.Types(),
        Roles = IncidentDefaults.Roles(),
        DefaultSeverity = "SEV3",
    }));

    [Fact]
    public void Verbs_ParseToTheirCommands()
    {
        Assert.Equal(new Accept(), _parser.Parse("accept", Actor).Command);
        Assert.Equal(new Decline("alert flapped"), _parser.Parse("decline alert flapped", Actor).Command);
        Assert.Equal(new Cancel("wrong workspace"), _parser.Parse("cancel wrong workspace", Actor).Command);
        Assert.Equal(new Reopen("errors are back"), _parser.Parse("reopen errors are back", Actor).Command);
        Assert.Equal(new Merge(41), _parser.Parse("merge INC-41", Actor).Command);
        Assert.Equal(new Merge(41), _parser.Parse("merge inc-41", Actor).Command);
        Assert.Equal(new SetImpactStarted(null, new TimeOnly(9, 12), TimeSpan.Zero, InUserZone: true), _parser.Parse("started 09:12", Actor).Command);
        Assert.Equal(new SetImpactStarted(new DateOnly(2025, 3, 1), new TimeOnly(9, 12), TimeSpan.FromHours(2)), _parser.Parse("started 2025-03-01T09:12+02:00", Actor).Command);
    }

    [Theory]
    [InlineData("decline", "'decline' needs a reason. Usage: decline <reason>")]
    [InlineData("reopen", "'reopen' needs a reason. Usage: reopen <reason>")]
    [InlineData("merge", "'merge' needs the incident this one duplicates. Usage: merge INC-<n>")]
    [InlineData("merge checkout", "'merge' needs the incident this one duplicates. Usage: merge INC-<n>")]
    [InlineData("accept now", "'accept' takes no arguments. Usage: accept")]
    public void Refused_WithTheUsage(string text, string error) => Assert.Equal(error, _parser.Parse(text, Actor).Error);

    [Fact]
    public void Started_NotATime_Refused() =>
        Assert.StartsWith("'yesterday' is not a time: write 09:12", _parser.Parse("started yesterday", Actor).Error, StringComparison.Ordinal);

    [Fact]
    public void DeclareTriage_OpensInTriage_TitleKept()
    {
        var declare = Assert.IsType<DeclareIncident>(_parser.Parse("declare triage sev2 Checkout errors", Actor).Command);

        Assert.Equal((true, "SEV2", "Checkout errors"), (declare.Triage, declare.Severity, declare.Title));
        Assert.False(Assert.IsType<DeclareIncident>(_parser.Parse("declare sev2 Checkout errors", Actor).Command).Triage);
    }
}
