using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Interactions;

namespace ChatOpsIncident.Teams.Cards;

/// <summary>
/// Core's form errors in Teams' words: once in the invoke answer (shown on the card at once) and once in the reply
/// the stored activity produces. Only the first error is shown, in form order.
/// </summary>
internal static class FormErrorText
{
    /// <summary>The error Teams shows on the card when an Action.Execute form is sent.</summary>
    public static string Answer(FormError error, IncidentOptions options) => (error.Field, error.Problem) switch
    {
        (FormFields.Title, FormProblem.Missing) => "A title is required.",
        (FormFields.Text, _) => "Write the update before posting it.",
        _ => Reply(error, options),
    };

    /// <summary>The reply in the conversation when a form cannot be carried out.</summary>
    public static string Reply(FormError error, IncidentOptions options) => error.Field switch
    {
        FormFields.Title => "A title of at most 200 characters is required.",
        FormFields.Severity or FormFields.Type => $"Pick a known severity ({string.Join(", ", options.Severities.Select(x => x.Name))}) and type.",
        FormFields.Text => "The update needs text.",
        FormFields.Status => "Pick investigating, identified or monitoring.",
        _ => "Check the form and send it again.",
    };
}
