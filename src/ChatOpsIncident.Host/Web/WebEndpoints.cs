using System.Globalization;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Privacy;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Core.Review;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.Host.Api;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Web;

/// <summary>The pages and the review API endpoints (postmortem.md, metrics).</summary>
internal static class WebEndpoints
{
    private const string HtmlType = "text/html; charset=utf-8";
    private const string MarkdownType = "text/markdown; charset=utf-8";

    public static void MapPages(IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/site.css", () => Results.Text(Assets.Css, "text/css; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/assets/site.js", () => Results.Text(Assets.Js, "text/javascript; charset=utf-8")).ExcludeFromDescription();

        var pages = app.MapGroup("").AddEndpointFilter<WebAccessFilter>();
        pages.MapGet("/", () => Results.Redirect("/incidents"));
        pages.MapGet("/incidents", ListAsync);
        pages.MapGet("/incidents/{id}", DetailAsync);
        pages.MapGet("/incidents/{id}/postmortem", PostmortemAsync);
        pages.MapGet("/incidents/{id}/postmortem.md", PostmortemMarkdownAsync);
        pages.MapPost("/incidents/{id}/actions", AddActionAsync);
        pages.MapPost("/incidents/{id}/actions/{seq:int}/done", CompleteActionAsync);
        pages.MapPost("/incidents/{id}/times", CorrectKeyTimesAsync);
        pages.MapGet("/reports", MetricsAsync);

        var api = app.MapGroup("/api").AddEndpointFilter<ApiTokenFilter>();
        // incidents:read, like the rest of the read API: a changes:write or alerts:write token reads nothing.
        var read = new RequiresScope(ApiScopes.IncidentsRead);
        api.MapGet("/incidents/{id}/postmortem.md", ApiPostmortemAsync).WithMetadata(read).Produces<string>(StatusCodes.Status200OK, "text/markdown");
        api.MapGet("/metrics", ApiMetricsAsync).WithMetadata(read).Produces<MetricsView>();
    }

    private static WebViewer Viewer(HttpContext http) => (WebViewer)http.Items[typeof(WebViewer)]!;

    private static IResult NotFound(HttpContext http, string id) =>
        Results.Content(Html.Page("Not found", $"<h1>Not found</h1><p>There is no incident {Html.E(id)} that you can see. <a href=\"/incidents\">All incidents</a></p>", Viewer(http), "incidents"), HtmlType, statusCode: StatusCodes.Status404NotFound);

    /// <summary>The incident when the viewer may see it; a private incident is "not found" to others, not "forbidden".</summary>
    private static Task<IncidentPage?> VisibleAsync(HttpContext http, IIncidentStore store, string id, PageRequest timeline, PageRequest audit, CancellationToken ct) =>
        IncidentPaging.FindVisibleAsync(store, id, Viewer(http).Viewer, timeline, audit, includeRemoved: false, ct);

    /// <summary>Visibility needs the people (roles, actions), never a page of entries.</summary>
    private static Task<IncidentPage?> VisibleAsync(HttpContext http, IIncidentStore store, string id, CancellationToken ct) =>
        VisibleAsync(http, store, id, PageRequest.First(0), PageRequest.First(0), ct);

    /// <summary>
    /// The review draft tells the whole story, so it reads the whole live timeline — in keyset chunks
    /// (<see cref="IncidentPageExtensions.GetForReviewAsync"/>) and without the audit trail it never shows.
    /// </summary>
    private static async Task<IncidentRecord?> ReviewAsync(IncidentPage? visible, IIncidentStore store, CancellationToken ct) =>
        visible is null ? null : await store.GetForReviewAsync(visible.Record.Incident.Id, ct);

    private static Task<IResult> ListAsync(HttpContext http, IncidentService incidents, IOptions<IncidentOptions> options, CancellationToken ct) =>
        IncidentListPage.RenderAsync(http.Request, Viewer(http), incidents, options.Value, ct);

    private static async Task<IResult> DetailAsync(HttpContext http, string id, IIncidentStore store, IOptions<IncidentOptions> options, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!IncidentPaging.TryRead(http.Request.Query, out var timeline, out var audit, out var error))
        {
            return Results.Content(Html.Page("Bad page", $"<h1>That page does not exist</h1><p>{Html.E(error!)} <a href=\"/incidents/{Html.E(id)}\">First page of the incident</a></p>", Viewer(http), "incidents"), HtmlType, statusCode: StatusCodes.Status400BadRequest);
        }

        var page = await VisibleAsync(http, store, id, timeline, audit, ct);
        if (page is null)
        {
            return NotFound(http, id);
        }

        var notice = http.Request.Query["done"].FirstOrDefault() is { Length: > 0 } done ? done switch
        {
            "action" => "Action added.",
            "completed" => "Action marked done.",
            "times" => "Key times corrected.",
            _ => null,
        } : null;
        return Results.Content(IncidentDetailPage.Render(http, page, Viewer(http), options.Value, antiforgery, notice, noticeOk: true), HtmlType);
    }

    private static async Task<IResult> PostmortemAsync(HttpContext http, string id, IIncidentStore store, IOptions<IncidentOptions> options, TimeProvider time, CancellationToken ct)
    {
        var record = await ReviewAsync(await VisibleAsync(http, store, id, ct), store, ct);
        if (record is null)
        {
            return NotFound(http, id);
        }

        var markdown = new PostmortemDraft(options.Value).Render(record, time.GetUtcNow());
        return Results.Content(PostmortemPage.Render(record, markdown, Viewer(http)), HtmlType);
    }

    private static async Task<IResult> PostmortemMarkdownAsync(HttpContext http, string id, IIncidentStore store, IOptions<IncidentOptions> options, TimeProvider time, CancellationToken ct)
    {
        var record = await ReviewAsync(await VisibleAsync(http, store, id, ct), store, ct);
        return record is null
            ? NotFound(http, id)
            : Results.Text(new PostmortemDraft(options.Value).Render(record, time.GetUtcNow()), MarkdownType);
    }

    private static async Task<IResult> ApiPostmortemAsync(HttpContext http, string id, IIncidentStore store, IOptions<IncidentOptions> options, TimeProvider time, CancellationToken ct)
    {
        var visible = IncidentApi.IsIncidentId(id)
            ? await IncidentPaging.FindVisibleAsync(store, id, IncidentApi.ViewerOf(http), PageRequest.First(0), PageRequest.First(0), includeRemoved: false, ct)
            : null;
        var record = await ReviewAsync(visible, store, ct);
        return record switch
        {
            null when !IncidentApi.IsIncidentId(id) => Results.Problem($"'{id}' is not an incident id: use the id (a UUID) or the number (INC-42).", statusCode: 400),
            null => Results.Problem($"Incident {id} was not found.", statusCode: 404),
            _ => Results.Text(new PostmortemDraft(options.Value).Render(record, time.GetUtcNow()), MarkdownType),
        };
    }

    private static async Task<IResult> MetricsAsync(HttpContext http, IIncidentStore store, IDeadLetterStore deadLetters, IOptions<IncidentOptions> options, TimeProvider time, CancellationToken ct)
    {
        var viewer = Viewer(http);
        if (!MetricsWindow.TryParse(http.Request.Query, time.GetUtcNow(), out var window, out var error))
        {
            var empty = IncidentMetrics.Compute([], default, default, options.Value);
            return Results.Content(MetricsPage.Render(empty, default, viewer, _ => false, error), HtmlType, statusCode: StatusCodes.Status400BadRequest);
        }

        var incidents = await window.LoadAsync(store, ct);
        var report = IncidentMetrics.Compute(incidents, window.From, window.To, options.Value);
        var visiblePrivate = new HashSet<Guid>();
        foreach (var f in report.Flagged.Where(f => f.Incident.IsPrivate && !viewer.IsAdmin))
        {
            if (await store.GetAsync(f.Incident.Id, ct) is { } r && viewer.CanSee(r))
            {
                visiblePrivate.Add(r.Incident.Id);
            }
        }

        var dead = await deadLetters.CountAsync(ct);
        return Results.Content(MetricsPage.Render(report, window, viewer, i => !i.IsPrivate || viewer.IsAdmin || visiblePrivate.Contains(i.Id), dead: dead), HtmlType);
    }

    private static async Task<IResult> ApiMetricsAsync(HttpRequest request, IIncidentStore store, IDeadLetterStore deadLetters, IOptions<IncidentOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (!MetricsWindow.TryParse(request.Query, time.GetUtcNow(), out var window, out var error))
        {
            return Results.Problem(error, statusCode: 400);
        }

        var report = IncidentMetrics.Compute(await window.LoadAsync(store, ct), window.From, window.To, options.Value);
        return Results.Ok(MetricsJson.From(report, await deadLetters.CountAsync(ct)));
    }

    private static async Task<IResult> AddActionAsync(HttpContext http, string id, IIncidentStore store, IncidentService service, IOptions<IncidentOptions> options, IAntiforgery antiforgery, CancellationToken ct)
    {
        var (page, form, refusal) = await FormAsync(http, id, store, antiforgery, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var text = form!["text"].FirstOrDefault()?.Trim() ?? "";
        var ownerText = form["owner"].FirstOrDefault()?.Trim();
        var dueText = form["due"].FirstOrDefault()?.Trim();
        var priorityText = form["priority"].FirstOrDefault()?.Trim().ToLowerInvariant() ?? "normal";
        var errors = new List<string>();
        if (text.Length is 0 or > 500)
        {
            errors.Add("Describe the action (1 to 500 characters).");
        }

        UserRef? owner = null;
        if (!string.IsNullOrEmpty(ownerText))
        {
            owner = CommandParser.ParseUser(ownerText, Viewer(http).User)
                ?? (ownerText.Length <= 100 && ownerText.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '@') ? new UserRef(ownerText) : null);
            if (owner is null)
            {
                errors.Add($"'{ownerText}' is not a user id.");
            }
        }

        DateOnly? due = null;
        if (!string.IsNullOrEmpty(dueText))
        {
            if (DateOnly.TryParseExact(dueText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                due = d;
            }
            else
            {
                errors.Add($"'{dueText}' is not a date (YYYY-MM-DD).");
            }
        }

        ActionPriority priority = ActionPriority.Normal;
        if (priorityText is not ("normal" or "high" or "critical"))
        {
            errors.Add("Priority is normal, high or critical.");
        }
        else
        {
            priority = priorityText switch { "high" => ActionPriority.High, "critical" => ActionPriority.Critical, _ => ActionPriority.Normal };
        }

        if (errors.Count > 0)
        {
            return Results.Content(IncidentDetailPage.Render(http, page!, Viewer(http), options.Value, antiforgery, string.Join(" ", errors) + " Nothing was changed."), HtmlType, statusCode: StatusCodes.Status400BadRequest);
        }

        return await ExecuteAsync(http, page!.Record, form, service, options.Value, antiforgery, new AddAction(text, owner, due, priority), "action", ct);
    }

    private static async Task<IResult> CompleteActionAsync(HttpContext http, string id, int seq, IIncidentStore store, IncidentService service, IOptions<IncidentOptions> options, IAntiforgery antiforgery, CancellationToken ct)
    {
        var (page, form, refusal) = await FormAsync(http, id, store, antiforgery, ct);
        return refusal ?? await ExecuteAsync(http, page!.Record, form!, service, options.Value, antiforgery, new CompleteAction(seq), "completed", ct);
    }

    /// <summary>The key-time form: blank fields stay as they are; a value that is not a time changes nothing and says so.</summary>
    private static async Task<IResult> CorrectKeyTimesAsync(HttpContext http, string id, IIncidentStore store, IncidentService service, IOptions<IncidentOptions> options, IAntiforgery antiforgery, CancellationToken ct)
    {
        var (page, form, refusal) = await FormAsync(http, id, store, antiforgery, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var errors = new List<string>();
        var times = new Dictionary<string, DateTimeOffset?>();
        foreach (var (name, field, current) in IncidentDetailPage.KeyTimeFields(page!.Record.Incident))
        {
            var text = form![field].FirstOrDefault()?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                times[field] = null;
                continue;
            }

            if (!DateTime.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var utc))
            {
                errors.Add($"'{text}' is not a time for {name} (YYYY-MM-DDTHH:MM, UTC).");
                continue;
            }

            var at = new DateTimeOffset(utc, TimeSpan.Zero);
            // The form sends every field back prefilled, to the minute: an untouched field is not a correction.
            times[field] = current is { } c && c.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) == at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) ? null : at;
        }

        if (errors.Count > 0)
        {
            return Results.Content(IncidentDetailPage.Render(http, page, Viewer(http), options.Value, antiforgery, string.Join(" ", errors) + " Nothing was changed."), HtmlType, statusCode: StatusCodes.Status400BadRequest);
        }

        var command = new CorrectKeyTimes(
            times.GetValueOrDefault(KeyTimeFormFields.ImpactStarted),
            times.GetValueOrDefault(KeyTimeFormFields.Detected),
            times.GetValueOrDefault(KeyTimeFormFields.Acknowledged),
            times.GetValueOrDefault(KeyTimeFormFields.Mitigated),
            times.GetValueOrDefault(KeyTimeFormFields.Resolved));
        return await ExecuteAsync(http, page.Record, form!, service, options.Value, antiforgery, command, "times", ct);
    }

    private static async Task<(IncidentPage? Page, IFormCollection? Form, IResult? Refusal)> FormAsync(HttpContext http, string id, IIncidentStore store, IAntiforgery antiforgery, CancellationToken ct)
    {
        // The first pages: a form that fails validation shows the incident again.
        var page = await VisibleAsync(http, store, id, PageRequest.First(), PageRequest.First(), ct);
        if (page is null)
        {
            return (null, null, NotFound(http, id));
        }

        var record = page.Record;

        if (!http.Request.HasFormContentType)
        {
            return (page, null, Results.Problem("Send the form (application/x-www-form-urlencoded).", statusCode: 400));
        }

        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return (page, null, Results.Content(Html.Page("Form expired", $"<h1>The form expired</h1><p>Nothing was changed. <a href=\"/incidents/{record.Incident.Id}\">Reload the incident</a> and try again.</p>", Viewer(http), "incidents"), HtmlType, statusCode: StatusCodes.Status400BadRequest));
        }

        return (page, await http.Request.ReadFormAsync(ct), null);
    }

    private static async Task<IResult> ExecuteAsync(HttpContext http, IncidentRecord record, IFormCollection form, IncidentService service, IncidentOptions options, IAntiforgery antiforgery, IncidentCommand command, string done, CancellationToken ct)
    {
        // The form's nonce is the delivery id: a double-submitted form changes the incident once.
        var nonce = form["nonce"].FirstOrDefault() is { Length: > 0 and <= 64 } n ? n : Guid.NewGuid().ToString("N");
        var viewer = Viewer(http);
        var ctx = new CommandContext(record.Incident.Platform, Surfaces.Web, viewer.User, null, $"web:{nonce}", new Viewer(viewer.Ids, viewer.IsAdmin));
        var result = await service.ExecuteOnAsync(ctx, record.Incident.Id, command, ct);
        if (result.Refused)
        {
            var fresh = await http.RequestServices.GetRequiredService<IIncidentStore>().GetPageAsync(record.Incident.Id, PageRequest.First(), PageRequest.First(), includeRemoved: false, ct);
            return Results.Content(IncidentDetailPage.Render(http, fresh ?? new IncidentPage(record, null, null, record.Timeline.Count, record.Audit.Count), Viewer(http), options, antiforgery, result.Reply?.Text), HtmlType, statusCode: StatusCodes.Status409Conflict);
        }

        return Results.Redirect($"/incidents/{record.Incident.Id}?done={done}#actions", permanent: false, preserveMethod: false);
    }
}

/// <summary>Lets a request see the pages (stashing its <see cref="WebViewer"/>) or answers 401/403.</summary>
internal sealed class WebAccessFilter(WebAccess access, IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        SecurityHeaders(http.Response);
        var (viewer, refusal) = access.Decide(http);
        if (viewer is null)
        {
            var here = http.Request.PathBase + http.Request.Path + http.Request.QueryString;
            return refusal switch
            {
                WebRefusal.SignIn => Results.Challenge(new AuthenticationProperties { RedirectUri = here }, [OpenIdConnectDefaults.AuthenticationScheme]),
                WebRefusal.Token => WithBearerChallenge(http, WebSignIn.Form(here, refused: false, StatusCodes.Status401Unauthorized)),
                WebRefusal.Outside => Forbidden("Your account is not in a tenant or workspace this site allows (Auth:AllowedTenants, Auth:AllowedSlackTeams)."),
                _ => Forbidden("The pages are closed: set Api:Token or Auth:Authority to open them (loopback access is for Development only, and never through a proxy)."),
            };
        }

        if (viewer.CanSignOut)
        {
            viewer = viewer with { SignOutToken = antiforgery.GetAndStoreTokens(http).RequestToken };
        }

        http.Items[typeof(WebViewer)] = viewer;
        return await next(context);
    }

    private static IResult WithBearerChallenge(HttpContext http, IResult result)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return result;
    }

    private static IResult Forbidden(string why) =>
        Results.Content($"<!DOCTYPE html><html lang=\"en\"><title>Forbidden</title><h1>Forbidden</h1><p>{Html.E(why)}</p></html>", "text/html; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);

    private static void SecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers.CacheControl = "no-store";
    }
}
