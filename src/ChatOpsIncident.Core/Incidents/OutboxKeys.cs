namespace ChatOpsIncident.Core.Incidents;

/// <summary>
/// Every idempotency key Core builds, in one place. The outbox and the timeline dedupe on them, so each must stay
/// byte for byte what it was: a changed key would queue a delivered effect a second time.
/// </summary>
internal static class OutboxKeys
{
    /// <summary>An effect of the incident itself, queued once in its life (kickoff, invite, topic, announce, page).</summary>
    public static string Incident(Guid incidentId, string suffix) => $"inc:{incidentId}:{suffix}";

    /// <summary>An effect of one inbound delivery: running the delivery again queues nothing new.</summary>
    public static string Command(string platform, string deliveryId, string suffix) => $"cmd:{platform}:{deliveryId}:{suffix}";

    /// <summary>The timeline dedupe key of a delivery's first entry; the store reports a repeat as already applied.</summary>
    public static string CommandEntry(string deliveryId) => $"cmd:{deliveryId}";

    /// <summary>The store's key that makes a declaration delivered twice create one incident.</summary>
    public static string Declaration(string platform, string deliveryId) => $"{platform}:{deliveryId}";

    public static string Reminder(Guid incidentId, DateTimeOffset due) => $"remind:{incidentId}:{due.ToUnixTimeMilliseconds()}";

    public static string Escalation(Guid incidentId, DateTimeOffset due) => $"escalate:{incidentId}:{due.ToUnixTimeMilliseconds()}";

    public static string Nudge(Guid incidentId) => $"nudge:{incidentId}";

    public static string Stale(Guid incidentId, int count) => $"stale:{incidentId}:{count}";

    public static string ActionReminder(Guid incidentId, int seq, DateTimeOffset now) => $"action:{incidentId}:{seq}:{now.ToUnixTimeMilliseconds()}";
}
