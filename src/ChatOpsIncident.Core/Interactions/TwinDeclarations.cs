using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Storage;

namespace ChatOpsIncident.Core.Interactions;

/// <summary>
/// A double submit (two Enter presses, a form sent twice) arrives as two deliveries with different ids, which the
/// declare key cannot tell apart: the same person declaring the same title on the same platform moments apart is
/// one declaration, and the second finishes the first instead of opening a second channel.
/// </summary>
public static class TwinDeclarations
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(2);

    /// <summary>The store query that finds the candidates (a superset: <see cref="Find"/> decides).</summary>
    public static IncidentQuery Candidates(string title, DateTimeOffset now) =>
        new(Search: title.Trim(), DeclaredFrom: now - Window, Limit: 20);

    public static Incident? Find(IEnumerable<Incident> candidates, CommandContext ctx, string title, DateTimeOffset now)
    {
        var trimmed = title.Trim();
        return candidates.FirstOrDefault(i => i.Platform == ctx.Platform && i.DeclaredBy.Id == ctx.Actor.Id
            && i.DeclaredAt >= now - Window
            && string.Equals(i.Title, trimmed, StringComparison.OrdinalIgnoreCase));
    }
}
