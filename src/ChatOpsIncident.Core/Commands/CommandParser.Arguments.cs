using System.Globalization;
using System.Text.RegularExpressions;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Commands;

/// <summary>The arguments of each verb: one method per grammar rule, each with its own usage error.</summary>
public sealed partial class CommandParser
{
    private ParseResult ParseDeclare(List<string> args)
    {
        if (args.Count == 0)
        {
            return ParseResult.Success(new OpenDeclareForm());
        }

        string? severity = null;
        string? type = null;
        var isPrivate = false;
        var triage = false;
        var drill = false;
        var i = 0;
        for (; i < args.Count; i++)
        {
            var token = args[i];
            if (Options.FindSeverity(token) is { } sev)
            {
                if (severity is not null)
                {
                    return ParseResult.Fail($"Severity given twice ({severity}, {sev.Name}). {Usage("declare")}");
                }

                severity = sev.Name;
            }
            else if (token.StartsWith("type:", StringComparison.OrdinalIgnoreCase))
            {
                var name = token["type:".Length..];
                if (Options.FindType(name) is not { } t)
                {
                    return ParseResult.Fail($"Unknown type '{name}'. Types: {TypeNames()}.");
                }

                type = t.Name;
            }
            else if (string.Equals(token, "private", StringComparison.OrdinalIgnoreCase))
            {
                isPrivate = true;
            }
            else if (string.Equals(token, "triage", StringComparison.OrdinalIgnoreCase))
            {
                triage = true;
            }
            else if (string.Equals(token, "drill", StringComparison.OrdinalIgnoreCase))
            {
                // A rehearsal ("game day"): only before the title, like the other flags, so "Drill press offline" after
                // a severity stays a title.
                drill = true;
            }
            else if (LooksLikeSeverity(token))
            {
                return ParseResult.Fail($"Unknown severity '{token}'. Severities: {SeverityNames()}.");
            }
            else
            {
                break;
            }
        }

        var title = string.Join(' ', args.Skip(i)).Trim();
        if (title.Length == 0)
        {
            return ParseResult.Fail($"A title is required. {Usage("declare")}");
        }

        if (title.Length > 200)
        {
            return ParseResult.Fail($"The title is {title.Length} characters; keep it under 200 and put details in a note.");
        }

        return ParseResult.Success(new DeclareIncident(title, severity, type, isPrivate, Triage: triage, Drill: drill));
    }

    /// <summary>sev7, sev-7, p7 or a lone digit: a severity meant, not a title word, so refused when not configured.</summary>
    private static bool LooksLikeSeverity(string token) => SeverityLikePattern().IsMatch(token);

    [GeneratedRegex(@"^(?:(?:sev-?|p)\d{1,2}|\d)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SeverityLikePattern();

    private ParseResult ParseRole(List<string> args, UserRef actor, bool handoff)
    {
        var name = handoff ? "handoff" : "role";
        if (args.Count != 2)
        {
            return ParseResult.Fail($"'{name}' needs a role and a user. {Usage(name)}");
        }

        if (Options.FindRole(args[0]) is not { } role)
        {
            return ParseResult.Fail($"Unknown role '{args[0]}'. Roles: {string.Join(", ", Options.Roles.Select(r => r.Key))}.");
        }

        if (ParseUser(args[1], actor) is not { } user)
        {
            return ParseResult.Fail($"'{args[1]}' is not a user: mention them with @. {Usage(name)}");
        }

        return ParseResult.Success(handoff ? new Handoff(role.Key, user) : new AssignRole(role.Key, user));
    }

    private ParseResult ParseSeverity(List<string> args)
    {
        if (args.Count != 1)
        {
            return ParseResult.Fail($"'sev' needs one severity. {Usage("sev")} Severities: {SeverityNames()}.");
        }

        return Options.FindSeverity(args[0]) is { } sev
            ? ParseResult.Success(new ChangeSeverity(sev.Name))
            : ParseResult.Fail($"Unknown severity '{args[0]}'. Severities: {SeverityNames()}.");
    }

    private ParseResult ParseType(List<string> args)
    {
        if (args.Count != 1)
        {
            return ParseResult.Fail($"'type' needs one type. {Usage("type")} Types: {TypeNames()}.");
        }

        var name = args[0].StartsWith("type:", StringComparison.OrdinalIgnoreCase) ? args[0][5..] : args[0];
        return Options.FindType(name) is { } t
            ? ParseResult.Success(new ChangeType(t.Name))
            : ParseResult.Fail($"Unknown type '{name}'. Types: {TypeNames()}.");
    }

    private static ParseResult ParseUpdate(List<string> args)
    {
        if (args.Count == 0)
        {
            return ParseResult.Success(new OpenUpdateForm());
        }

        IncidentStatus? status = null;
        var textStart = 0;
        if (IncidentStatusNames.TryParse(args[0], out var s))
        {
            if (!s.IsOpen())
            {
                return ParseResult.Fail($"Use 'resolve' to resolve an incident. {Usage("update")}");
            }

            status = s;
            textStart = 1;
        }

        var text = string.Join(' ', args.Skip(textStart)).Trim();
        return text.Length == 0
            ? ParseResult.Fail($"'update' needs the text of the update. {Usage("update")}")
            : ParseResult.Success(new PostStatusUpdate(status, text));
    }

    private static ParseResult ParseFreeze(List<string> args) => args switch
    {
        [] => ParseResult.Success(new SetFreeze(true)),
        [var a] when a.Equals("on", StringComparison.OrdinalIgnoreCase) => ParseResult.Success(new SetFreeze(true)),
        [var a] when a.Equals("off", StringComparison.OrdinalIgnoreCase) => ParseResult.Success(new SetFreeze(false)),
        _ => ParseResult.Fail($"'freeze' takes on or off. {Usage("freeze")}"),
    };

    private ParseResult ParseAction(List<string> args, UserRef actor)
    {
        // A number first is the action to edit ("action 3 @bob due:2026-12-20"), never the start of a new action's text.
        if (args.Count > 0 && ActionNumberPattern().IsMatch(args[0]))
        {
            return ParseActionNumber(args[0]) is { } number
                ? ParseActionEdit(number, args.Skip(1).ToList(), actor)
                : ParseResult.Fail($"'{args[0]}' is not an action number: they start at 1 (see 'actions'). {Usage("action-edit")}");
        }

        UserRef? owner = null;
        DateOnly? due = null;
        ActionPriority? priority = null;
        var words = new List<string>(args);
        // Options are read from the end, so a word like "high" inside the text stays text.
        while (words.Count > 0)
        {
            var last = words[^1];
            if (last.StartsWith("due:", StringComparison.OrdinalIgnoreCase) && due is null)
            {
                if (!DateOnly.TryParseExact(last[4..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    return ParseResult.Fail($"'{last[4..]}' is not a date: write due:YYYY-MM-DD. {Usage("action")}");
                }

                due = d;
            }
            else if (priority is null && TryPriority(last, out var p))
            {
                priority = p;
            }
            else if (owner is null && MentionPattern().IsMatch(last))
            {
                owner = ParseUser(last, actor);
            }
            else
            {
                break;
            }

            words.RemoveAt(words.Count - 1);
        }

        var text = string.Join(' ', words).Trim();
        if (text.Length == 0)
        {
            return ParseResult.Fail($"'action' needs a description. {Usage("action")}");
        }

        return ParseResult.Success(new AddAction(text, owner, due, priority ?? ActionPriority.Normal));
    }

    private static bool TryPriority(string token, out ActionPriority priority)
    {
        switch (token.ToLowerInvariant())
        {
            case "critical" or "p0" or "crit":
                priority = ActionPriority.Critical;
                return true;
            case "high" or "p1":
                priority = ActionPriority.High;
                return true;
            case "medium" or "normal" or "p2":
                priority = ActionPriority.Normal;
                return true;
            case "low" or "p3":
                priority = ActionPriority.Low;
                return true;
            default:
                priority = ActionPriority.Normal;
                return false;
        }
    }

    private static ParseResult ParseDone(List<string> args)
    {
        if (args.Count != 1)
        {
            return ParseResult.Fail($"'done' needs one action number. {Usage("done")}");
        }

        var token = args[0].TrimStart('#');
        return int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? ParseResult.Success(new CompleteAction(n))
            : ParseResult.Fail($"'{args[0]}' is not an action number. {Usage("done")}");
    }

    private static ParseResult ParseResolve(List<string> args)
    {
        // Only the flag forces, in any case: "resolve force majeure at the provider" is a summary.
        if (args.Count > 0 && (args[0].Equals("--force", StringComparison.OrdinalIgnoreCase) || args[0].Equals("-f", StringComparison.OrdinalIgnoreCase)))
        {
            var reason = string.Join(' ', args.Skip(1)).Trim();
            return reason.Length == 0
                ? ParseResult.Fail($"A forced resolve needs a reason. {Usage("resolve")}")
                : ParseResult.Success(new Resolve(null, Force: true, ForceReason: reason));
        }

        var summary = string.Join(' ', args).Trim();
        return ParseResult.Success(new Resolve(summary.Length == 0 ? null : summary));
    }

    public static UserRef? ParseUser(string token, UserRef actor)
    {
        if (token.Equals("me", StringComparison.OrdinalIgnoreCase) || token.Equals("@me", StringComparison.OrdinalIgnoreCase))
        {
            return actor;
        }

        var m = MentionPattern().Match(token);
        if (!m.Success)
        {
            return null;
        }

        var name = m.Groups[2].Success && m.Groups[2].Value.Length > 0 ? m.Groups[2].Value : null;
        return new UserRef(m.Groups[1].Value, name);
    }

    private string SeverityNames() => string.Join(", ", Options.Severities.Select(s => s.Aliases.Count == 0 ? s.Name.ToLowerInvariant() : $"{s.Name.ToLowerInvariant()} ({string.Join(", ", s.Aliases)})"));

    private string TypeNames() => string.Join(", ", Options.Types.Select(t => t.Name));
}
