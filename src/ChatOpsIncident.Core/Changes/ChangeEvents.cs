using ChatOpsIncident.Core.Commands;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Changes;

/// <summary>
/// Something that changed in production (a deploy, a flag, a config push, a migration, infrastructure), as CI
/// pipelines and flag tools report it: "identify recent changes" is the first question of an incident.
/// </summary>
public sealed record ChangeEvent(long Id, string Kind, string Service, string Summary, string? Author, string? Url, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt);

public static class ChangeKinds
{
    public static readonly IReadOnlyList<string> All = ["deploy", "flag", "config", "migration", "infra"];
}

public sealed class ChangesOptions
{
    public const string SectionName = "Changes";

    /// <summary>How far back a new incident's channel lists recent changes.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(2);
}

public interface IChangeStore
{
    /// <summary>Records a change; <see cref="ChangeEvent.Id"/> and <see cref="ChangeEvent.RecordedAt"/> are the store's.</summary>
    Task<ChangeEvent> AddAsync(ChangeEvent change, CancellationToken ct);

    /// <summary>
    /// Changes that happened at or after <paramref name="since"/>, oldest first, after the keyset <paramref name="after"/>
    /// (the (occurred_at, id) of the previous page's last change).
    /// </summary>
    Task<IReadOnlyList<ChangeEvent>> ListSinceAsync(DateTimeOffset since, Storage.PageCursor? after, int limit, CancellationToken ct);
}

/// <summary>The changes a new incident's channel lists: those of the last <see cref="ChangesOptions.Window"/>.</summary>
public sealed class RecentChanges(IChangeStore store, IOptions<ChangesOptions> options, TimeProvider time)
{
    /// <summary>More than this in the window and the channel shows the newest; the API has them all.</summary>
    public const int Shown = 20;

    public async Task<IReadOnlyList<ChangeEvent>> ListAsync(CancellationToken ct)
    {
        var all = await store.ListSinceAsync(time.GetUtcNow() - options.Value.Window, null, 1000, ct);
        return all.TakeLast(Shown).ToList();
    }
}

/// <summary>A change recorded while the incident is open: context on its timeline.</summary>
public sealed record RecordChange(ChangeEvent Change) : IncidentCommand;
