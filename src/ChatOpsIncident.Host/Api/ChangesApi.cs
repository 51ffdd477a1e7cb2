using System.Globalization;
using ChatOpsIncident.Core.Changes;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Privacy;
using ChatOpsIncident.Core.Storage;
using Microsoft.AspNetCore.Mvc;

namespace ChatOpsIncident.Host.Api;

/// <summary>
/// Change events: <c>POST /api/changes</c> (CI pipelines, flag tools; scope <c>changes:write</c>) and
/// <c>GET /api/changes?since=</c> (paged with <c>cursor</c> / <c>next</c>). A change recorded while incidents are open
/// lands on each one's timeline as context, through the same decision as any other entry.
/// </summary>
internal static class ChangesApi
{
    private const int MaxOpenIncidents = 1000;

    public static RouteGroupBuilder MapChanges(this RouteGroupBuilder api)
    {
        api.MapPost("/changes", RecordAsync).WithMetadata(new RequiresScope(ApiScopes.ChangesWrite)).Produces<ChangeView>(StatusCodes.Status201Created);
        api.MapGet("/changes", ListAsync).WithMetadata(new RequiresScope(ApiScopes.IncidentsRead)).Produces<ChangePage>();
        return api;
    }

    private static async Task<IResult> RecordAsync(HttpContext http, [FromBody] ChangeRequest body, IChangeStore changes, IncidentService service, TimeProvider time, CancellationToken ct)
    {
        var errors = new List<string>();
        var kind = body.Kind?.Trim().ToLowerInvariant();
        if (kind is null || !ChangeKinds.All.Contains(kind))
        {
            errors.Add($"kind must be one of {string.Join(", ", ChangeKinds.All)}.");
        }

        if (string.IsNullOrWhiteSpace(body.Service))
        {
            errors.Add("service is required.");
        }

        if (string.IsNullOrWhiteSpace(body.Summary))
        {
            errors.Add("summary is required.");
        }

        if (body.Url is { Length: > 0 } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            errors.Add("url must be an absolute http(s) address.");
        }

        var now = time.GetUtcNow();
        if (body.Time is { } at && at > now.AddMinutes(5))
        {
            errors.Add("time cannot be in the future.");
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Unprocessable(errors);
        }

        var saved = await changes.AddAsync(new ChangeEvent(0, kind!, body.Service!.Trim(), body.Summary!.Trim(), Blank(body.Author), Blank(body.Url), body.Time ?? now, now), ct);

        // Every open incident gets it as context (private ones too: the change is not theirs to hide, the entry is on
        // their own timeline). Each is its own delivery, keyed by the change, so a retry adds nothing twice.
        var caller = IncidentWriteApi.CallerOf(http);
        foreach (var incident in await service.ListVisibleAsync(new IncidentQuery(Open: true, Limit: MaxOpenIncidents), Viewer.Admin, ct))
        {
            var ctx = new CommandContext("api", Surfaces.Api, caller.Actor, null, $"change:{saved.Id}:{incident.Id:N}", Viewer.Admin);
            await service.ExecuteOnAsync(ctx, incident.Id, new RecordChange(saved), ct);
        }

        return Results.Created($"/api/changes?since={Uri.EscapeDataString(saved.OccurredAt.ToString("O", CultureInfo.InvariantCulture))}", ChangeView.From(saved));
    }

    private static async Task<IResult> ListAsync(IChangeStore changes, TimeProvider time, DateTimeOffset? since, string? cursor, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 1000)
        {
            return Results.Problem("limit must be between 1 and 1000.", statusCode: 400);
        }

        PageCursor? after = null;
        if (cursor is not null)
        {
            if (!ListCursor.TryParse(ListCursor.Changes, cursor, out var parsed))
            {
                return ListCursor.Bad("GET /api/changes");
            }

            after = parsed;
        }

        var take = limit ?? 100;
        // One more than asked says whether there is a next page without a count.
        var page = await changes.ListSinceAsync(since ?? time.GetUtcNow().AddDays(-1), after, take + 1, ct);
        var shown = page.Take(take).Select(ChangeView.From).ToList();
        var next = page.Count > take ? ListCursor.Encode(ListCursor.Changes, shown[^1].Time, shown[^1].Id) : null;
        return Results.Ok(new ChangePage(shown, next));
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary><c>POST /api/changes</c>: <c>kind</c> is deploy, flag, config, migration or infra; <c>time</c> defaults to now.</summary>
internal sealed record ChangeRequest(string? Kind, string? Service, string? Summary, string? Author, string? Url, DateTimeOffset? Time);

internal sealed record ChangeView(long Id, string Kind, string Service, string Summary, string? Author, string? Url, DateTimeOffset Time, DateTimeOffset RecordedAt)
{
    public static ChangeView From(ChangeEvent c) => new(c.Id, c.Kind, c.Service, c.Summary, c.Author, c.Url, c.OccurredAt, c.RecordedAt);
}

/// <summary>A page of changes, oldest first; <c>next</c> is the cursor of the following page (null on the last).</summary>
internal sealed record ChangePage(IReadOnlyList<ChangeView> Changes, string? Next);
