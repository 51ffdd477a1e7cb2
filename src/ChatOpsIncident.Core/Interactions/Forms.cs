using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Interactions;

/// <summary>Field names of the declare and update forms: Slack's block ids and Teams' input ids are these.</summary>
public static class FormFields
{
    public const string Title = "title";
    public const string Severity = "severity";
    public const string Type = "type";
    public const string Commander = "commander";
    public const string Private = "private";
    public const string Description = "description";
    public const string Status = "status";
    public const string Text = "text";
}

public enum FormProblem
{
    Missing,
    TooLong,
    /// <summary>A choice that is not one of the configured ones.</summary>
    Unknown,
}

/// <summary>What is wrong with one field; each adapter words it (inline on Slack, in the reply on Teams).</summary>
public sealed record FormError(string Field, FormProblem Problem);

/// <summary>The raw answers of a declare form, as an adapter read them from its payload.</summary>
public sealed record DeclareForm(string? Title, string? Severity, string? Type, bool Private, string? Description, string? Commander = null);

/// <summary>The raw answers of a status-update form.</summary>
public sealed record UpdateForm(string? Status, string? Text);

/// <summary>The command a form asks for, or the errors (in form order) that stop it.</summary>
public sealed record FormResult<T>(T? Command, IReadOnlyList<FormError> Errors) where T : IncidentCommand
{
    public bool HasError(string field) => Errors.Any(e => e.Field == field);
}

/// <summary>Turns submitted forms into commands, with the validation both platforms share.</summary>
public static class Forms
{
    public const int MaxTitleLength = 200;

    public static FormResult<DeclareIncident> Declare(DeclareForm form, IncidentOptions options)
    {
        var errors = new List<FormError>();
        var title = form.Title?.Trim() ?? "";
        if (title.Length == 0)
        {
            errors.Add(new(FormFields.Title, FormProblem.Missing));
        }
        else if (title.Length > MaxTitleLength)
        {
            errors.Add(new(FormFields.Title, FormProblem.TooLong));
        }

        // An untouched choice means the configured default, as a command without one does.
        var severity = options.FindSeverity(Blank(form.Severity) ?? options.DefaultSeverity)?.Name;
        if (severity is null)
        {
            errors.Add(new(FormFields.Severity, FormProblem.Unknown));
        }

        var type = options.FindType(Blank(form.Type) ?? options.DefaultType)?.Name;
        if (type is null)
        {
            errors.Add(new(FormFields.Type, FormProblem.Unknown));
        }

        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        var commander = Blank(form.Commander) is { } user ? new[] { new UserRef(user) } : null;
        return new(new DeclareIncident(title, severity, type, form.Private, Blank(form.Description?.Trim()), commander), errors);
    }

    public static FormResult<PostStatusUpdate> Update(UpdateForm form)
    {
        var errors = new List<FormError>();
        var text = form.Text?.Trim() ?? "";
        if (text.Length == 0)
        {
            errors.Add(new(FormFields.Text, FormProblem.Missing));
        }

        // Resolving has its own checklist flow: an update form only moves between the open statuses.
        IncidentStatus? status = null;
        if (Blank(form.Status) is { } named)
        {
            if (IncidentStatusNames.TryParse(named, out var parsed) && parsed.IsOpen())
            {
                status = parsed;
            }
            else
            {
                errors.Add(new(FormFields.Status, FormProblem.Unknown));
            }
        }

        return errors.Count > 0 ? new(null, errors) : new(new PostStatusUpdate(status, text), errors);
    }

    private static string? Blank(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
