using ChatOpsIncident.Core.Changes;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Tests.Decisions;

/// <summary>The kickoff card's "Recent changes": the declaration puts them on the timeline, the card lists them bounded.</summary>
public sealed class KickoffRecentChangesTests
{
    private readonly DecisionBuilder _sut = new();

    private ChangeEvent Change(int i, TimeSpan ago) =>
        new(i, "deploy", $"svc{i:D2}", $"release {i}", i % 2 == 0 ? "ci" : null, null, _sut.Now - ago, _sut.Now);

    private ChatSection? Section(IReadOnlyList<TimelineEntry> prior, int count) =>
        new IncidentMessages(_sut.Options).Kickoff(_sut.Record with { PriorChanges = prior, PriorChangeCount = count })
            .Sections.SingleOrDefault(s => s.Heading == IncidentMessages.RecentChangesTitle);

    [Fact]
    public void Declare_WithRecentChanges_PutsEachOnTheTimeline_WhenItHappened_NeverAfterTheDeclaration()
    {
        var changes = new[] { Change(1, TimeSpan.FromMinutes(40)), Change(2, TimeSpan.FromMinutes(-3)) };

        var (_, set) = IncidentDeclaration.Declare(new DeclareIncident("Checkout 5xx", null, null, false), _sut.Context, "slack", _sut.Now, _sut.Options, changes);

        var entries = set.Timeline.Where(e => e.Kind == TimelineKinds.Change).ToList();
        Assert.Equal([IncidentMessages.ChangeLine(changes[0]), IncidentMessages.ChangeLine(changes[1])], entries.Select(e => e.Text));
        // A change stamped a little ahead of the declaration sits at the declaration: the kickoff reads those at or before it.
        Assert.Equal([_sut.Now.AddMinutes(-40), _sut.Now], entries.Select(e => e.OccurredAt));
        Assert.All(entries, e => Assert.Null(e.DedupeKey));
    }

    [Fact]
    public void Kickoff_NoChangesBeforeTheIncident_HasNoSection()
    {
        Assert.Null(Section([], 0));
    }

    [Fact]
    public void Kickoff_ListsTheNewestTen_RightAfterTheRoles_AndSaysHowManyMore()
    {
        var prior = Enumerable.Range(0, IncidentMessages.RecentChangesShown)
            .Select(i => TimelineEntry.Now(_sut.Incident.Id, TimelineKinds.Change, $"deploy svc{i}: release", _sut.Now.AddMinutes(-i)))
            .ToList();

        var all = Section(prior, 14)!;
        var few = Section(prior.Take(3).ToList(), 3)!;

        Assert.Equal(prior.Select(e => e.Text), all.Bullets);
        Assert.Equal("The newest 10, and 4 more on the timeline.", all.Text);
        Assert.Equal(3, few.Bullets!.Count);
        Assert.Null(few.Text);
        var kickoff = new IncidentMessages(_sut.Options).Kickoff(_sut.Record with { PriorChanges = prior, PriorChangeCount = 14 });
        var headings = kickoff.Sections.Select(s => s.Heading).ToList();
        Assert.Equal(headings.IndexOf("Roles") + 1, headings.IndexOf(IncidentMessages.RecentChangesTitle));
    }
}
