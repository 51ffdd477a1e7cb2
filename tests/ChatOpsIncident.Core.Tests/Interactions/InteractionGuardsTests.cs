using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Interactions;

namespace ChatOpsIncident.Core.Tests.Interactions;

public sealed class InteractionGuardsTests
{
    [Theory]
    [InlineData(IncidentStatus.Investigating, null)]
    [InlineData(IncidentStatus.Identified, null)]
    [InlineData(IncidentStatus.Monitoring, null)]
    [InlineData(IncidentStatus.Resolved, "INC-12 is resolved; there is no update to post.")]
    [InlineData(IncidentStatus.Closed, "INC-12 is closed; there is no update to post.")]
    public void UpdateForm_OpensOnlyWhileTheIncidentIsOpen(IncidentStatus status, string? refusal)
    {
        var incident = new Incident
        {
            Id = Guid.NewGuid(), Number = 12, Title = "t", Severity = "SEV2", Type = "availability", Platform = "teams",
            DeclaredBy = new UserRef("U1"), Status = status,
        };

        Assert.Equal(refusal, InteractionGuards.UpdateFormRefusal(incident));
    }
}
