using System.Globalization;
using System.Text.RegularExpressions;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Commands;

public sealed record ParseResult(IncidentCommand? Command, string? Error)
{
    public bool Ok => Command is not null;

    public static ParseResult Success(IncidentCommand command) => new(command, null);

    public static ParseResult Fail(string error) => new(null, error);
}

/// <summary>
/// The command grammar, parsed once here for Slack and Teams alike. Users arrive as the neutral mention
/// token <c>&lt;@ID&gt;</c> or <c>&lt;@ID|name&gt;</c> (Slack's escaped form; the Teams adapter rewrites its
/// mentions to it), or as <c>me</c>.
/// </summary>
public sealed partial class CommandParser(IOptions<IncidentOptions> options)
{
    private IncidentOptions Options => options.Value;

    public static readonly IReadOnlyList<(string Name, string Usage, string Summary)> Reference =
    [
        ("declare", "declare [sev1-4] [type:<type>] [private] <title>", "declare an incident (no arguments: open the form)"),
        ("role", "role <commander|comms|ops|scribe> <@user>", "assign a role (aliases: ic/lead, communications, operations)"),
        ("handoff", "handoff <role> <@user>", "hand a role over with a briefing"),
        ("sev", "sev <sev1-4>", "change the severity"),
        ("type", "type <type>", "change the incident type"),
        ("status", "status", "show the incident summary"),
        ("timeline", "timeline", "show the timeline"),
        ("list", "list", "list open incidents"),
        ("update", "update [investigating|identified|monitoring] <text>", "post a status update (no text: open the form)"),
        ("note", "note <text>", "add a note to the timeline"),
        ("mitigate", "mitigate <text>", "record a mitigation (rollback, flag off, failover …)"),
        ("freeze", "freeze [on|off]", "freeze or unfreeze deploys"),
        ("action", "action <text> [@owner] [due:YYYY-MM-DD] [critical|high]", "add a follow-up action"),
        ("actions", "actions", "list follow-up actions"),
        ("done", "done <action-number>", "mark an action done"),
        ("resolve", "resolve [<summary>] | resolve --force <reason>", "resolve after the recovery checklist"),
        ("postmortem", "postmortem", "draft the post-incident review"),
        ("close", "close", "close a resolved incident"),
        ("help", "help [command]", "show this help"),
    ];

    public static string Usage(string command) =>
        Reference.FirstOrDefault(r => r.Name == command).Usage is { } u ? $"Usage: {u}" : HelpText();

    public static string HelpText() =>
        "Commands:\n" + string.Join("\n", Reference.Select(r => $"  {r.Usage}  —  {r.Summary}"));

    [GeneratedRegex(@"<[^>]*>|\S+", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"^<@([^|>\s]+)(?:\|([^>]*))?>$", RegexOptions.CultureInvariant)]
    private static partial Regex MentionPattern();

    public ParseResult Parse(string? text, UserRef actor)
    {
        var tokens = TokenPattern().Matches(text ?? "").Select(m => m.Value).ToList();
        if (tokens.Count == 0)
        {
            return ParseResult.Success(new ShowHelp());
        }

        var verb = tokens[0].ToLowerInvariant();
        var args = tokens.Skip(1).ToList();
        var rest = string.Join(' ', args).Trim();
        return verb switch
        {
            "declare" or "new" or "open" or "start" => ParseDeclare(args),
            "role" or "assign" => ParseRole(args, actor, handoff: false),
            "handoff" or "handover" => ParseRole(args, actor, handoff: true),
            "sev" or "severity" => ParseSeverity(args),
            "type" => ParseType(args),
            "status" or "info" or "summary" => NoArgs(args, "status", new ShowStatus()),
            "timeline" => NoArgs(args, "timeline", new ShowTimeline()),
            "list" or "ls" => NoArgs(args, "list", new ListIncidents()),
            "help" or "?" => ParseResult.Success(new ShowHelp(args.FirstOrDefault()?.ToLowerInvariant())),
            "update" => ParseUpdate(args),
            "note" => Text(rest, "note", t => new AddNote(t)),
            "mitigate" or "mitigation" => Text(rest, "mitigate", t => new RecordMitigation(t)),
            "freeze" => ParseFreeze(args),
            "action" or "followup" or "follow-up" => ParseAction(args, actor),
            "actions" => NoArgs(args, "actions", new ListActions()),
            "done" or "complete" => ParseDone(args),
            "resolve" => ParseResolve(args),
            "postmortem" or "pir" or "review" => NoArgs(args, "postmortem", new Postmortem()),
            "close" => NoArgs(args, "close", new Close()),
            _ => ParseResult.Fail($"Unknown command '{tokens[0]}'.\n{HelpText()}"),
        };
    }

    private static ParseResult NoArgs(List<string> args, string name, IncidentCommand command) =>
        args.Count == 0 ? ParseResult.Success(command) : ParseResult.Fail($"'{name}' takes no arguments. {Usage(name)}");

    private static ParseResult Text(string text, string name, Func<string, IncidentCommand> make) =>
        text.Length == 0 ? ParseResult.Fail($"'{name}' needs text. {Usage(name)}") : ParseResult.Success(make(text));

    private ParseResult ParseDeclare(List<string> args)
    {
        if (args.Count == 0)
        {
            return ParseResult.Success(new OpenDeclareForm());
        }

        string? severity = null;
        string? type = null;
        var isPrivate = false;
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

        return ParseResult.Success(new DeclareIncident(title, severity, type, isPrivate));
    }

    private bool LooksLikeSeverity(string token) =>
        token.Length is >= 3 and <= 6 && token.StartsWith("sev", StringComparison.OrdinalIgnoreCase)
        && token[3..].All(char.IsDigit);

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
        if (args.Count > 0 && args[0] is "--force" or "-f" or "force")
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

    private string SeverityNames() => string.Join(", ", Options.Severities.Select(s => s.Name.ToLowerInvariant()));

    private string TypeNames() => string.Join(", ", Options.Types.Select(t => t.Name));
}
