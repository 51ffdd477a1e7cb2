using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Sandbox;

/// <summary>
/// The local workspace (<c>Sandbox:Enabled</c>, Development only): a chat platform of our own at <c>/sandbox</c>, for
/// trying the bot without Slack or Teams and for rehearsing incidents.
/// </summary>
public sealed partial class SandboxOptions
{
    public const string SectionName = "Sandbox";

    public static readonly IReadOnlyList<string> DefaultUsers = ["alice", "bob", "carol", "dan"];

    public bool Enabled { get; set; }

    /// <summary>The people of the workspace (their names are their ids); empty means alice, bob, carol and dan.</summary>
    public List<string> Users { get; set; } = [];

    [Required(ErrorMessage = "Sandbox:BotName must not be empty")]
    public string BotName { get; set; } = "ChatOps";

    /// <summary>The reaction that puts a message on the timeline.</summary>
    [Required(ErrorMessage = "Sandbox:TimelineEmoji must be an emoji name such as pushpin")]
    public string TimelineEmoji { get; set; } = "pushpin";

    /// <summary>The bot's reaction on a message it put on the timeline.</summary>
    [Required(ErrorMessage = "Sandbox:CaptureAckEmoji must be an emoji name such as white_check_mark")]
    public string CaptureAckEmoji { get; set; } = "white_check_mark";

    /// <summary>
    /// Severities that list no stakeholder channels fan out to the workspace's stakeholder channel, so a first try
    /// shows the whole flow. Only when the workspace is the only chat platform (see the registration).
    /// </summary>
    public bool DefaultStakeholders { get; set; } = true;

    /// <summary>Every incident declared in the workspace is a drill (labelled DRILL, left out of metrics), as <c>declare drill …</c> makes one.</summary>
    public bool Drill { get; set; }

    /// <summary>
    /// Seed a handful of past incidents once, on start-up (<c>./run.sh --demo</c>), so the pages show something.
    /// Only when asked: never on by default.
    /// </summary>
    public bool Demo { get; set; }

    public IReadOnlyList<string> People => Users.Count > 0 ? Users : DefaultUsers;

    [GeneratedRegex("^[a-z][a-z0-9_.-]{0,31}$")]
    internal static partial Regex UserName();
}

internal sealed class SandboxOptionsValidator : IValidateOptions<SandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, SandboxOptions options)
    {
        var bad = options.Users.FirstOrDefault(u => !SandboxOptions.UserName().IsMatch(u) || u == SandboxUsers.BotId);
        if (bad is not null)
        {
            return ValidateOptionsResult.Fail($"Sandbox:Users holds '{bad}': names are 1-32 characters of a-z, 0-9, '.', '_' or '-', starting with a letter (and not '{SandboxUsers.BotId}')");
        }

        return options.Users.Count > 50
            ? ValidateOptionsResult.Fail("Sandbox:Users lists more than 50 people")
            : ValidateOptionsResult.Success;
    }
}
