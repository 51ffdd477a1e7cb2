using System.Globalization;
using System.Text.RegularExpressions;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Commands;

/// <summary>The verbs that edit follow-up actions: <c>action &lt;n&gt; …</c> and <c>undone &lt;n&gt;</c>.</summary>
public sealed partial class CommandParser
{
    /// <summary>
    /// <c>action &lt;n&gt; [@owner] [due:YYYY-MM-DD] [critical|high|medium|low]</c>: any subset, in any order, each at most
    /// once. Every word must be one of them: a typo is a usage error, never a silent partial edit.
    /// </summary>
    private static ParseResult ParseActionEdit(int number, List<string> args, UserRef actor)
    {
        UserRef? owner = null;
        DateOnly? due = null;
        ActionPriority? priority = null;
        if (args.Count == 0)
        {
            return ParseResult.Fail($"Say what to change on action #{number}: an @owner, due:YYYY-MM-DD or a priority. {Usage("action-edit")}");
        }

        foreach (var token in args)
        {
            if (token.StartsWith("due:", StringComparison.OrdinalIgnoreCase))
            {
                if (due is not null)
                {
                    return ParseResult.Fail($"The due date is given twice. {Usage("action-edit")}");
                }

                if (!DateOnly.TryParseExact(token[4..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    return ParseResult.Fail($"'{token[4..]}' is not a date: write due:YYYY-MM-DD. {Usage("action-edit")}");
                }

                due = d;
            }
            else if (TryPriority(token, out var p))
            {
                if (priority is not null)
                {
                    return ParseResult.Fail($"The priority is given twice. {Usage("action-edit")}");
                }

                priority = p;
            }
            else if (ParseUser(token, actor) is { } user)
            {
                if (owner is not null)
                {
                    return ParseResult.Fail($"An action has one owner. {Usage("action-edit")}");
                }

                owner = user;
            }
            else
            {
                return ParseResult.Fail($"'{token}' is not an @owner, a due:YYYY-MM-DD or a priority (critical, high, medium, low). {Usage("action-edit")}");
            }
        }

        return ParseResult.Success(new EditAction(number, owner, due, priority));
    }

    [GeneratedRegex(@"^#?\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex ActionNumberPattern();

    /// <summary>3 or #3: a positive action number.</summary>
    private static int? ParseActionNumber(string token) =>
        int.TryParse(token.StartsWith('#') ? token[1..] : token, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    private static ParseResult ParseUndone(List<string> args) =>
        args is [var token] && ParseActionNumber(token) is { } n
            ? ParseResult.Success(new ReopenAction(n))
            : ParseResult.Fail($"'undone' needs one action number. {Usage("undone")}");
}
