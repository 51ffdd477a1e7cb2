using ChatOpsIncident.Core.Incidents;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Sandbox;

/// <summary>The workspace's people and its bot. A person's name is their id: the workspace has no directory to ask.</summary>
internal sealed class SandboxUsers(IOptions<SandboxOptions> options)
{
    public const string BotId = "chatops";

    public IReadOnlyList<string> People => options.Value.People;

    public string BotName => options.Value.BotName;

    public bool IsPerson(string? id) => id is not null && People.Contains(id, StringComparer.Ordinal);

    public UserRef Person(string id) => new(id, id);

    public string NameOf(string id) => id == BotId ? BotName : id;
}
