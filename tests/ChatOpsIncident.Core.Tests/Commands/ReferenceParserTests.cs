using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Tests.Commands;

/// <summary>The incident reference as a generic prefix of any command's arguments (<see cref="CommandParser.ParseCommand"/>).</summary>
public sealed class ReferenceParserTests
{
    private static readonly UserRef Actor = new("U1", "alice");

    private readonly CommandParser _parser = new(Options.Create(new IncidentOptions
    {
        Severities = IncidentDefaults.Severities(),
        Types = IncidentDefaults.Types(),
        Roles = IncidentDefaults.Roles(),
        DefaultSeverity = "SEV3",
    }));

    [Theory]
    [InlineData("status INC-42", 42)]
    [InlineData("status inc-42", 42)]
    [InlineData("INC-42 status", 42)]
    [InlineData("ack INC-7", 7)]
    [InlineData("timeline INC-1000", 1000)]
    public void ReferenceAfterOrBeforeTheVerb_IsTakenOff_TheVerbParsesTheRest(string text, int reference)
    {
        var parsed = _parser.ParseCommand(text, Actor);

        Assert.True(parsed.Ok, parsed.Error);
        Assert.Equal(reference, parsed.Reference);
        Assert.Equal(_parser.Parse(text.Split(' ').First(t => !t.StartsWith("INC-", StringComparison.OrdinalIgnoreCase)), Actor).Command, parsed.Command);
    }

    [Fact]
    public void Update_ByReference_KeepsItsStatusAndText()
    {
        var parsed = _parser.ParseCommand("update INC-42 monitoring Error rate back to baseline", Actor);

        Assert.Equal(42, parsed.Reference);
        Assert.Equal(new PostStatusUpdate(IncidentStatus.Monitoring, "Error rate back to baseline"), parsed.Command);
        Assert.Equal(parsed.Command, _parser.ParseCommand("INC-42 update monitoring Error rate back to baseline", Actor).Command);
    }

    [Fact]
    public void Update_ByReference_WithoutText_IsTheForm_ForThatIncident()
    {
        var parsed = _parser.ParseCommand("update INC-42", Actor);

        Assert.Equal((42, (IncidentCommand)new OpenUpdateForm()), (parsed.Reference!.Value, parsed.Command!));
    }

    [Fact]
    public void Merge_OneReference_IsTheTarget_TwoReferences_TheFirstIsTheDuplicate()
    {
        var inChannel = _parser.ParseCommand("merge INC-7", Actor);
        var byReference = _parser.ParseCommand("merge INC-8 INC-7", Actor);

        Assert.Equal((null, (IncidentCommand)new Merge(7)), (inChannel.Reference, inChannel.Command!));
        Assert.Equal((8, (IncidentCommand)new Merge(7)), (byReference.Reference, byReference.Command!));
    }

    [Theory]
    [InlineData("declare INC-41 regressed", null)]
    [InlineData("declare sev2 INC-41 regressed", null)]
    [InlineData("note INC-7", null)]
    [InlineData("decline INC-42", null)]
    [InlineData("done 3", null)]
    [InlineData("note 42 is the answer", null)]
    public void TokensThatAreTheVerbsOwn_StayTheVerbs(string text, int? reference)
    {
        var parsed = _parser.ParseCommand(text, Actor);

        Assert.True(parsed.Ok, parsed.Error);
        Assert.Equal(reference, parsed.Reference);
        Assert.Equal(_parser.Parse(text, Actor).Command, parsed.Command);
    }

    [Fact]
    public void Declare_ByReference_KeepsTheReferenceInTheTitle()
    {
        Assert.Equal("INC-41 regressed", Assert.IsType<DeclareIncident>(_parser.ParseCommand("declare INC-41 regressed", Actor).Command).Title);
    }

    [Theory]
    [InlineData("INC-42 declare sev2 Checkout down", "'declare' does not act on one incident: run it without INC-42.")]
    [InlineData("INC-42 list", "'list' does not act on one incident: run it without INC-42.")]
    [InlineData("list INC-42", "'list' takes no arguments. Usage: list")]
    [InlineData("started INC-42", "'' is not a time")]
    [InlineData("INC-42 decline", "'decline' needs a reason. Usage: decline <reason>")]
    [InlineData("INC-42 frobnicate", "Unknown command 'frobnicate'.")]
    public void Refused_WithTheVerbsOwnAnswer(string text, string error)
    {
        var parsed = _parser.ParseCommand(text, Actor);

        Assert.False(parsed.Ok);
        Assert.StartsWith(error, parsed.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INC-0")]
    [InlineData("INC-")]
    [InlineData("42")]
    [InlineData("#42")]
    [InlineData("INC-12345678901")]
    public void OnlyIncDashNumber_IsAReference(string token) => Assert.Null(CommandParser.IncidentReference(token));

    [Fact]
    public void NoReference_IsExactlyParse()
    {
        foreach (var text in new[] { "", "status", "update identified Bad deploy", "resolve --force rolled back", "started 09:12", "help merge" })
        {
            var parsed = _parser.ParseCommand(text, Actor);
            Assert.Equal((_parser.Parse(text, Actor).Command, (int?)null), (parsed.Command, parsed.Reference));
        }
    }
}
