using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Tests.Commands;

/// <summary>Severity words, generated help and the force flag (issue 12, "severity words").</summary>
public sealed class SeverityWordsTests
{
    private static readonly UserRef Actor = new("U1", "alice");

    private static CommandParser Parser(IncidentOptions? options = null) => new(Options.Create(options ?? new IncidentOptions
    {
        Severities = IncidentDefaults.Severities(),
        Types = IncidentDefaults.Types(),
        Roles = IncidentDefaults.Roles(),
        DefaultSeverity = "SEV3",
    }));

    [Theory]
    [InlineData("declare P1 Checkout down", "SEV1")]
    [InlineData("declare Sev-1 Checkout down", "SEV1")]
    [InlineData("declare critical Checkout down", "SEV1")]
    [InlineData("declare p2 Checkout down", "SEV2")]
    public void Aliases_DeclareAtThatSeverity_TitleWithoutTheWord(string text, string severity)
    {
        var declare = Assert.IsType<DeclareIncident>(Parser().Parse(text, Actor).Command);

        Assert.Equal((severity, "Checkout down"), (declare.Severity, declare.Title));
    }

    [Theory]
    [InlineData("declare 1 Checkout down", "Unknown severity '1'")]
    [InlineData("declare p7 Checkout down", "Unknown severity 'p7'")]
    [InlineData("declare sev-9 Checkout down", "Unknown severity 'sev-9'")]
    public void SeverityLookingWord_NotConfigured_RefusedWithTheValidNames(string text, string error)
    {
        var result = Parser().Parse(text, Actor);

        Assert.Null(result.Command);
        Assert.StartsWith(error, result.Error, StringComparison.Ordinal);
        Assert.Contains("sev1 (p1, sev-1, critical)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TitleWordsThatAreNotSeverities_StayInTheTitle() =>
        Assert.Equal("S3 bucket 500 errors", Assert.IsType<DeclareIncident>(Parser().Parse("declare S3 bucket 500 errors", Actor).Command).Title);

    [Fact]
    public void Help_GeneratedFromTheConfiguredSeveritiesAndRoles()
    {
        var options = new IncidentOptions
        {
            Severities = [new() { Name = "P0", Aliases = ["outage"] }, new() { Name = "P1" }],
            Types = IncidentDefaults.Types(),
            Roles = [new() { Key = "lead", Name = "Lead" }],
            DefaultSeverity = "P1",
        };

        var help = CommandParser.HelpText(options);

        Assert.Contains("declare [p0|p1]", help, StringComparison.Ordinal);
        Assert.Contains("role <lead> <@user>", help, StringComparison.Ordinal);
        Assert.Contains("Severities: P0 (outage), P1", help, StringComparison.Ordinal);
        Assert.DoesNotContain("sev1-4", help, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("resolve --FORCE dashboards down", true)]
    [InlineData("resolve -F dashboards down", true)]
    [InlineData("resolve force majeure at the provider", false)]
    public void OnlyTheFlagForces_InAnyCase(string text, bool forced)
    {
        var resolve = Assert.IsType<Resolve>(Parser().Parse(text, Actor).Command);

        Assert.Equal(forced, resolve.Force);
        Assert.Equal(forced ? null : "force majeure at the provider", resolve.Summary);
    }
}
