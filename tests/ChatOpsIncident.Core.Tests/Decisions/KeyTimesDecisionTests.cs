using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Tests.Decisions;

/// <summary>The web form's key-time corrections: the rules of <c>started</c> for every time, plus their order.</summary>
public sealed class KeyTimesDecisionTests
{
    private readonly DecisionBuilder _sut = new DecisionBuilder().WithCommander();

    private static DateTimeOffset At(int minutesAfterDeclared) => DecisionBuilder.DeclaredAt.AddMinutes(minutesAfterDeclared);

    [Fact]
    public void Correct_SetsTheGivenTimes_AuditsEach_OnTheTimeline()
    {
        var change = _sut.Decide(new CorrectKeyTimes(ImpactStarted: At(-30), Detected: At(-10), Mitigated: At(15)));

        Assert.False(change.Refused, change.Refusal);
        Assert.Equal((At(-30), At(-10), At(15)), (change.Incident.ImpactStartedAt!.Value, change.Incident.DetectedAt!.Value, change.Incident.MitigatedAt!.Value));
        Assert.Equal(["impact_started_at", "detected_at", "mitigated_at"], change.Set.Audit.Select(a => a.Field));
        Assert.Equal(3, change.Set.Timeline.Count(e => e.Kind == TimelineKinds.KeyTime));
        Assert.Equal("Key time set: impact started 2025-03-04 09:30 UTC", change.Set.Timeline[0].Text);
    }

    [Theory]
    [InlineData(-30, null, null, 25, "is in the future")]
    [InlineData(5, null, null, null, "is after INC-42 was declared")]
    [InlineData(-5, -10, null, null, "The impact started time (2025-03-04 09:55 UTC) cannot be after the detected time (2025-03-04 09:50 UTC).")]
    [InlineData(null, 5, null, null, "The detected time (2025-03-04 10:05 UTC) cannot be after the declared time")]
    [InlineData(null, -10, -20, null, "The detected time (2025-03-04 09:50 UTC) cannot be after the acknowledged time")]
    [InlineData(-10, null, null, -20, "The impact started time (2025-03-04 09:50 UTC) cannot be after the mitigated time")]
    public void Correct_BreakingARule_IsRefused_AndChangesNothing(int? impact, int? detected, int? acknowledged, int? mitigated, string expected)
    {
        var change = _sut.Decide(new CorrectKeyTimes(
            impact is { } i ? At(i) : null, detected is { } d ? At(d) : null, acknowledged is { } a ? At(a) : null, mitigated is { } m ? At(m) : null));

        Assert.Contains(expected, change.Refusal, StringComparison.Ordinal);
        Assert.Empty(change.Set.Audit);
        Assert.Empty(change.Set.Timeline);
    }

    [Fact]
    public void Correct_Resolved_OnlyOnceResolved_AndNotAfterClosed()
    {
        Assert.Equal("INC-42 is investigating; it has no resolved time to correct yet.", _sut.Decide(new CorrectKeyTimes(Resolved: At(10))).Refusal);

        _sut.WithStatus(IncidentStatus.Closed);
        _sut.Incident.ResolvedAt = At(15);
        _sut.Incident.ClosedAt = At(18);

        Assert.Contains("cannot be after the closed time", _sut.Decide(new CorrectKeyTimes(Resolved: At(19))).Refusal, StringComparison.Ordinal);
        var ok = _sut.Decide(new CorrectKeyTimes(Resolved: At(12)));
        Assert.Equal(At(12), ok.Incident.ResolvedAt);
        Assert.Equal(("resolved_at", "2025-03-04 10:15 UTC", "2025-03-04 10:12 UTC"), (ok.Set.Audit[0].Field, ok.Set.Audit[0].OldValue, ok.Set.Audit[0].NewValue));
    }

    [Fact]
    public void Correct_NothingNew_IsRefused()
    {
        Assert.Equal("INC-42 already has those key times.", _sut.Decide(new CorrectKeyTimes(Acknowledged: DecisionBuilder.DeclaredAt)).Refusal);
        Assert.Equal("INC-42 already has those key times.", _sut.Decide(new CorrectKeyTimes()).Refusal);
    }
}
