using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ChatOpsIncident.Core.Processing;
using Microsoft.AspNetCore.Antiforgery;
using static ChatOpsIncident.Host.Web.Html;

namespace ChatOpsIncident.Host.Web;

/// <summary>
/// /admin/dead-letters: the work that gave up for good, newest first, each with a Retry button. Admins only (the
/// same people the dashboard lets in): dead items of private incidents and their errors are not filtered by the
/// visibility rule, so nobody else sees them.
/// </summary>
internal static partial class AdminDeadLettersPage
{
    private const string HtmlType = "text/html; charset=utf-8";

    /// <summary>How many dead items one page shows; the total is always said, so a longer list is not hidden.</summary>
    public const int Limit = 100;

    public static void Map(IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").AddEndpointFilter<WebAccessFilter>().AddEndpointFilter<AdminOnlyFilter>();
        admin.MapGet("/dead-letters", ListAsync);
        admin.MapPost("/dead-letters/{queue}/{id:long}/retry", RetryAsync);
    }

    private static WebViewer Viewer(HttpContext http) => (WebViewer)http.Items[typeof(WebViewer)]!;

    private static async Task<IResult> ListAsync(HttpContext http, IDeadLetterStore store, IAntiforgery antiforgery, CancellationToken ct)
    {
        var notice = http.Request.Query["done"].FirstOrDefault() switch
        {
            "retried" => "Put back to work: the worker delivers it in a moment.",
            "gone" => "That item is no longer dead (already retried?). Nothing was changed.",
            _ => null,
        };
        return Results.Content(await RenderAsync(http, store, antiforgery, notice, ct), HtmlType);
    }

    private static async Task<IResult> RetryAsync(HttpContext http, string queue, long id, IDeadLetterStore store, IAntiforgery antiforgery, InboxSignal inboxSignal, OutboxSignal outboxSignal, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
        {
            return Results.Problem("Send the form (application/x-www-form-urlencoded).", statusCode: 400);
        }

        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Content(Page("Form expired", "<h1>The form expired</h1><p>Nothing was changed. <a href=\"/admin/dead-letters\">Reload the dead items</a> and try again.</p>", Viewer(http), "admin"), HtmlType, statusCode: StatusCodes.Status400BadRequest);
        }

        if (!Enum.TryParse<DeadLetterQueue>(queue, ignoreCase: true, out var q) || !Enum.IsDefined(q))
        {
            return Results.Problem($"'{queue}' is not a queue: inbox or outbox.", statusCode: 400);
        }

        if (!await store.RetryAsync(q, id, ct))
        {
            return Results.Redirect("/admin/dead-letters?done=gone", permanent: false, preserveMethod: false);
        }

        // This replica's worker picks it up at once; another replica's at its next poll.
        (q == DeadLetterQueue.Inbox ? (WorkSignal)inboxSignal : outboxSignal).Notify();
        return Results.Redirect("/admin/dead-letters?done=retried", permanent: false, preserveMethod: false);
    }

    private static async Task<string> RenderAsync(HttpContext http, IDeadLetterStore store, IAntiforgery antiforgery, string? notice, CancellationToken ct)
    {
        var counts = await store.CountAsync(ct);
        var items = await store.ListAsync(Limit, ct);
        var body = new StringBuilder("<h1>Dead items</h1>");
        if (notice is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"notice ok\" role=\"status\">{E(notice)}</p>");
        }

        body.Append("<p>Work that failed on every attempt and will not be tried again by itself. Retry puts an item back to work with its attempts reset; it is delivered once.</p>");
        body.Append(CultureInfo.InvariantCulture, $"<p id=\"dead-count\" role=\"status\">{counts.Total} dead: {counts.Inbox} received, {counts.Outbox} outgoing.{(counts.Total > items.Count ? $" Showing the newest {items.Count}." : "")}</p>");
        if (items.Count == 0)
        {
            return Page("Dead items", body.ToString(), Viewer(http), "admin");
        }

        var token = antiforgery.GetAndStoreTokens(http).RequestToken;
        var rows = new StringBuilder();
        foreach (var d in items)
        {
            var queue = d.Queue.ToString().ToLowerInvariant();
            rows.Append(CultureInfo.InvariantCulture, $"<tr id=\"dead-{queue}-{d.Id}\"><th scope=\"row\">{E(queue == "inbox" ? "received" : "outgoing")} · {E(d.Kind)}</th><td>{E(d.Platform)}</td><td>{E(d.ChannelId ?? "—")}</td><td>{Time(d.At)}</td><td>{d.Attempts}</td><td>{E(Redact(d.LastError) ?? "—")}</td>");
            rows.Append(CultureInfo.InvariantCulture, $"<td><form method=\"post\" action=\"/admin/dead-letters/{queue}/{d.Id}/retry\"><input type=\"hidden\" name=\"__af\" value=\"{E(token)}\"><button type=\"submit\">Retry</button></form></td></tr>");
        }

        body.Append(Table("Dead items, newest first", "<tr><th scope=\"col\">Kind</th><th scope=\"col\">Platform</th><th scope=\"col\">Channel</th><th scope=\"col\">When</th><th scope=\"col\">Attempts</th><th scope=\"col\">Last error</th><th scope=\"col\">Retry</th></tr>", rows.ToString()));
        return Page("Dead items", body.ToString(), Viewer(http), "admin");
    }

    [GeneratedRegex(@"https?://[^\s""'<>)]+", RegexOptions.CultureInvariant)]
    private static partial Regex Url();

    [GeneratedRegex(@"\b(xox[a-z]-[A-Za-z0-9-]+|Bearer\s+\S+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Credential();

    /// <summary>
    /// An error as an admin may read it. A failed response_url call can name the URL (a bearer address) and a failed
    /// call its token: addresses keep only scheme and host, credentials are blanked.
    /// </summary>
    internal static string? Redact(string? error)
    {
        if (error is null)
        {
            return null;
        }

        var text = Url().Replace(error, m => Uri.TryCreate(m.Value, UriKind.Absolute, out var u) ? $"{u.Scheme}://{u.Authority}/…" : "[address]");
        return Credential().Replace(text, "[credential]");
    }
}

/// <summary>After <see cref="WebAccessFilter"/>: lets admins through, answers 403 to everyone else who may see the pages.</summary>
internal sealed class AdminOnlyFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Items[typeof(WebViewer)] is not WebViewer { IsAdmin: true })
        {
            return Results.Content(
                "<!DOCTYPE html><html lang=\"en\"><title>Forbidden</title><h1>Forbidden</h1><p>Only admins (Auth:Admins, or the admin token) can see dead items.</p></html>",
                "text/html; charset=utf-8",
                statusCode: StatusCodes.Status403Forbidden);
        }

        return await next(context);
    }
}
