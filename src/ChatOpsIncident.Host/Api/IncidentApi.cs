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
        services.AddProblemDetails();
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        return services;
    }

    public static IEndpointRouteBuilder MapIncidentApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter<ApiTokenFilter>();
        api.MapGet("/incidents", ListAsync);
        api.MapGet("/incidents/{id}", GetAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(
        HttpContext http,
        IncidentService service,
        IIncidentStore store,
        string? status,
        string? severity,
        string? type,
        string? q,
        int? limit,
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

        var incidents = await store.ListAsync(new IncidentQuery(parsed, open, severity, type, q, limit ?? 200), ct);
        return Results.Ok((await service.VisibleAsync(incidents, ViewerOf(http), ct)).Select(IncidentSummary.From));
    }

    private static async Task<IResult> GetAsync(HttpContext http, IIncidentStore store, string id, CancellationToken ct)
    {
        var record = await FindVisibleAsync(http, store, id, ct);
        return record switch
        {
            null when !IsIncidentId(id) => Results.Problem($"'{id}' is not an incident id: use the id (a UUID) or the number (INC-42).", statusCode: 400),
            null => Results.Problem($"Incident {id} was not found.", statusCode: 404),
            _ => Results.Ok(IncidentDetail.From(record)),
        };
    }

    /// <summary>
    /// Who is calling the API, for the visibility rule. <see cref="ApiTokenFilter"/> admits the admin token
    /// (<c>Api:Token</c>), whose holder sees every incident, private ones included; a filter that admits a narrower
    /// token puts that caller's <see cref="Viewer"/> in <see cref="HttpContext.Items"/> under its type.
    /// </summary>
    public static Viewer ViewerOf(HttpContext http) =>
        http.Items.TryGetValue(typeof(Viewer), out var v) && v is Viewer viewer ? viewer : Viewer.Admin;

    /// <summary>The incident when the caller may see it: a private one is "not found" to others, in the same words as a missing one.</summary>
    public static async Task<IncidentRecord?> FindVisibleAsync(HttpContext http, IIncidentStore store, string id, CancellationToken ct) =>
        await FindAsync(store, id, ct) is { } record && IncidentVisibility.CanSee(record, ViewerOf(http)) ? record : null;

    public static bool IsIncidentId(string id) => Guid.TryParse(id, out _) || TryNumber(id, out _);

    public static async Task<IncidentRecord?> FindAsync(IIncidentStore store, string id, CancellationToken ct)
    {
        if (Guid.TryParse(id, out var guid))
        {
            return await store.GetAsync(guid, ct);
        }

        return TryNumber(id, out var number) ? await store.GetByNumberAsync(number, ct) : null;
    }

    private static bool TryNumber(string id, out int number)
    {
        var digits = id.StartsWith("INC-", StringComparison.OrdinalIgnoreCase) ? id[4..] : id;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number > 0;
    }
}

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
    public static IncidentSummary From(Incident i) =>
        new(i.Id, i.Number, i.PublicId, i.Title, i.Severity, i.Type, i.Status.ToWire(), i.IsPrivate, i.Platform, i.ChannelId, i.ChannelName, i.ChannelUrl, i.DeclaredAt, i.ResolvedAt, i.NextUpdateDue);
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
    IReadOnlyList<object> Updates,
    IReadOnlyList<ActionItem> Actions,
    IReadOnlyList<AuditRecord> Audit,
    IReadOnlyList<ChecklistItemState> Checklists)
{
    public static IncidentDetail From(IncidentRecord r)
    {
        var i = r.Incident;
        return new(i.Id, i.Number, i.PublicId, i.Title, i.Severity, i.Type, i.Status.ToWire(), i.IsPrivate, i.Description, i.Summary,
            i.Platform, i.ChannelId, i.ChannelName, i.ChannelUrl, i.DeclaredBy, i.DeclaredAt, i.AcknowledgedAt, i.MitigatedAt,
            i.ResolvedAt, i.ClosedAt, i.LastUpdateAt, i.NextUpdateDue, i.DeployFreeze, i.Version,
            r.Roles, r.Timeline, r.Updates.Select(u => (object)new { u.Id, Status = u.Status.ToWire(), u.Text, u.Author, u.PostedAt }).ToList(),
            r.Actions, r.Audit, r.Checklists);
    }
}
