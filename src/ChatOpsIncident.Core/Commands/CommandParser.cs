using System.Globalization;
using System.Text.RegularExpressions;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Commands;

public sealed record ParseResult(IncidentCommand? Command, string? Error)
{
    public bool Ok => Command is not null;

    /// <summary>The incident the command named (<c>INC-42</c> before or right after the verb), see <see cref="CommandParser.ParseCommand"/>.</summary>
    public int? Reference { get; init; }

    public static ParseResult Success(IncidentCommand command) => new(command, null);

    public static ParseResult Fail(string error) => new(null, error);
}

/// <summary>
/// The command grammar, parsed once here for Slack and Teams alike. Users arrive as the neutral mention
/// token <c>&lt;@ID&gt;</c> or <c>&lt;@ID|name&gt;</c> (Slack's escaped form; the Teams adapter rewrites its
/// mentions to it), or as <c>me</c>.
/// </summary>
public sealed partial class CommandParser(IOptions<IncidentOptions> options, IPagingServices? pagingServices = null)
{
    private IncidentOptions Options => options.Value;

    private IReadOnlyList<string> PagingServiceNames => pagingServices?.Names ?? [];

    public static readonly IReadOnlyList<(string Name, string Usage, string Summary)> Reference =
    [
        ("declare", "declare [sev1-4] [type:<type>] [private] [triage] [drill] <title>", "declare an incident (no arguments: open the form)"),
        ("role", "role <commander|comms|ops|scribe> <@user>", "assign a role (aliases: ic/lead, communications, operations)"),
        ("handoff", "handoff <role> <@user>", "hand a role over with a briefing"),
        ("sev", "sev <sev1-4>", "change the severity"),
        ("type", "type <type>", "change the incident type"),
        ("status", "status", "show the incident summary"),
        ("catchup", "catchup", "catch up privately: state, roles, last update, open actions, recent timeline (aliases: catch up, summary)"),
        ("timeline", "timeline", "show the timeline"),
        ("list", "list", "list open incidents"),
        ("update", "update [investigating|identified|monitoring] <text>", "post a status update (no text: open the form)"),
        ("note", "note <text>", "add a note to the timeline"),
        ("mitigate", "mitigate <text>", "record a mitigation (rollback, flag off, failover …)"),
        ("freeze", "freeze [on|off]", "freeze or unfreeze deploys"),
        ("action", "action <text> [@owner] [due:YYYY-MM-DD] [critical|high|medium|low]", "add a follow-up action"),
        ("action-edit", "action <n> [@owner] [due:YYYY-MM-DD] [critical|high|medium|low]", "edit action n: its owner, due date or priority"),
        ("actions", "actions", "list follow-up actions"),
        ("done", "done <action-number>", "mark an action done"),
        ("undone", "undone <action-number>", "reopen an action marked done"),
        ("resolve", "resolve [<summary>] | resolve --force <reason>", "resolve after the recovery checklist"),
        ("postmortem", "postmortem", "draft the post-incident review"),
        ("close", "close", "close a resolved incident"),
        ("accept", "accept", "confirm an incident in triage (it becomes investigating)"),
        ("decline", "decline <reason>", "decline an incident in triage: nothing to respond to"),
        ("cancel", "cancel <reason>", "cancel an incident declared by mistake"),
        ("reopen", "reopen <reason>", "reopen a resolved or closed incident"),
        ("merge", "merge INC-<n>", "merge this incident into the one it duplicates"),
        ("started", "started <09:12 | 2026-12-01 09:12 | ISO 8601>", "set when the impact started (in your time zone where the platform tells it, else UTC)"),
        ("unassign", "unassign <commander|comms|ops|scribe>", "take a role off its holder"),
        ("leave", "leave", "give up every role you hold on this incident"),
        ("page", "page [<service>|oncall] <reason>", "page the on-call now (a service from Paging:Services, or the severity's on-call)"),
        ("help", "help [command]", "show this help"),
    ];

    public static string Usage(string command) =>
        Reference.FirstOrDefault(r => r.Name == command).Usage is { } u ? $"Usage: {u}" : HelpText();

    public static string HelpText() =>
        "Commands:\n" + string.Join("\n", Reference.Select(r => $"  {r.Usage}  —  {r.Summary}"));

    /// <summary>The help as configured: the severities, roles and types this deployment has, not the defaults' names.</summary>
    public static string HelpText(IncidentOptions options) =>
        "Commands:\n" + string.Join("\n", Reference.Select(r => $"  {Configured(r.Usage, options)}  —  {r.Summary}"))
        + $"\nSeverities: {string.Join(", ", options.Severities.Select(s => s.Aliases.Count == 0 ? s.Name : $"{s.Name} ({string.Join(", ", s.Aliases)})"))}"
        + $"\nTypes: {string.Join(", ", options.Types.Select(t => t.Name))}"
        + $"\nRoles: {string.Join(", ", options.Roles.Select(r => r.Aliases.Count == 0 ? r.Key : $"{r.Key} ({string.Join(", ", r.Aliases)})"))}";

    public static string Usage(string command, IncidentOptions options) =>
        Reference.FirstOrDefault(r => r.Name == command).Usage is { } u ? $"Usage: {Configured(u, options)}" : HelpText(options);

    private static string Configured(string usage, IncidentOptions options) => usage
        .Replace("sev1-4", string.Join('|', options.Severities.Select(s => s.Name.ToLowerInvariant())), StringComparison.Ordinal)
        .Replace("commander|comms|ops|scribe", string.Join('|', options.Roles.Select(r => r.Key)), StringComparison.Ordinal);

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
            "status" or "info" => NoArgs(args, "status", new ShowStatus()),
            "catchup" or "catch-up" or "summary" => NoArgs(args, "catchup", new ShowCatchUp()),
            "catch" when args is [var up] && up.Equals("up", StringComparison.OrdinalIgnoreCase) => ParseResult.Success(new ShowCatchUp()),
            "timeline" => NoArgs(args, "timeline", new ShowTimeline()),
            "list" or "ls" => NoArgs(args, "list", new ListIncidents()),
            "help" or "?" or "usage" => ParseResult.Success(new ShowHelp(args.FirstOrDefault()?.ToLowerInvariant())),
            "update" => ParseUpdate(args),
            "note" => Text(rest, "note", t => new AddNote(t)),
            "mitigate" or "mitigation" => Text(rest, "mitigate", t => new RecordMitigation(t)),
            "freeze" => ParseFreeze(args),
            "action" or "followup" or "follow-up" => ParseAction(args, actor),
            "actions" => NoArgs(args, "actions", new ListActions()),
            "done" or "complete" => ParseDone(args),
            "undone" or "undo" => ParseUndone(args),
            "resolve" => ParseResolve(args),
            "postmortem" or "pir" or "review" => NoArgs(args, "postmortem", new Postmortem()),
            "close" => NoArgs(args, "close", new Close()),
            "accept" or "ack" or "acknowledge" => NoArgs(args, "accept", new Accept()),
            "decline" => Reason(rest, "decline", r => new Decline(r)),
            "cancel" => Reason(rest, "cancel", r => new Cancel(r)),
            "reopen" => Reason(rest, "reopen", r => new Reopen(r)),
            "merge" => ParseMerge(args),
            "started" or "impact" => ParseStarted(args),
            "unassign" or "unset" => ParseUnassign(args),
            "leave" => NoArgs(args, "leave", new LeaveRoles()),
            "page" => ParsePage(args),
            _ => ParseResult.Fail($"Unknown command '{tokens[0]}'.\n{HelpText(Options)}"),
        };
    }

    private static ParseResult NoArgs(List<string> args, string name, IncidentCommand command) =>
        args.Count == 0 ? ParseResult.Success(command) : ParseResult.Fail($"'{name}' takes no arguments. {Usage(name)}");

    private static ParseResult Text(string text, string name, Func<string, IncidentCommand> make) =>
        text.Length == 0 ? ParseResult.Fail($"'{name}' needs text. {Usage(name)}") : ParseResult.Success(make(text));
}
