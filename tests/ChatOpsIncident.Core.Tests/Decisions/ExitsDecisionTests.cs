using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Review;

namespace ChatOpsIncident.Core.Tests.Decisions;

public sealed class ExitsDecisionTests
{
    private readonly DecisionBuilder _sut = new DecisionBuilder().WithCommander();

    [Fact]
    public void Accept_FromTriage_Investigating_AcknowledgedNow_OtherwiseRefused()
    {
        _sut.Incident.AcknowledgedAt = null;
        var accepted = _sut.WithStatus(IncidentStatus.Triage).Decide(new Accept());

        Assert.Null(accepted.Refusal);
        Assert.Equal((IncidentStatus.Investigating, _sut.Now), (accepted.Incident.Status, accepted.Incident.AcknowledgedAt!.Value));
        Assert.Equal(("status", "triage", "investigating"), (accepted.Set.Audit[0].Field, accepted.Set.Audit[0].OldValue, accepted.Set.Audit[0].NewValue));
        Assert.Equal("INC-42 is investigating, not in triage; only an incident in triage can be accepted or declined.", _sut.WithStatus(IncidentStatus.Investigating).Decide(new Accept()).Refusal);
    }

    [Fact]
    public void Decline_FromTriage_EndsIt_ReasonOnRecord_NoReminder_OtherwiseRefused()
    {
        var declined = _sut.WithStatus(IncidentStatus.Triage).Decide(new Decline("alert flapped, no impact"));

        Assert.Null(declined.Refusal);
        Assert.Equal(IncidentStatus.Declined, declined.Incident.Status);
        Assert.Null(declined.Incident.NextUpdateDue);
        Assert.Equal("Declined: alert flapped, no impact", declined.Set.Timeline[0].Text);
        Assert.Contains(declined.Set.Audit, a => a is { Field: "exit_reason", NewValue: "alert flapped, no impact" });
        Assert.Contains("declined INC-42: alert flapped, no impact", declined.Set.Outbox[0].Message!.Text, StringComparison.Ordinal);
        Assert.NotNull(_sut.WithStatus(IncidentStatus.Monitoring).Decide(new Decline("x")).Refusal);
    }

    [Fact]
    public void Cancel_OpenIncident_EndsIt_AndLiftsTheFreeze_ResolvedRefused_EndedRefused()
    {
        _sut.Incident.DeployFreeze = true;
        var cancelled = _sut.Decide(new Cancel("declared in the wrong workspace"));

        Assert.Equal((IncidentStatus.Cancelled, false), (cancelled.Incident.Status, cancelled.Incident.DeployFreeze));
        Assert.Contains(cancelled.Set.Audit, a => a is { Field: "deploy_freeze", NewValue: "false" });
        Assert.Equal("INC-42 is resolved; only an open incident can be cancelled.", _sut.WithStatus(IncidentStatus.Resolved).Decide(new Cancel("x")).Refusal);
        Assert.Equal("INC-42 was declined; declare a new incident if it is back.", _sut.WithStatus(IncidentStatus.Declined).Decide(new Cancel("x")).Refusal);
    }

    [Fact]
    public void Reopen_FromResolvedOrClosed_ClearsTheEndTimes_RestartsTheCadence_OpenOrExitRefused()
    {
        _sut.Incident.ResolvedAt = DecisionBuilder.DeclaredAt.AddMinutes(10);
        _sut.Incident.ClosedAt = DecisionBuilder.DeclaredAt.AddMinutes(15);
        var reopened = _sut.WithStatus(IncidentStatus.Closed).Decide(new Reopen("errors are back"));

        Assert.Null(reopened.Refusal);
        Assert.Equal((IncidentStatus.Investigating, (DateTimeOffset?)null, (DateTimeOffset?)null), (reopened.Incident.Status, reopened.Incident.ResolvedAt, reopened.Incident.ClosedAt));
        Assert.Equal(_sut.Now.AddHours(1), reopened.Incident.NextUpdateDue);
        Assert.Equal("Reopened (was closed): errors are back", reopened.Set.Timeline[0].Text);
        Assert.Contains(reopened.Set.Audit, a => a is { Field: "closed_at", NewValue: null });
        Assert.Equal("INC-42 is investigating; only a resolved or closed incident can be reopened.", _sut.WithStatus(IncidentStatus.Investigating).Decide(new Reopen("x")).Refusal);
        Assert.Equal("INC-42 was cancelled; declare a new incident if it is back.", _sut.WithStatus(IncidentStatus.Cancelled).Decide(new Reopen("x")).Refusal);
    }

    [Fact]
    public void MergeInto_OpenTarget_EndsAsMerged_ChannelToldWhereToGo_ItselfOrEndedTargetRefused()
    {
        var target = new Incident { Id = Guid.NewGuid(), Number = 41, Title = "Checkout down", Severity = "SEV2", Type = "availability", Status = IncidentStatus.Identified, Platform = "slack", DeclaredBy = DecisionBuilder.Commander, ChannelName = "inc-41-checkout-down" };

        var merged = _sut.Decide(new MergeInto(target));

        Assert.Equal((IncidentStatus.Merged, (int?)41), (merged.Incident.Status, merged.Incident.MergedInto));
        Assert.Contains("Carry on in #inc-41-checkout-down", merged.Set.Outbox[0].Message!.Text, StringComparison.Ordinal);
        Assert.Equal(IncidentMessages.MergeIntoItself, _sut.Decide(new MergeInto(_sut.Incident)).Refusal);
        target.Status = IncidentStatus.Resolved;
        Assert.Equal("INC-41 is resolved; merge into an open incident.", _sut.Decide(new MergeInto(target)).Refusal);
        _sut.Incident.MergedInto = 41;
        Assert.Equal("INC-42 was merged into INC-41; work there.", _sut.WithStatus(IncidentStatus.Merged).Decide(new Cancel("x")).Refusal);
    }

    [Fact]
    public void MergedIn_LinksTheDuplicatesTimeline_OncePerDuplicate()
    {
        var source = new Incident { Id = Guid.NewGuid(), Number = 43, Title = "Checkout 500s", Severity = "SEV3", Type = "availability", Platform = "slack", DeclaredBy = DecisionBuilder.Commander };

        var change = _sut.Decide(new MergedIn(source, "https://bot/incidents/43"));

        var entry = Assert.Single(change.Set.Timeline);
        Assert.Equal(($"merged-in:{source.Id}", "INC-43 (Checkout 500s) was merged into this incident; its timeline: https://bot/incidents/43"), (entry.DedupeKey, entry.Text));
    }

    [Theory]
    [InlineData("09:12", "2025-03-04T09:12:00+00:00")]
    [InlineData("10:30", "2025-03-03T10:30:00+00:00")]
    [InlineData("2025-03-01 09:12", "2025-03-01T09:12:00+00:00")]
    [InlineData("2025-03-01T09:12:00+02:00", "2025-03-01T07:12:00+00:00")]
    [InlineData("2025-03-01T09:12Z", "2025-03-01T09:12:00+00:00")]
    public void Started_ParsedTime_ResolvesAgainstNow(string text, string expected)
    {
        var parsed = (SetImpactStarted)new CommandParser(Microsoft.Extensions.Options.Options.Create(_sut.Options)).Parse("started " + text, DecisionBuilder.Commander).Command!;

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), IncidentChange.ResolveTime(parsed, _sut.Now));
    }

    [Fact]
    public void Started_SetsAndCorrectsTheImpactStart_Audited_FutureOrAfterDeclarationRefused()
    {
        var first = _sut.Decide(new SetImpactStarted(new DateOnly(2025, 3, 4), new TimeOnly(9, 12), TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 9, 12, 0, TimeSpan.Zero), first.Incident.ImpactStartedAt);
        Assert.Equal(("impact_started_at", null, "2025-03-04 09:12 UTC"), (first.Set.Audit[0].Field, first.Set.Audit[0].OldValue, first.Set.Audit[0].NewValue));

        _sut.Incident.ImpactStartedAt = first.Incident.ImpactStartedAt;
        var corrected = _sut.Decide(new SetImpactStarted(new DateOnly(2025, 3, 4), new TimeOnly(10, 0), TimeSpan.FromHours(2)));
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 8, 0, 0, TimeSpan.Zero), corrected.Incident.ImpactStartedAt);
        Assert.Equal("Impact start corrected: 2025-03-04 09:12 UTC → 2025-03-04 08:00 UTC", corrected.Set.Timeline[0].Text);

        Assert.Equal("2025-03-05 09:00 UTC is in the future; the impact start must be a time that has passed.", _sut.Decide(new SetImpactStarted(new DateOnly(2025, 3, 5), new TimeOnly(9, 0), TimeSpan.Zero)).Refusal);
        Assert.StartsWith("2025-03-04 10:05 UTC is after INC-42 was declared", _sut.Decide(new SetImpactStarted(new DateOnly(2025, 3, 4), new TimeOnly(10, 5), TimeSpan.Zero)).Refusal, StringComparison.Ordinal);
    }

    /// <summary>Metrics over incidents built by the decisions themselves, not crafted rows.</summary>
    [Fact]
    public void Metrics_AlertOpenedAcceptedAfterThreeMinutes_TtaThreeMinutes_DeclinedAndMergedNotCounted()
    {
        var alert = new DeclareIncident("Error rate high", "SEV2", null, false, Triage: true, DetectedAt: _sut.Now.AddMinutes(-1), Acknowledged: false);
        var (opened, _) = IncidentDeclaration.Declare(alert, _sut.Context, "slack", _sut.Now, _sut.Options);
        Assert.Equal((IncidentStatus.Triage, (DateTimeOffset?)null, _sut.Now.AddMinutes(-1)), (opened.Status, opened.AcknowledgedAt, opened.DetectedAt!.Value));

        _sut.Time.Advance(TimeSpan.FromMinutes(2));
        var accepted = IncidentChange.Decide(_sut.Record with { Incident = opened, Roles = [] }, new Accept(), _sut.Context, _sut.Now, _sut.Options, _sut.Links).Incident;
        var (noise, _) = IncidentDeclaration.Declare(alert with { Title = "Flap" }, _sut.Context with { DeliveryId = "D2" }, "slack", _sut.Now, _sut.Options);
        var declined = IncidentChange.Decide(_sut.Record with { Incident = noise, Roles = [] }, new Decline("flap"), _sut.Context, _sut.Now, _sut.Options, _sut.Links).Incident;
        var (dup, _) = IncidentDeclaration.Declare(alert with { Title = "Dup" }, _sut.Context with { DeliveryId = "D3" }, "slack", _sut.Now, _sut.Options);
        var merged = IncidentChange.Decide(_sut.Record with { Incident = dup, Roles = [] }, new MergeInto(accepted), _sut.Context, _sut.Now, _sut.Options, _sut.Links).Incident;

        var report = IncidentMetrics.Compute([accepted, declined, merged], _sut.Now.AddDays(-1), _sut.Now.AddDays(1), _sut.Options);

        Assert.Equal((IncidentStatus.Declined, IncidentStatus.Merged), (declined.Status, merged.Status));
        Assert.Equal(1, report.Overall.Incidents);
        Assert.Equal(TimeSpan.FromMinutes(3), report.Overall.Acknowledge.Median);
    }
}
