namespace ChatOpsIncident.Core.Commands;

/// <summary>The names <c>page &lt;service&gt;</c> accepts (<c>Paging:Services</c>, configured in the host).</summary>
public interface IPagingServices
{
    IReadOnlyList<string> Names { get; }
}

/// <summary>The verbs of roles and paging: <c>unassign</c>, <c>leave</c>, <c>page</c>.</summary>
public sealed partial class CommandParser
{
    /// <summary>The word that pages the severity's own on-call when named services are configured.</summary>
    public const string OnCall = "oncall";

    private ParseResult ParseUnassign(List<string> args)
    {
        if (args.Count != 1)
        {
            return ParseResult.Fail($"'unassign' needs one role. {Usage("unassign", Options)}");
        }

        return Options.FindRole(args[0]) is { } role
            ? ParseResult.Success(new Unassign(role.Key))
            : ParseResult.Fail($"Unknown role '{args[0]}'. Roles: {string.Join(", ", Options.Roles.Select(r => r.Key))}.");
    }

    /// <summary>
    /// Without named services the whole text is the reason. With them the first word must say where the page goes (a
    /// service, or <c>oncall</c> for the severity's on-call): a mistyped service is refused with the names, never sent
    /// to the wrong people or read into the reason.
    /// </summary>
    private ParseResult ParsePage(List<string> args)
    {
        var services = PagingServiceNames;
        if (services.Count == 0)
        {
            var reason = string.Join(' ', args).Trim();
            return reason.Length == 0 ? ParseResult.Fail($"'page' needs a reason. {Usage("page")}") : ParseResult.Success(new PageOnCall(null, reason));
        }

        var names = string.Join(", ", services.Append(OnCall));
        if (args.Count == 0)
        {
            return ParseResult.Fail($"'page' needs where and why: page <service> <reason>. Services: {names}.");
        }

        var first = args[0];
        var service = string.Equals(first, OnCall, StringComparison.OrdinalIgnoreCase) ? "" : services.FirstOrDefault(s => string.Equals(s, first, StringComparison.OrdinalIgnoreCase));
        if (service is null)
        {
            return ParseResult.Fail($"Unknown service '{first}'. Services: {names}.");
        }

        var text = string.Join(' ', args.Skip(1)).Trim();
        return text.Length == 0
            ? ParseResult.Fail($"'page' needs a reason after '{first}'. {Usage("page")}")
            : ParseResult.Success(new PageOnCall(service.Length == 0 ? null : service, text));
    }
}
