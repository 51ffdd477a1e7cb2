using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Interactions;

namespace ChatOpsIncident.Sandbox.Rendering;

public sealed record FormChoice(string Value, string Label);

/// <summary>One field of a form: <paramref name="Type"/> is text, textarea, select or checkbox; names are <see cref="FormFields"/>.</summary>
public sealed record FormFieldView(string Name, string Label, string Type, bool Required = false, IReadOnlyList<FormChoice>? Choices = null, string? Value = null);

/// <summary>
/// A form the bot asked one person to fill in (Slack opens a modal, Teams sends a card): stored on an ephemeral message
/// for them, shown by the page as a dialog, answered once at <c>POST /sandbox/api/forms/{id}</c>.
/// </summary>
public sealed record SandboxForm(string Kind, string Title, string Submit, string ChannelId, Guid? IncidentId, IReadOnlyList<FormFieldView> Fields)
{
    public const string Declare = "declare";
    public const string Update = "update";

    public bool Submitted { get; init; }

    public static SandboxForm ForDeclare(string channelId, IncidentOptions options) => new(
        Declare, "Declare an incident", "Declare", channelId, null,
        [
            new(FormFields.Title, "Title", "text", Required: true),
            new(FormFields.Severity, "Severity", "select", Choices: options.Severities.Select(s => new FormChoice(s.Name, $"{s.Name} · {s.Description}")).ToList(),
                Value: options.DefaultSeverity),
            new(FormFields.Type, "Type", "select", Choices: options.Types.Select(t => new FormChoice(t.Name, $"{t.Name} · {t.Description}")).ToList(), Value: options.DefaultType),
            new(FormFields.Private, "Private channel", "checkbox"),
            new(FormFields.Description, "What is happening?", "textarea"),
        ]);

    public static SandboxForm ForUpdate(string channelId, Incident incident) => new(
        Update, $"Status update for {incident.PublicId}", "Post update", channelId, incident.Id,
        [
            new(FormFields.Status, "Status", "select", Choices: Enum.GetValues<IncidentStatus>().Where(s => s.IsOpen()).Select(s => new FormChoice(s.ToWire(), s.ToWire())).ToList(), Value: incident.Status.ToWire()),
            new(FormFields.Text, "Update", "textarea", Required: true),
        ]);

    /// <summary>The errors of the answers, worded for the dialog; empty when the form may be submitted.</summary>
    public IReadOnlyDictionary<string, string> Check(IReadOnlyDictionary<string, string?> values, IncidentOptions options)
    {
        var errors = Kind == Declare ? ReadDeclare(values, options).Errors : ReadUpdate(values).Errors;
        return errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.First().Problem switch
        {
            FormProblem.Missing => "Required",
            FormProblem.TooLong => $"At most {Forms.MaxTitleLength} characters",
            _ => "Pick one of the choices",
        });
    }

    public static FormResult<Core.Commands.DeclareIncident> ReadDeclare(IReadOnlyDictionary<string, string?> v, IncidentOptions options) =>
        Forms.Declare(new DeclareForm(Get(v, FormFields.Title), Get(v, FormFields.Severity), Get(v, FormFields.Type),
            Get(v, FormFields.Private) is "true" or "on", Get(v, FormFields.Description)), options);

    public static FormResult<Core.Commands.PostStatusUpdate> ReadUpdate(IReadOnlyDictionary<string, string?> v) =>
        Forms.Update(new UpdateForm(Get(v, FormFields.Status), Get(v, FormFields.Text)));

    private static string? Get(IReadOnlyDictionary<string, string?> values, string key) => values.TryGetValue(key, out var v) ? v : null;
}
