using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Review;

namespace ChatOpsIncident.Host.Web;

/// <summary>Small helpers for server-rendered HTML: everything people typed goes through <see cref="E"/>.</summary>
internal static partial class Html
{
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A UTC time with its date; the page script adds the reader's local time beside it.</summary>
    public static string Time(DateTimeOffset? at) => at is { } t
        ? $"<time datetime=\"{t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}\" data-local>{E(IncidentMessages.Time(t))}</time>"
        : "—";

    /// <summary>Plain chat text for a page: mention tokens become @name, everything encoded, line breaks kept.</summary>
    public static string Text(string? text) => E(PostmortemDraft.Mentions(text ?? "")).Replace("\n", "<br>", StringComparison.Ordinal);

    public static string Link(string label, string? url) =>
        url is not null && PostmortemDraft.IsWebLink(url) ? $"<a href=\"{E(url)}\">{E(label)}</a>" : E(label);

    public static string Badge(string text, string kind) => $"<span class=\"badge badge-{E(kind)}\">{E(text)}</span>";

    public static string Status(IncidentStatus status) => Badge(status.ToWire(), status.IsOpen() ? "open" : status.IsExit() ? "ended" : "done");

    [GeneratedRegex(@"(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC", RegexOptions.CultureInvariant)]
    private static partial Regex UtcText();

    /// <summary>Marks "yyyy-MM-dd HH:mm UTC" in rendered Markdown as times, so the reader's zone can be shown too.</summary>
    public static string MarkTimes(string html) =>
        UtcText().Replace(html, m => $"<time datetime=\"{m.Groups[1].Value}T{m.Groups[2].Value}:00Z\" data-local>{m.Value}</time>");

    public static string Page(string title, string body, WebViewer viewer, string current)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)} · ChatOpsIncident</title>
            <link rel="stylesheet" href="/assets/site.css">
            <script src="/assets/site.js" defer></script>
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="top">
            <nav aria-label="Main">
            <a href="/incidents"{(current == "incidents" ? " aria-current=\"page\"" : "")}>Incidents</a>
            <a href="/reports"{(current == "metrics" ? " aria-current=\"page\"" : "")}>Metrics</a>
            </nav>
            <div class="who">Signed in as <strong>{E(viewer.User.Display)}</strong>{(viewer.IsAdmin ? " (admin)" : "")}{(viewer.SignOutToken is { } af ? $" · <form class=\"signout\" method=\"post\" action=\"/signout\"><input type=\"hidden\" name=\"__af\" value=\"{E(af)}\"><button type=\"submit\">Sign out</button></form>" : "")}</div>
            </header>
            <main id="main" tabindex="-1">
            {body}
            </main>
            <footer><p>Times are UTC; your local time is shown beside them where your browser runs scripts.</p></footer>
            </body>
            </html>
            """);
        return sb.ToString();
    }

    [GeneratedRegex("<th scope=\"col\">(.*?)</th>", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderCell();

    [GeneratedRegex("<td|<th scope=\"row\"", RegexOptions.CultureInvariant)]
    private static partial Regex BodyCell();

    /// <summary>
    /// A table that can be scrolled by keyboard; on a phone each row becomes a card whose cells are labelled with their
    /// column (the labels are taken from the header and put on every cell here).
    /// </summary>
    public static string Table(string label, string head, string rows)
    {
        var columns = HeaderCell().Matches(head).Select(m => m.Groups[1].Value).ToList();
        var labelled = string.Join("<tr>", rows.Split("<tr>").Select(row =>
        {
            var k = 0;
            return BodyCell().Replace(row, m => k < columns.Count ? $"{m.Value} data-label=\"{columns[k++]}\"" : m.Value);
        }));
        return $"<div class=\"table-wrap\" role=\"region\" aria-label=\"{E(label)}\" tabindex=\"0\"><table><caption>{E(label)}</caption><thead>{head}</thead><tbody>{labelled}</tbody></table></div>";
    }
}
