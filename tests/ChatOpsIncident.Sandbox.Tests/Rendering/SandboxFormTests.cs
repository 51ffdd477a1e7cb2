using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Interactions;
using ChatOpsIncident.Sandbox.Rendering;

namespace ChatOpsIncident.Sandbox.Tests.Rendering;

public sealed class SandboxFormTests
{
    private static readonly IncidentOptions Options = new()
    {
        Severities = IncidentDefaults.Severities(),
        Types = IncidentDefaults.Types(),
        Roles = IncidentDefaults.Roles(),
        DefaultSeverity = "SEV4",
    };

    [Fact]
    public void Declare_OffersTheConfiguredSeveritiesAndTypes()
    {
        var form = SandboxForm.ForDeclare("general", Options);

        var severity = form.Fields.Single(f => f.Name == FormFields.Severity);
        Assert.Equal(["SEV1", "SEV2", "SEV3", "SEV4"], severity.Choices!.Select(c => c.Value));
        Assert.Equal("SEV4", severity.Value);
        Assert.Contains(form.Fields.Single(f => f.Name == FormFields.Type).Choices!, c => c.Value == "security");
        Assert.True(form.Fields.Single(f => f.Name == FormFields.Title).Required);
    }

    [Fact]
    public void Declare_Check_NamesTheFieldsInError()
    {
        var form = SandboxForm.ForDeclare("general", Options);

        var errors = form.Check(new Dictionary<string, string?> { [FormFields.Title] = " ", [FormFields.Severity] = "SEV9" }, Options);

        Assert.Equal("Required", errors[FormFields.Title]);
        Assert.Equal("Pick one of the choices", errors[FormFields.Severity]);
        Assert.Empty(form.Check(new Dictionary<string, string?> { [FormFields.Title] = "Checkout down", [FormFields.Severity] = "SEV2" }, Options));
    }

    [Fact]
    public void Declare_Read_TakesTheCheckboxAsPrivate()
    {
        var read = SandboxForm.ReadDeclare(new Dictionary<string, string?> { [FormFields.Title] = "Leak", [FormFields.Private] = "true", [FormFields.Type] = "availability" }, Options);

        Assert.True(read.Command!.Private);
        Assert.Equal(("Leak", "SEV4", "availability"), (read.Command.Title, read.Command.Severity, read.Command.Type));
    }

    [Fact]
    public void Update_Check_RefusesResolvedAndEmptyText()
    {
        var errors = new SandboxForm(SandboxForm.Update, "t", "Post", "c1", Guid.NewGuid(), []).Check(new Dictionary<string, string?> { [FormFields.Status] = "resolved" }, Options);

        Assert.Equal("Required", errors[FormFields.Text]);
        Assert.Equal("Pick one of the choices", errors[FormFields.Status]);
    }
}
