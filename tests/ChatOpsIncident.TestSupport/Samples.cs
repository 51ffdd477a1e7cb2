namespace ChatOpsIncident.TestSupport;

/// <summary>Finds the shared protocol samples (../shared/protocol-samples beside the repository).</summary>
public static class Samples
{
    public static string Root { get; } = Locate();

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(Path(relative));

    private static string Locate()
    {
        var env = Environment.GetEnvironmentVariable("CHATOPS_SAMPLES");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env))
        {
            return env;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "protocol-samples");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/protocol-samples not found above the test directory; set CHATOPS_SAMPLES.");
    }
}
