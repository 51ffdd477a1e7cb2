using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ChatOpsIncident.Host.Tests.Deploy;

/// <summary>
/// The README's "Alerts" section is what operators paste: its Alertmanager receiver and Grafana contact point must be
/// valid YAML that points at the intake route with a bearer token, at a source the section configures with the matching
/// kind, and every <c>Alerts__…</c> key it shows must be one the host reads.
/// </summary>
public sealed partial class ReadmeAlertsTests
{
    private static readonly string Section = AlertsSection();

    [Fact]
    public void AlertmanagerReceiver_PostsToAnAlertmanagerSource_WithABearerToken_AndSendsResolved()
    {
        var receiver = Yaml("receivers:");
        var webhook = Map(Seq(Map(Seq(receiver, "receivers")[0], "webhook_configs"))[0]);
        Assert.Equal("alertmanager", KindOf(SourceIn(Scalar(webhook, "url"))));
        Assert.Equal("true", Scalar(webhook, "send_resolved"));
        var authorization = Map(Map(Map(webhook, "http_config"), "authorization"));
        Assert.Equal("Bearer", Scalar(authorization, "type"));
        Assert.True(authorization.Children.ContainsKey(Key("credentials")) || authorization.Children.ContainsKey(Key("credentials_file")), "the receiver sends a token");
    }

    [Fact]
    public void GrafanaContactPoint_IsAWebhookToAGrafanaSource_WithABearerToken()
    {
        var provisioning = Yaml("contactPoints:");
        var receiver = Map(Seq(Map(Seq(provisioning, "contactPoints")[0]), "receivers")[0]);
        Assert.Equal("webhook", Scalar(receiver, "type"));
        var settings = Map(Map(receiver, "settings"));
        Assert.Equal("grafana", KindOf(SourceIn(Scalar(settings, "url"))));
        Assert.Equal("POST", Scalar(settings, "httpMethod"));
        Assert.Equal("Bearer", Scalar(settings, "authorization_scheme"));
        Assert.True(settings.Children.ContainsKey(Key("authorization_credentials")), "the contact point sends a token");
    }

    [Fact]
    public void EveryAlertsKeyShown_IsOneTheHostReads()
    {
        var keys = AlertsKey().Matches(Section).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(keys);
        // A rule's Match is a map of label names: the key is read up to the map.
        var problems = keys.Select(k => ConfigurationKeys.Problem(k.Contains("__Match__", StringComparison.Ordinal) ? k[..(k.IndexOf("__Match__", StringComparison.Ordinal) + "__Match".Length)] : k))
            .OfType<string>().ToList();
        Assert.Empty(problems);
    }

    /// <summary>The source a snippet's URL names, checked against the route the host maps.</summary>
    private static string SourceIn(string url)
    {
        var match = IntakeUrl().Match(url);
        Assert.True(match.Success, $"{url} is not POST /webhooks/alerts/{{source}}");
        return match.Groups[1].Value;
    }

    /// <summary>The kind the section's configuration block gives the source named <paramref name="source"/>.</summary>
    private static string KindOf(string source)
    {
        var name = Regex.Match(Section, @"Alerts__Sources__(\d+)__Name=" + Regex.Escape(source) + @"\b");
        Assert.True(name.Success, $"the section configures no source named {source}");
        var kind = Regex.Match(Section, $@"Alerts__Sources__{name.Groups[1].Value}__Kind=(\w+)");
        Assert.True(kind.Success, $"source {source} has no Kind in the section");
        return kind.Groups[1].Value;
    }

    private static YamlMappingNode Yaml(string topLevel)
    {
        var block = YamlBlocks().Matches(Section).Select(m => m.Groups[1].Value).SingleOrDefault(b => b.Split('\n').Contains(topLevel));
        Assert.True(block is not null, $"no ```yaml block with a top-level {topLevel} in the Alerts section");
        var stream = new YamlStream();
        stream.Load(new StringReader(block));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Map(YamlNode node) => Assert.IsType<YamlMappingNode>(node);

    private static YamlNode Map(YamlNode node, string key) =>
        Map(node).Children.TryGetValue(Key(key), out var child) ? child : throw new Xunit.Sdk.XunitException($"no '{key}' in {node}");

    private static IReadOnlyList<YamlNode> Seq(YamlNode node, string key) => Seq(Map(node, key));

    private static IReadOnlyList<YamlNode> Seq(YamlNode node) => Assert.IsType<YamlSequenceNode>(node).Children.ToList();

    private static string Scalar(YamlMappingNode node, string key) => Assert.IsType<YamlScalarNode>(Map(node, key)).Value!;

    private static YamlScalarNode Key(string key) => new(key);

    private static string AlertsSection()
    {
        var readme = File.ReadAllText(Path.Combine(DeployFilesTests.RepositoryRoot(), "README.md"));
        var start = readme.IndexOf("\n## Alerts\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no \"## Alerts\" section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }

    [GeneratedRegex(@"```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlocks();

    [GeneratedRegex(@"\b(Alerts__[A-Za-z0-9_]+)=")]
    private static partial Regex AlertsKey();

    // The route AlertIntake maps: POST /webhooks/alerts/{source}.
    [GeneratedRegex(@"^https?://[^/]+/webhooks/alerts/([A-Za-z0-9_-]+)$")]
    private static partial Regex IntakeUrl();
}
