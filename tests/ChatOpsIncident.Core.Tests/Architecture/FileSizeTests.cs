namespace ChatOpsIncident.Core.Tests.Architecture;

/// <summary>Core stays readable: a rule file that grows past 300 lines is split by concern (partial files by phase).</summary>
public sealed class FileSizeTests
{
    private const int MaxLines = 300;

    [Fact]
    public void CoreSourceFiles_AreAtMost300Lines()
    {
        var core = Path.Combine(DependencyTests.RepositoryRoot(), "src", "ChatOpsIncident.Core");
        var tooLong = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(core, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > MaxLines)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .ToList();

        Assert.True(tooLong.Count == 0, "Split these Core files by concern: " + string.Join(", ", tooLong));
    }
}
