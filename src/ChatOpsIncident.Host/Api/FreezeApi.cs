using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Privacy;
using ChatOpsIncident.Core.Storage;
using Microsoft.AspNetCore.Mvc;

namespace ChatOpsIncident.Host.Api;

/// <summary>
/// The deploy-freeze gate: <c>GET /api/freeze</c> for a CI pipeline to poll (any valid token), and
/// <c>POST /api/incidents/{id}/freeze</c> to set it as <c>freeze on|off</c> does in the channel. A freeze belongs to an
/// incident (resolving lifts it); deploys are frozen while any open incident holds one.
/// </summary>
internal static class FreezeApi
{
    /// <summary>More open incidents than this at once is not a state a gate needs to page through.</summary>
    private const int OpenIncidentsRead = 1000;

    public static RouteGroupBuilder MapFreeze(this RouteGroupBuilder api)
    {
        api.MapGet("/freeze", GetAsync).Produces<FreezeState>();
        api.MapPost("/incidents/{id}/freeze", SetAsync).WithMetadata(new RequiresScope(ApiScopes.IncidentsWrite)).Produces<IncidentWriteResult>();
        return api;
    }

    private static async Task<IResult> GetAsync(IncidentService service, CancellationToken ct)
    {
        // Every frozen incident counts, private ones too (a gate must not open because it cannot see one), but a private
        // incident shows only its reference: the title is what it keeps from people outside it.
        var open = await service.ListVisibleAsync(new IncidentQuery(Open: true, Limit: OpenIncidentsRead), Viewer.Admin, ct);
        var frozen = open.Where(i => i.DeployFreeze)
            .Select(i => new FrozenIncident(i.Id, i.PublicId, i.IsPrivate ? null : i.Title, i.Severity, i.IsPrivate))
            .ToList();
        return Results.Ok(new FreezeState(frozen.Count > 0, frozen));
    }

    private static async Task<IResult> SetAsync(HttpContext http, string id, [FromBody] FreezeRequest body, IncidentService service, IIncidentStore store, CancellationToken ct) =>
        body.On is not { } on
            ? ApiProblems.Unprocessable(["on is required (true to freeze deploys, false to lift the freeze)."])
            : await IncidentWriteApi.RunAsync(http, id, service, store, ct, new SetFreeze(on));
}

/// <summary><c>POST /api/incidents/{id}/freeze</c>.</summary>
internal sealed record FreezeRequest(bool? On);

/// <summary><c>GET /api/freeze</c>: whether deploys are frozen, and by which open incidents (a private one without its title).</summary>
internal sealed record FreezeState(bool Frozen, IReadOnlyList<FrozenIncident> Incidents);

internal sealed record FrozenIncident(Guid Id, string Reference, string? Title, string Severity, bool IsPrivate);
