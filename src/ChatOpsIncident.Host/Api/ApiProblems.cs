using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Host.Api;

/// <summary>
/// The write API's errors as problem details (RFC 9457): 422 for input the API cannot use (the <c>errors</c> list names
/// each field), 404 for an incident the token may not see, 409 with the decision's <c>reasons</c> when a rule refuses.
/// </summary>
internal static class ApiProblems
{
    public static IResult Unprocessable(IReadOnlyList<string> errors) =>
        Results.Problem(
            string.Join(" ", errors),
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "The request cannot be used",
            extensions: new Dictionary<string, object?> { ["errors"] = errors });

    public static IResult NotFound(string id) =>
        Results.Problem($"Incident {id} was not found.", statusCode: StatusCodes.Status404NotFound);

    public static IResult BadId(string id) =>
        Results.Problem($"'{id}' is not an incident id: use the id (a UUID) or the number (INC-42).", statusCode: StatusCodes.Status400BadRequest);

    /// <summary>A refusal of the decision; "no such incident" stays a 404, in the same words as a missing one.</summary>
    public static IResult Refused(string id, string? text, IReadOnlyList<string>? gateReasons)
    {
        if (text is null or IncidentMessages.NoSuchIncident)
        {
            return NotFound(id);
        }

        // A gate lists what it waits for (the open recovery items, the critical actions without owner or due date);
        // any other refusal is its one sentence.
        IReadOnlyList<string> reasons = gateReasons is { Count: > 0 } ? gateReasons : [text];
        return Results.Problem(
            text,
            statusCode: StatusCodes.Status409Conflict,
            title: "The incident's rules refused the change",
            extensions: new Dictionary<string, object?> { ["reasons"] = reasons });
    }
}
