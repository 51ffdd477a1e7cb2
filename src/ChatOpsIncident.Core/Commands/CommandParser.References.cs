using System.Globalization;
using System.Text.RegularExpressions;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Commands;

/// <summary>
/// Commands by reference: any incident command may name its incident, so it runs from any channel, a DM with the bot,
/// a Teams personal chat or the workspace. The reference is a generic prefix of the argument list, taken off before
/// the verb's own parser sees the rest, so no verb parses it itself:
/// <list type="bullet">
/// <item><c>status INC-42</c>, <c>update INC-42 monitoring Error rate back to baseline</c>: right after the verb;</item>
/// <item><c>INC-42 status</c>: before the verb (no verb looks like a reference, so this is never ambiguous).</item>
/// </list>
/// Only the <c>INC-&lt;n&gt;</c> form is a reference (any case): bare numbers stay the verbs' own (<c>done 3</c>,
/// <c>action 3 …</c>). Right after the verb the token is the verb's own argument when the verb needs it: <c>merge INC-7</c>
/// merges into INC-7 (while <c>merge INC-8 INC-7</c> merges INC-8 into INC-7), <c>note INC-7</c> notes the text "INC-7".
/// Verbs that act on no one incident (declare, list, help) never take a reference: their text is left as it is.
/// </summary>
public sealed partial class CommandParser
{
    [GeneratedRegex(@"^INC-(\d{1,9})$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ReferencePattern();

    /// <summary>Parses a command with its optional incident reference (see the class notes); adapters call this, not <see cref="Parse"/>.</summary>
    public ParseResult ParseCommand(string? text, UserRef actor)
    {
        var input = text ?? "";
        var tokens = TokenPattern().Matches(input);
        if (tokens.Count >= 2 && IncidentReference(tokens[0].Value) is { } leading)
        {
            var parsed = Parse(input[tokens[1].Index..], actor);
            if (parsed.Ok && !ActsOnOneIncident(parsed.Command!))
            {
                return ParseResult.Fail($"'{tokens[1].Value}' does not act on one incident: run it without {tokens[0].Value}.");
            }

            return parsed with { Reference = leading };
        }

        if (tokens.Count >= 2 && IncidentReference(tokens[1].Value) is { } after)
        {
            var end = tokens[1].Index + tokens[1].Length;
            var stripped = Parse(input[..tokens[0].Length] + input[end..], actor);
            if (stripped.Ok && ActsOnOneIncident(stripped.Command!))
            {
                return stripped with { Reference = after };
            }

            // The token was the verb's own argument (merge INC-7, a note that is just "INC-7"), or the verb takes none.
            // When neither reads, the verb's answer without the reference says what is missing (started INC-7 → no time).
            var plain = Parse(input, actor);
            return plain.Ok || stripped.Ok ? plain : stripped;
        }

        return Parse(input, actor);
    }

    /// <summary>INC-42 (any case) → 42; anything else, bare numbers included, is not a reference.</summary>
    public static int? IncidentReference(string token)
    {
        var m = ReferencePattern().Match(token);
        return m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
    }

    /// <summary>Whether a command acts on one incident (and so may name it); declare, list and help do not.</summary>
    public static bool ActsOnOneIncident(IncidentCommand command) =>
        command is not (DeclareIncident or OpenDeclareForm or ListIncidents or ShowHelp);
}
