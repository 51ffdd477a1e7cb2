namespace ChatOpsIncident.Core.Processing;

/// <summary>
/// Whether a queued message update is older than what its target already shows. Per-channel order makes a late old
/// update rare (a failed one blocks the newer ones until it is delivered or dead), but a dead update retried later, or
/// two rows queued by racing saves, can still arrive after a newer one: it must not put the old content back.
/// </summary>
internal static class StaleUpdates
{
    /// <summary>
    /// True when <paramref name="sent"/> (the newest version already shown) is at least <paramref name="version"/>:
    /// equal means this very update went out before (a retry after a crash), older means it was overtaken.
    /// An unversioned update, or a target never updated, always sends.
    /// </summary>
    public static bool IsStale(int? sent, int? version) => sent is { } s && version is { } v && s >= v;
}
