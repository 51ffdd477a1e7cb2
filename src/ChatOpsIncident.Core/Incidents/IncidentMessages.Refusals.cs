using ChatOpsIncident.Core.Commands;

namespace ChatOpsIncident.Core.Incidents;

/// <summary>Why a command changes nothing, in the words the person who ran it reads.</summary>
public sealed partial class IncidentMessages
{
    public const string NotInIncidentChannel = "This command works inside an incident channel, or anywhere with the incident named: 'status INC-42'. Use 'list' to find open incidents, or 'declare' to start one.";

    /// <summary>A reference to an incident that is missing, on another platform or private and not the asker's: one answer for all.</summary>
    public static string NotFound(int number) => $"INC-{number} was not found.";

    public const string NoSuchIncident = "That incident does not exist.";
    public const string AlreadyApplied = "Done (already applied).";
    public const string TooBusy = "The incident is changing too fast right now; please try again.";
    public const string ChecklistItemGone = "That checklist item no longer exists.";
    public const string OnlyCommanderOverrides = "Only the Incident Commander can resolve with recovery items unanswered.";
    public const string SnoozeBounds = "Snooze for between 1 minute and 4 hours.";
    public const string CriticalActionOnClosed = "A critical action on a closed incident needs an owner and a due date.";

    public static string NotConfigured(string platform) => $"The {platform} integration is not configured.";

    public static string NotSupported(IncidentCommand command) => $"'{command.GetType().Name}' is not supported here.";

    public static string IsClosed(Incident i) => $"{i.PublicId} is closed.";

    public static string NotOpen(Incident i) => $"{i.PublicId} is {i.Status.ToWire()}.";

    public static string AlreadyStatus(Incident i) => $"{i.PublicId} is already {i.Status.ToWire()}.";

    public static string NoUpdateForm(Incident i) => $"{i.PublicId} is {i.Status.ToWire()}; there is no update to post.";

    public string AlreadyHoldsRole(UserRef user, string role) => $"{user.Mention} already holds {RoleName(role)}.";

    public string NobodyHoldsRole(string role) => $"Nobody holds {RoleName(role)} yet; use 'role {role} @user' to assign it.";

    public static string SeverityFinal(Incident i) => $"{i.PublicId} is {i.Status.ToWire()}; its severity is final.";

    public static string SeverityUnchanged(Incident i) => $"{i.PublicId} is already {i.Severity}.";

    public static string DetailsUnchanged(Incident i) => $"{i.PublicId} already has that title and description.";

    public static string TypeUnchanged(Incident i) => $"{i.PublicId} is already of type {i.Type}.";

    public static string UpdatesClosed(Incident i) => $"{i.PublicId} is {i.Status.ToWire()}; updates are closed. Use 'note' to add to the record.";

    public static string FreezeAfterResolve(Incident i) => $"{i.PublicId} is {i.Status.ToWire()}; a freeze would never be lifted by it.";

    public static string FreezeUnchanged(bool on) => on ? "Deploys are already frozen." : "Deploys are not frozen.";

    public static string RecoveryUnanswered(IReadOnlyList<string> unanswered, int total) =>
        $"Answer the recovery checklist first ({unanswered.Count} of {total} open: {string.Join("; ", unanswered)}). The commander can override: resolve --force <reason>.";

    public static string NothingToSnooze(Incident i) => $"{i.PublicId} is {i.Status.ToWire()}; there is no reminder to snooze.";

    public static string NoSuchAction(int number) => $"There is no action #{number}. Use 'actions' to list them.";

    public static string ActionAlreadyDone(int number) => $"Action #{number} is already done.";

    public static string ActionNotDone(int number) => $"Action #{number} is not done.";

    public static string ActionUnchanged(int number) => $"Action #{number} already has that owner, due date and priority.";

    public static string AlreadyClosed(Incident i) => $"{i.PublicId} is already closed.";

    public static string ResolveBeforeClosing(Incident i) => $"Resolve {i.PublicId} before closing it.";

    /// <summary>Each item with the exact command that clears it, so nobody has to guess the grammar (or mark it done to get past).</summary>
    public static string CriticalActionsIncomplete(IEnumerable<ActionItem> missing, string prefix = Chat.IChatPlatform.DefaultCommandPrefix) =>
        "Critical actions need an owner and a due date before closing:\n" + string.Join("\n", missing.Select(a => ActionFix(a, prefix)));

    public static string ActionFix(ActionItem a, string prefix)
    {
        var (lacks, args) = (a.Owner, a.DueDate) switch
        {
            (null, null) => ("no owner and no due date", " @someone due:YYYY-MM-DD"),
            (null, _) => ("no owner", " @someone"),
            _ => ("no due date", " due:YYYY-MM-DD"),
        };
        return $"Action {a.Seq} ({a.Priority.ToString().ToLowerInvariant()}) has {lacks}: `{prefix} action {a.Seq}{args}` — {a.Text}";
    }
}
