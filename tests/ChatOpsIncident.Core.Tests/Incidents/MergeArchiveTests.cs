using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Tests.Incidents;

public sealed class MergeArchiveTests
{
    private static Incident Merged() => new()
    {
        Id = Guid.NewGuid(), Number = 2, Title = "Checkout 500s", Severity = "sev3", Type = "default", Platform = "slack",
        DeclaredBy = new UserRef("U1"), ChannelId = "C2", Status = IncidentStatus.Merged, MergedInto = 1,
    };

    [Fact]
    public void Due_StillMerged_ArchivesItsChannel_UnderOneKeyPerIncident()
    {
        var incident = Merged();

        var archive = MergeArchive.Due(incident);

        Assert.NotNull(archive);
        Assert.Equal((OutboxOperations.Archive, "C2", "slack", incident.Id), (archive.Operation, archive.ChannelId, archive.Platform, archive.IncidentId));
        Assert.Equal(MergeArchive.Key(incident.Id), archive.Key);
        Assert.Equal(archive.Key, MergeArchive.Due(incident)!.Key);
    }

    [Theory]
    [InlineData(IncidentStatus.Investigating)]
    [InlineData(IncidentStatus.Resolved)]
    [InlineData(IncidentStatus.Triage)]
    public void Due_ReopenedBeforeTheGraceEnds_KeepsItsChannel(IncidentStatus now)
    {
        var incident = Merged();
        incident.Status = now;

        Assert.Null(MergeArchive.Due(incident));
    }

    [Fact]
    public void Due_NoChannel_NothingToArchive()
    {
        var incident = Merged();
        incident.ChannelId = null;

        Assert.Null(MergeArchive.Due(incident));
    }

    [Fact]
    public void Enabled_ZeroMeansNever()
    {
        Assert.False(MergeArchive.Enabled(TimeSpan.Zero));
        Assert.True(MergeArchive.Enabled(TimeSpan.FromSeconds(3)));
    }
}
