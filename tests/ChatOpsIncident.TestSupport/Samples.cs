namespace ChatOpsIncident.TestSupport;

/// <summary>
/// The recorded protocol payloads in <c>Payloads/</c> (copied byte for byte from the team's protocol-samples
/// collection: all of <c>slack/</c> and <c>teams/activities/</c>, with their provenance READMEs; <c>teams/composed/</c>
/// are this repository's own). They are copied to every test project's output, so a clone runs its tests alone.
/// </summary>
public static class Samples
{
    public static string Root { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "Payloads");

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(Path(relative));
}
