using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Interactions;

namespace ChatOpsIncident.Core.Tests.Interactions;

public sealed class FormsTests
{
    private readonly Core.Configuration.IncidentOptions _options = Cadence.TestOptions.Create();

    [Fact]
    public void Declare_Complete_GivesTheDeclaration_Trimmed_WithConfiguredNames()
    {
        var result = Forms.Declare(new DeclareForm("  Search latency  ", "sev3", "PERFORMANCE", true, "  p99 at 4 s  ", "U0CAROL"), _options);

        Assert.Empty(result.Errors);
        Assert.Equal(new DeclareIncident("Search latency", "SEV3", "performance", true, "p99 at 4 s", result.Command!.Commander), result.Command);
        Assert.Equal("U0CAROL", Assert.Single(result.Command.Commander!).Id);
    }

    [Fact]
    public void Declare_UntouchedChoices_MeanTheDefaults_BlankExtrasMeanNone()
    {
        var result = Forms.Declare(new DeclareForm("Search latency", null, "", false, "   ", ""), _options);

        Assert.Equal(_options.FindSeverity(_options.DefaultSeverity)!.Name, result.Command!.Severity);
        Assert.Equal(_options.FindType(_options.DefaultType)!.Name, result.Command.Type);
        Assert.Null(result.Command.Description);
        Assert.Null(result.Command.Commander);
    }

    [Fact]
    public void Declare_EveryFieldWrong_ListsEachError_InFormOrder_AndNoCommand()
    {
        var result = Forms.Declare(new DeclareForm("   ", "SEV9", "weather", false, null), _options);

        Assert.Null(result.Command);
        Assert.Equal(
            [new FormError(FormFields.Title, FormProblem.Missing), new FormError(FormFields.Severity, FormProblem.Unknown), new FormError(FormFields.Type, FormProblem.Unknown)],
            result.Errors);
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(201, false)]
    public void Declare_TitleLength_LimitIs200(int length, bool ok)
    {
        var result = Forms.Declare(new DeclareForm(new string('x', length), null, null, false, null), _options);

        Assert.Equal(ok, result.Command is not null);
        Assert.Equal(ok ? [] : [new FormError(FormFields.Title, FormProblem.TooLong)], result.Errors);
    }

    [Fact]
    public void Update_Complete_GivesTheUpdate_Trimmed()
    {
        var result = Forms.Update(new UpdateForm("identified", "  Bad deploy found  "));

        Assert.Equal(new PostStatusUpdate(IncidentStatus.Identified, "Bad deploy found"), result.Command);
    }

    [Fact]
    public void Update_WithoutStatus_KeepsTheCurrentOne()
    {
        Assert.Equal(new PostStatusUpdate(null, "still looking"), Forms.Update(new UpdateForm(null, "still looking")).Command);
    }

    [Theory]
    [InlineData("resolved")]
    [InlineData("closed")]
    [InlineData("sleeping")]
    public void Update_StatusNotAnOpenOne_IsAnError(string status)
    {
        var result = Forms.Update(new UpdateForm(status, "text"));

        Assert.Null(result.Command);
        Assert.Equal([new FormError(FormFields.Status, FormProblem.Unknown)], result.Errors);
    }

    [Fact]
    public void Update_BlankText_IsAnError_BeforeTheStatusOne()
    {
        var result = Forms.Update(new UpdateForm("resolved", "  "));

        Assert.Equal([new FormError(FormFields.Text, FormProblem.Missing), new FormError(FormFields.Status, FormProblem.Unknown)], result.Errors);
        Assert.True(result.HasError(FormFields.Text));
        Assert.False(result.HasError(FormFields.Title));
    }
}
