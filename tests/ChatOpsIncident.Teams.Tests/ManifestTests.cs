using System.Text.Json.Nodes;

namespace ChatOpsIncident.Teams.Tests;

public sealed class ManifestTests
{
    private static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "manifests", "teams");
            if (File.Exists(Path.Combine(candidate, "manifest.template.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("manifests/teams not found above the test directory.");
    }

    [Fact]
    public void Manifest_DeclaresTheBotScopesCommandsAndMessageAction_WithinSchemaLimits()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder(), "manifest.template.json")))!;

        Assert.Equal("1.22", manifest["manifestVersion"]!.GetValue<string>());
        Assert.True(manifest["name"]!["short"]!.GetValue<string>().Length <= 30);
        Assert.True(manifest["description"]!["short"]!.GetValue<string>().Length <= 80);
        var bot = Assert.Single(manifest["bots"]!.AsArray())!;
        Assert.Equal(["team", "groupChat", "personal"], bot["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        var commands = bot["commandLists"]![0]!["commands"]!.AsArray();
        Assert.InRange(commands.Count, 1, 10);
        Assert.All(commands, c => Assert.InRange(c!["title"]!.GetValue<string>().Length, 1, 32));
        Assert.All(commands, c => Assert.InRange(c!["description"]!.GetValue<string>().Length, 1, 128));
        var action = Assert.Single(manifest["composeExtensions"]![0]!["commands"]!.AsArray())!;
        Assert.Equal("action", action["type"]!.GetValue<string>());
        Assert.Equal("message", Assert.Single(action["context"]!.AsArray())!.GetValue<string>());
        Assert.Equal(ChatOpsIncident.Teams.Inbound.IncidentLocator.IncidentParameter, action["parameters"]![0]!["name"]!.GetValue<string>());
        Assert.Contains(manifest["authorization"]!["permissions"]!["resourceSpecific"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "Channel.Create.Group");
    }

    [Theory]
    [InlineData("color.png", 192)]
    [InlineData("outline.png", 32)]
    public void Icons_HaveTheSizesTeamsRequires(string file, int size)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Folder(), file));

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.Equal(size, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(size, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }
}
