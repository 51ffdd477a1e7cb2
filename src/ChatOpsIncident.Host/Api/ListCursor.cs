using ChatOpsIncident.Core.Storage;

namespace ChatOpsIncident.Host.Api;

/// <summary>
/// The <c>cursor</c> / <c>next</c> of the list endpoints (<c>GET /api/incidents</c>, <c>GET /api/changes</c>): the
/// keyset (time, id) of a page's last row, opaque to callers (base64url of <c>kind:ticks:id</c>). The kind keeps one
/// list's cursor from being taken for another's: a cursor the server did not give out for this list is a 400.
/// </summary>
internal static class ListCursor
{
    public const string Incidents = "incidents1";
    public const string Changes = "changes1";

    public static string Encode(string kind, DateTimeOffset at, long id) => new PageCursor(at, id).Encode(kind);

    public static bool TryParse(string kind, string? token, out PageCursor cursor) => PageCursor.TryParse(kind, token, out cursor);

    /// <summary>The 400 for a cursor this list did not give out.</summary>
    public static IResult Bad(string list) =>
        Results.Problem($"cursor is not one this server gave out for {list}: pass the next value of a previous answer unchanged, or leave it out for the first page.", statusCode: StatusCodes.Status400BadRequest, title: "Bad cursor");
}
