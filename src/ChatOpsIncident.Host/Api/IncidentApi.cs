using System.Globalization;
using System.Text.Json.Serialization;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Privacy;
using ChatOpsIncident.Core.Storage;
using Microsoft.AspNetCore.Http.Json;

namespace ChatOpsIncident.Host.Api;

internal static class IncidentApi
{
    public static IServiceCollection AddIncidentApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        services.AddSingleton<ApiTokens>();
        services.AddProblemDetails();
        services.AddApiDocument();
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        return services;
    }

    public static IEndpointRouteBuilder MapIncidentApi(this IEndpointRouteBuilder app)
    {
        app.MapApiDocument();
        var api = app.MapGroup("/api").AddEndpointFilter<ApiTokenFilter>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        var read = new RequiresScope(ApiScopes.IncidentsRead);
        api.MapGet("/incidents", ListAsync).WithMetadata(read).Produces<IncidentList>();
        api.MapGet("/incidents/{id}", GetAsync).WithMetadata(read).Produces<IncidentDetail>();
        api.MapIncidentWrites();
        api.MapFreeze();
        api.MapChanges();
        return app;
    }

    private static async Task<IResult> ListAsync(
        HttpContext http,
        IncidentService service,
        string? status,
        string? severity,
        string? type,
        string? q,
        int? limit,
        string? cursor,
        CancellationToken ct)
    {
        IncidentStatus? parsed = null;
        bool? open = null;
        if (status is "open")
        {
            open = true;
        }
        else if (status is not null)
        {
            if (!IncidentStatusNames.TryFromWire(status, out var s))
            {
                return Results.Problem($"Unknown status '{status}'. Use open, triage, investigating, identified, monitoring, resolved, closed, declined, merged or cancelled.", statusCode: 400);
            }

            parsed = s;
        }

        if (limit is < 1 or > 1000)
        {
            return Results.Problem("limit must be between 1 and 1000.", statusCode: 400);
        }

        PageCursor? after = null;
        if (cursor is not null)
        {
            if (!ListCursor.TryParse(ListCursor.Incidents, cursor, out var parsedCursor))
            {
                return ListCursor.Bad("GET /api/incidents");
            }

            after = parsedCursor;
        }

        // One more than asked says whether there is a next page without a count; the visibility rule is in the same
        // query, so a page never holds (nor a cursor points past) an incident the caller may not see.
        var take = limit ?? 200;
        var incidents = await service.ListVisibleAsync(new IncidentQuery(parsed, open, severity, type, q, take + 1, After: after), ViewerOf(http), ct);
        var shown = incidents.Take(take).ToList();
        var next = incidents.Count > take ? ListCursor.Encode(ListCursor.Incidents, shown[^1].DeclaredAt, shown[^1].Number) : null;
        return Results.Ok(new IncidentList(shown.Select(IncidentSummary.From).ToList(), next));
    }

    /// <summary>
    /// One incident with the first page of its timeline and audit (<see cref="IncidentPaging"/>); <c>next</c> holds the
    /// cursors of the following pages. The timeline keeps removed entries (with <c>removedAt</c>), as it always did.
    /// </summary>
    private static async Task<IResult> GetAsync(HttpContext http, IIncidentStore store, string id, CancellationToken ct)
    {
        if (!IsIncidentId(id))
        {
            return Results.Problem($"'{id}' is not an incident id: use the id (a UUID) or the number (INC-42).", statusCode: 400);
        }

        if (!IncidentPaging.TryRead(http.Request.Query, out var timeline, out var audit, out var error))
        {
            return Results.Problem(error, statusCode: 400);
        }

        var page = await IncidentPaging.FindVisibleAsync(store, id, ViewerOf(http), timeline, audit, includeRemoved: true, ct);
        return page is null
            ? Results.Problem($"Incident {id} was not found.", statusCode: 404)
            : Results.Ok(IncidentDetail.From(page));
    }

    /// <summary>
    /// Who is calling the API, for the visibility rule. <see cref="ApiTokenFilter"/> admits the admin token
    /// (<c>Api:Token</c>), whose holder sees every incident, private ones included; a filter that admits a narrower
    /// token puts that caller's <see cref="Viewer"/> in <see cref="HttpContext.Items"/> under its type.
    /// </summary>
    public static Viewer ViewerOf(HttpContext http) =>
        http.Items.TryGetValue(typeof(Viewer), out var v) && v is Viewer viewer ? viewer : Viewer.Admin;

    public static bool IsIncidentId(string id) => Guid.TryParse(id, out _) || TryNumber(id, out _);

    public static bool TryNumber(string id, out int number)
    {
        var digits = id.StartsWith("INC-", StringComparison.OrdinalIgnoreCase) ? id[4..] : id;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number > 0;
    }
}

/// <summary>A page of incidents, newest first; <c>next</c> is the <c>cursor</c> of the following page (null on the last).</summary>
internal sealed record IncidentList(IReadOnlyList<IncidentSummary> Incidents, string? Next);

internal sealed record IncidentSummary(
    Guid Id,
    int Number,
    string Reference,
    string Title,
    string Severity,
    string Type,
    string Status,
    bool IsPrivate,
    string Platform,
    string? ChannelId,
    string? ChannelName,
    string? ChannelUrl,
    DateTimeOffset DeclaredAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? NextUpdateDue)
{
    /// <summary>A rehearsal, left out of metrics (<c>drill: true</c>).</summary>
    public bool Drill { get; init; }

    public static IncidentSummary From(Incident i) =>
        new(i.Id, i.Number, i.PublicId, i.Title, i.Severity, i.Type, i.Status.ToWire(), i.IsPrivate, i.Platform, i.ChannelId, i.ChannelName, i.ChannelUrl, i.DeclaredAt, i.ResolvedAt, i.NextUpdateDue)
        {
            Drill = i.Drill,
        };
}

internal sealed record IncidentDetail(
    Guid Id,
    int Number,
    string Reference,
    string Title,
    string Severity,
    string Type,
    string Status,
    bool IsPrivate,
    string? Description,
    string? Summary,
    string Platform,
    string? ChannelId,
    string? ChannelName,
    string? ChannelUrl,
    UserRef DeclaredBy,
    DateTimeOffset DeclaredAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? MitigatedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? LastUpdateAt,
    DateTimeOffset? NextUpdateDue,
    bool DeployFreeze,
    int Version,
    IReadOnlyList<RoleAssignment> Roles,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<StatusUpdateView> Updates,
    IReadOnlyList<ActionItem> Actions,
    IReadOnlyList<AuditRecord> Audit,
    IReadOnlyList<ChecklistItemState> Checklists,
    int TimelineTotal,
    int AuditTotal,
    IncidentPageLinks Next)
{
    /// <summary>A rehearsal, left out of metrics (<c>drill: true</c>).</summary>
    public bool Drill { get; init; }

    public static IncidentDetail From(IncidentPage page)
    {
        var r = page.Record;
        var i = r.Incident;
        return new(i.Id, i.Number, i.PublicId, i.Title, i.Severity, i.Type, i.Status.ToWire(), i.IsPrivate, i.Description, i.Summary,
            i.Platform, i.ChannelId, i.ChannelName, i.ChannelUrl, i.DeclaredBy, i.DeclaredAt, i.AcknowledgedAt, i.MitigatedAt,
            i.ResolvedAt, i.ClosedAt, i.LastUpdateAt, i.NextUpdateDue, i.DeployFreeze, i.Version,
            r.Roles, r.Timeline, r.Updates.Select(u => new StatusUpdateView(u.Id, u.Status.ToWire(), u.Text, u.Author, u.PostedAt)).ToList(),
            r.Actions, r.Audit, r.Checklists, page.TimelineTotal, page.AuditTotal,
            new IncidentPageLinks(page.NextTimeline?.Encode(), page.NextAudit?.Encode()))
        {
            Drill = i.Drill,
        };
    }
}

/// <summary>A stakeholder update as the API shows it (the status by its wire name).</summary>
internal sealed record StatusUpdateView(long Id, string Status, string Text, UserRef Author, DateTimeOffset PostedAt);

/// <summary>The cursors of the next timeline and audit pages (pass as <c>?timelineAfter=</c> / <c>?auditAfter=</c>); null on the last page.</summary>
internal sealed record IncidentPageLinks(string? Timeline, string? Audit);
