using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Api;

/// <summary>
/// The write API: every endpoint builds the same command chat would and runs it through <see cref="IncidentService"/>
/// (surface <c>api</c>, the token's name as the actor), so the rules, the timeline, the audit and the posts are the
/// chat's. Input the API cannot use is a 422 before anything runs; a rule's refusal is a 409 with its reasons.
/// </summary>
internal static class IncidentWriteApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static RouteGroupBuilder MapIncidentWrites(this RouteGroupBuilder api)
    {
        var write = new RequiresScope(ApiScopes.IncidentsWrite);
        api.MapPost("/incidents", CreateAsync).WithMetadata(write).Produces<IncidentWriteResult>(StatusCodes.Status201Created);
        api.MapPatch("/incidents/{id}", EditAsync).WithMetadata(write).Produces<IncidentWriteResult>();
        api.MapPost("/incidents/{id}/updates", UpdateAsync).WithMetadata(write).Produces<IncidentWriteResult>();
        api.MapPost("/incidents/{id}/notes", NoteAsync).WithMetadata(write).Produces<IncidentWriteResult>();
        api.MapPost("/incidents/{id}/roles", RoleAsync).WithMetadata(write).Produces<IncidentWriteResult>();
        api.MapPost("/incidents/{id}/resolve", ResolveAsync).WithMetadata(write).Produces<IncidentWriteResult>();
        api.MapPost("/incidents/{id}/close", CloseAsync).WithMetadata(write).Produces<IncidentWriteResult>();
        api.MapPost("/incidents/{id}/actions", AddActionAsync).WithMetadata(write).Produces<IncidentWriteResult>();
        api.MapPatch("/incidents/{id}/actions/{number:int}", EditActionAsync).WithMetadata(write).Produces<IncidentWriteResult>();
        return api;
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, [FromBody] CreateIncidentRequest body, IncidentService service, IEnumerable<IChatPlatform> platforms, IOptions<IncidentOptions> options, CancellationToken ct)
    {
        var errors = new List<string>();
        var title = body.Title?.Trim();
        if (string.IsNullOrEmpty(title))
        {
            errors.Add("title is required.");
        }

        CheckSeverityAndType(body.Severity, body.Type, options.Value, errors);
        var configured = platforms.ToList();
        var platform = body.Platform is { } name
            ? configured.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            : configured.Count == 1 ? configured[0] : null;
        if (platform is null)
        {
            errors.Add(configured.Count == 0
                ? "No chat platform is configured to open the incident channel on."
                : $"platform must be one of {string.Join(", ", configured.Select(p => p.Name))}.");
        }

        var key = http.Request.Headers[IdempotencyKeyHeader].ToString();
        if (key.Length > 200)
        {
            errors.Add($"{IdempotencyKeyHeader} must be at most 200 characters.");
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Unprocessable(errors);
        }

        var caller = CallerOf(http);
        // The same key from the same token is the same delivery: the store returns the incident it created the first time.
        var delivery = key.Length > 0 ? $"api:{caller.Name}:{key}" : $"api:{Guid.NewGuid():N}";
        var commander = body.Commander is { Length: > 0 } c ? new List<UserRef> { new(c.Trim()) } : null;
        var ctx = new CommandContext(platform!.Name, Surfaces.Api, caller.Actor, null, delivery, caller.Viewer);
        var result = await service.DeclareAsync(ctx, new DeclareIncident(title!, body.Severity, body.Type, body.Private ?? false, body.Description, commander), ct);
        if (result.Refused || result.Incident is null)
        {
            return ApiProblems.Refused("(new)", result.Reply?.Text, result.Reasons);
        }

        return Results.Created($"/api/incidents/{result.Incident.Id}", new IncidentWriteResult(IncidentSummary.From(result.Incident), result.Reply?.Text));
    }

    private static async Task<IResult> EditAsync(HttpContext http, string id, [FromBody] EditIncidentRequest body, IncidentService service, IIncidentStore store, IOptions<IncidentOptions> options, CancellationToken ct)
    {
        var errors = new List<string>();
        if (body.Title is { } t && t.Trim().Length == 0)
        {
            errors.Add("title cannot be empty.");
        }

        CheckSeverityAndType(body.Severity, body.Type, options.Value, errors);
        if (body is { Title: null, Severity: null, Type: null, Description: null })
        {
            errors.Add("Send at least one of title, severity, type or description.");
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Unprocessable(errors);
        }

        var commands = new List<IncidentCommand>();
        if (body.Title is not null || body.Description is not null)
        {
            commands.Add(new EditDetails(body.Title, body.Description));
        }

        if (body.Severity is { } severity)
        {
            commands.Add(new ChangeSeverity(severity.Trim()));
        }

        if (body.Type is { } type)
        {
            commands.Add(new ChangeType(type.Trim()));
        }

        return await RunAsync(http, id, service, store, ct, [.. commands]);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string id, [FromBody] StatusUpdateRequest body, IncidentService service, IIncidentStore store, CancellationToken ct)
    {
        var errors = new List<string>();
        IncidentStatus? status = null;
        if (body.Status is { } text)
        {
            if (IncidentStatusNames.TryParse(text, out var parsed) && parsed.IsOpen())
            {
                status = parsed;
            }
            else
            {
                errors.Add("status must be investigating, identified or monitoring (resolve with /resolve).");
            }
        }

        Require(body.Text, "text", errors);
        return errors.Count > 0 ? ApiProblems.Unprocessable(errors) : await RunAsync(http, id, service, store, ct, new PostStatusUpdate(status, body.Text!.Trim()));
    }

    private static async Task<IResult> NoteAsync(HttpContext http, string id, [FromBody] NoteRequest body, IncidentService service, IIncidentStore store, TimeProvider time, CancellationToken ct)
    {
        var errors = new List<string>();
        Require(body.Text, "text", errors);
        if (body.OccurredAt is { } at && at > time.GetUtcNow())
        {
            errors.Add("occurredAt cannot be in the future.");
        }

        return errors.Count > 0 ? ApiProblems.Unprocessable(errors) : await RunAsync(http, id, service, store, ct, new AddNote(body.Text!.Trim(), body.OccurredAt));
    }

    private static async Task<IResult> RoleAsync(HttpContext http, string id, [FromBody] RoleRequest body, IncidentService service, IIncidentStore store, IOptions<IncidentOptions> options, CancellationToken ct)
    {
        var errors = new List<string>();
        var role = options.Value.FindRole(body.Role?.Trim());
        if (role is null)
        {
            errors.Add($"role must be one of {string.Join(", ", options.Value.Roles.Select(r => r.Key))}.");
        }

        Require(body.User, "user (a chat user id)", errors);
        return errors.Count > 0 ? ApiProblems.Unprocessable(errors) : await RunAsync(http, id, service, store, ct, new AssignRole(role!.Key, new UserRef(body.User!.Trim())));
    }

    private static async Task<IResult> ResolveAsync(HttpContext http, string id, [FromBody] ResolveRequest? body, IncidentService service, IIncidentStore store, CancellationToken ct)
    {
        var force = body?.Force ?? false;
        if (force && string.IsNullOrWhiteSpace(body?.Reason))
        {
            return ApiProblems.Unprocessable(["force needs a reason: it is kept in the audit."]);
        }

        return await RunAsync(http, id, service, store, ct, new Resolve(Blank(body?.Summary), force, Blank(body?.Reason)));
    }

    private static Task<IResult> CloseAsync(HttpContext http, string id, IncidentService service, IIncidentStore store, CancellationToken ct) =>
        RunAsync(http, id, service, store, ct, new Close());

    private static async Task<IResult> AddActionAsync(HttpContext http, string id, [FromBody] ActionRequest body, IncidentService service, IIncidentStore store, CancellationToken ct)
    {
        var errors = new List<string>();
        Require(body.Text, "text", errors);
        var priority = ParsePriority(body.Priority, errors) ?? ActionPriority.Normal;
        var owner = Blank(body.Owner) is { } o ? new UserRef(o) : null;
        return errors.Count > 0 ? ApiProblems.Unprocessable(errors) : await RunAsync(http, id, service, store, ct, new AddAction(body.Text!.Trim(), owner, body.Due, priority));
    }

    private static async Task<IResult> EditActionAsync(HttpContext http, string id, int number, [FromBody] ActionEditRequest body, IncidentService service, IIncidentStore store, CancellationToken ct)
    {
        var errors = new List<string>();
        var priority = ParsePriority(body.Priority, errors);
        var owner = Blank(body.Owner) is { } o ? new UserRef(o) : null;
        if (body is { Owner: null, Due: null, Priority: null, Done: null })
        {
            errors.Add("Send at least one of owner, due, priority or done.");
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Unprocessable(errors);
        }

        var commands = new List<IncidentCommand>();
        if (owner is not null || body.Due is not null || priority is not null)
        {
            commands.Add(new EditAction(number, owner, body.Due, priority));
        }

        if (body.Done is { } done)
        {
            commands.Add(done ? new CompleteAction(number) : new ReopenAction(number));
        }

        return await RunAsync(http, id, service, store, ct, [.. commands]);
    }

    /// <summary>
    /// Runs the commands in order against the incident; the first refusal stops the rest and answers 409 (what ran
    /// before it stays: each is its own decision, as in chat). The answer is the incident after the last one.
    /// </summary>
    internal static async Task<IResult> RunAsync(HttpContext http, string id, IncidentService service, IIncidentStore store, CancellationToken ct, params IncidentCommand[] commands)
    {
        if (!IncidentApi.IsIncidentId(id))
        {
            return ApiProblems.BadId(id);
        }

        var key = Guid.TryParse(id, out var guid) ? guid : IncidentApi.TryNumber(id, out var number) ? await store.FindIdByNumberAsync(number, ct) : null;
        if (key is not { } incidentId)
        {
            return ApiProblems.NotFound(id);
        }

        var caller = CallerOf(http);
        var delivery = $"api:{Guid.NewGuid():N}";
        CommandResult? result = null;
        for (var i = 0; i < commands.Length; i++)
        {
            // The platform in the context is the incident's own: the outbox posts to its channel.
            var ctx = new CommandContext("api", Surfaces.Api, caller.Actor, null, $"{delivery}:{i}", caller.Viewer);
            result = await service.ExecuteOnAsync(ctx, incidentId, commands[i], ct);
            if (result.Refused)
            {
                return ApiProblems.Refused(id, result.Reply?.Text, result.Reasons);
            }
        }

        return result?.Incident is { } incident
            ? Results.Ok(new IncidentWriteResult(IncidentSummary.From(incident), result.Reply?.Text))
            : ApiProblems.NotFound(id);
    }

    internal static ActionPriority? ParsePriority(string? text, List<string> errors)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null: return null;
            case "normal": return ActionPriority.Normal;
            case "high": return ActionPriority.High;
            case "critical": return ActionPriority.Critical;
            default:
                errors.Add("priority is normal, high or critical.");
                return null;
        }
    }

    private static void CheckSeverityAndType(string? severity, string? type, IncidentOptions options, List<string> errors)
    {
        if (severity is not null && options.FindSeverity(severity.Trim()) is null)
        {
            errors.Add($"severity must be one of {string.Join(", ", options.Severities.Select(s => s.Name))}.");
        }

        if (type is not null && options.FindType(type.Trim()) is null)
        {
            errors.Add($"type must be one of {string.Join(", ", options.Types.Select(t => t.Name))}.");
        }
    }

    private static void Require(string? value, string name, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{name} is required.");
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public static ApiCaller CallerOf(HttpContext http) =>
        http.Items.TryGetValue(typeof(ApiCaller), out var c) && c is ApiCaller caller ? caller : ApiCaller.Admin;
}
