using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Core.Tests.Decisions;

namespace ChatOpsIncident.Core.Tests.Processing;

public sealed class StaleUpdatesTests
{
    [Theory]
    [InlineData(null, 3, false)]
    [InlineData(2, 3, false)]
    [InlineData(3, 3, true)]
    [InlineData(5, 3, true)]
    [InlineData(5, null, false)]
    public void IsStale_OnlyWhenTheTargetAlreadyShowsThisVersionOrNewer(int? sent, int? version, bool stale) =>
        Assert.Equal(stale, StaleUpdates.IsStale(sent, version));

    [Fact]
    public void KickoffRefresh_CarriesTheVersionTheChangeSaves()
    {
        var sut = new DecisionBuilder().WithCommander();
        sut.Incident.Version = 7;

        var change = sut.Decide(new ChangeSeverity("SEV1"));

        var refresh = Assert.Single(change.Set.Outbox, o => o.Operation == OutboxOperations.Update);
        Assert.Equal(OutboxKeys.Incident(sut.Incident.Id, "kickoff"), refresh.TargetKey);
        Assert.Equal(8, refresh.Version);
    }
}
