using System.Globalization;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>The copy of triage, the exits (decline, cancel, merge), reopening and key times.</summary>
public sealed partial class IncidentMessages
{
    public static string NotInTriage(Incident i) => $"{i.PublicId} is {i.Status.ToWire()}, not in triage; only an incident in triage can be {(i.Status.IsOpen() ? "accepted or declined" : "accepted or declined, and this one has ended")}.";

    public static string Ended(Incident i) => i.Status == IncidentStatus.Merged && i.MergedInto is { } into
        ? $"{i.PublicId} was merged into INC-{into}; work there."
        : $"{i.PublicId} was {i.Status.ToWire()}; declare a new incident if it is back.";

    public static string NothingToReopen(Incident i) => $"{i.PublicId} is {i.Status.ToWire()}; only a resolved or closed incident can be reopened.";

    public static string CancelAfterResolve(Incident i) => $"{i.PublicId} is {i.Status.ToWire()}; only an open incident can be cancelled.";

    public const string MergeIntoItself = "An incident cannot be merged into itself.";

    public static string NoMergeTarget(int number) => $"INC-{number} was not found.";

    public static string MergeTargetEnded(Incident target) => $"{target.PublicId} is {target.Status.ToWire()}; merge into an open incident.";

    public static string AcceptedEntry => "Accepted: confirmed as an incident, now investigating.";

    public static string AcceptedPost(Incident i, UserRef actor) => $"✅ {actor.Mention} accepted {i.PublicId}: it is an incident. Status: investigating.";

    public static string DeclinedEntry(string reason) => $"Declined: {reason}";

    public static string DeclinedPost(Incident i, UserRef actor, string reason) => $"🚫 {actor.Mention} declined {i.PublicId}: {reason}. It is not counted as an incident.";

    public static string CancelledEntry(string reason) => $"Cancelled: {reason}";

    public static string CancelledPost(Incident i, UserRef actor, string reason) => $"🚫 {actor.Mention} cancelled {i.PublicId}: {reason}. It is not counted as an incident.";

    public static string ReopenedEntry(IncidentStatus from, string reason) => $"Reopened (was {from.ToWire()}): {reason}";

    public static string ReopenedPost(Incident i, UserRef actor, string reason) =>
        $"🔁 {actor.Mention} reopened {i.PublicId}: {reason}. Status: investigating. Next update due {Time(i.NextUpdateDue)}.";

    public static string MergedEntry(Incident target) => $"Merged into {target.PublicId} ({target.Title})";

    public static string MergedPost(Incident i, Incident target, UserRef actor) =>
        $"🔀 {actor.Mention} merged {i.PublicId} into {target.PublicId}. Carry on in {(target.ChannelName is { } name ? $"#{name}" : target.PublicId)}{(target.ChannelUrl is { } url ? $" ({url})" : "")}; this channel is no longer followed.";

    public static string MergedInEntry(Incident source, string? link) =>
        $"{source.PublicId} ({source.Title}) was merged into this incident; its timeline: {link ?? $"/incidents/{source.Number}"}";

    public static string MergedInPost(Incident source, UserRef actor) => $"🔀 {actor.Mention} merged {source.PublicId} ({source.Title}) into this incident.";

    public static string ImpactStartedEntry(DateTimeOffset? old, DateTimeOffset at) =>
        old is null ? $"Impact started at {Time(at)}" : $"Impact start corrected: {Time(old)} → {Time(at)}";

    public static string ImpactStartedPost(Incident i, UserRef actor) => $"🕘 {actor.Mention} set when {i.PublicId}'s impact started: {Time(i.ImpactStartedAt)}.";

    /// <summary>The answer to <c>started 09:12</c>: the time as read, in the zone it was read in.</summary>
    public static string ImpactStartedRead(Incident i, DateTimeOffset at, TimeZoneInfo? zone) => zone is null
        ? $"🕘 {i.PublicId}'s impact started {Time(at)} (read in UTC: your chat platform did not tell your time zone; add an offset such as +01:00 to be exact)."
        : $"🕘 {i.PublicId}'s impact started {TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} {zone.Id} (UTC{UserTimeZone.Offset(zone.GetUtcOffset(at))}) = {Time(at)}.";

    public static string ImpactInFuture(DateTimeOffset at) => $"{Time(at)} is in the future; the impact start must be a time that has passed.";

    public static string ImpactAfterDeclared(Incident i, DateTimeOffset at) => $"{Time(at)} is after {i.PublicId} was declared ({Time(i.DeclaredAt)}); the impact cannot have started later.";

    public static string KeyTimeInFuture(string name, DateTimeOffset at) => $"{Time(at)} is in the future; the {name} time must be a time that has passed.";

    public static string KeyTimeNotYet(Incident i, string name) => $"{i.PublicId} is {i.Status.ToWire()}; it has no {name} time to correct yet.";

    public static string KeyTimeOrder(string a, DateTimeOffset aAt, string b, DateTimeOffset bAt) =>
        $"The {a} time ({Time(aAt)}) cannot be after the {b} time ({Time(bAt)}).";

    public static string KeyTimesUnchanged(Incident i) => $"{i.PublicId} already has those key times.";

    public static string KeyTimeCorrectedEntry(string name, DateTimeOffset? old, DateTimeOffset at) =>
        old is null ? $"Key time set: {name} {Time(at)}" : $"Key time corrected: {name} {Time(old)} → {Time(at)}";

    public static string KeyTimesCorrected(int count) => $"{count} key time(s) corrected.";
}
