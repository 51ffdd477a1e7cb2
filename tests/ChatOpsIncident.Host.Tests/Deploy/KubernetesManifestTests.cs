using System.Diagnostics;
using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace ChatOpsIncident.Host.Tests.Deploy;

/// <summary>
/// The Kustomize base and the example overlay, rendered by <c>kubectl kustomize</c> (no cluster needed) and read back
/// strictly into the Kubernetes object models: an unknown or misspelt field, a wrong type or a missing required field
/// fails, as do probes, ports, selectors and settings that do not match the host.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Root = DeployFilesTests.RepositoryRoot();

    [Theory]
    [InlineData("base")]
    [InlineData("overlays/example")]
    public async Task Rendered_EveryObjectValidates_AndTheDeploymentIsOperable(string folder)
    {
        var objects = KubernetesYaml.LoadAllFromString(await RenderAsync(folder), strict: true);
        foreach (var o in objects)
        {
            // The generated models check their required fields (containers, selector, ports…) themselves.
            o.GetType().GetMethod("Validate")?.Invoke(o, null);
        }

        var deployment = Assert.Single(objects.OfType<V1Deployment>());
        var pod = deployment.Spec.Template.Spec;
        var bot = Assert.Single(pod.Containers);
        var port = Assert.Single(bot.Ports);
        Assert.Equal(8080, port.ContainerPort);
        Assert.Equal("/healthz", bot.StartupProbe.HttpGet.Path);
        Assert.Equal("/readyz", bot.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/healthz", bot.LivenessProbe.HttpGet.Path);
        // Migrations may hold start-up for Database:StartupTimeout (60 s): the startup probe must allow more.
        Assert.True(bot.StartupProbe.PeriodSeconds * bot.StartupProbe.FailureThreshold > 60);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal(1654, pod.SecurityContext.RunAsUser);
        Assert.True(bot.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(bot.SecurityContext.AllowPrivilegeEscalation);
        Assert.NotNull(bot.Resources.Requests["memory"]);
        Assert.NotNull(bot.Resources.Limits["memory"]);
        Assert.Contains(bot.VolumeMounts, m => m.MountPath == "/tmp");
        Assert.Equal(DeployFilesTests.MetricsPath, deployment.Spec.Template.Metadata.Annotations["prometheus.io/path"]);

        var podLabels = deployment.Spec.Template.Metadata.Labels;
        Assert.All(deployment.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, podLabels[l.Key]));
        var service = Assert.Single(objects.OfType<V1Service>());
        Assert.All(service.Spec.Selector, l => Assert.Equal(l.Value, podLabels[l.Key]));
        var pdb = Assert.Single(objects.OfType<V1PodDisruptionBudget>());
        Assert.All(pdb.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, podLabels[l.Key]));
        var ingress = Assert.Single(objects.OfType<V1Ingress>());
        Assert.Equal(service.Metadata.Name, ingress.Spec.Rules.Single().Http.Paths.Single().Backend.Service.Name);

        var config = Assert.Single(objects.OfType<V1ConfigMap>());
        Assert.Contains(bot.EnvFrom, e => e.ConfigMapRef?.Name == config.Metadata.Name);
        Assert.Contains(bot.EnvFrom, e => e.SecretRef?.Name is { Length: > 0 });
        Assert.Contains(config.Data.Keys, k => k.StartsWith("Incident__", StringComparison.Ordinal));
        foreach (var key in config.Data.Keys.Concat(bot.Env?.Select(e => e.Name) ?? []))
        {
            Assert.Null(ConfigurationKeys.Problem(key));
        }
    }

    [Fact]
    public async Task Overlay_SetsTheImageInOnePlace()
    {
        var kustomization = DeployFilesTests.Yaml(Path.Combine(Root, "deploy", "kubernetes", "overlays", "example", "kustomization.yaml"));
        var image = (YamlMappingNode)((YamlSequenceNode)kustomization.Children[new YamlScalarNode("images")]).Children.Single();
        var expected = $"{image.Children[new YamlScalarNode("newName")]}:{image.Children[new YamlScalarNode("newTag")]}";

        var objects = KubernetesYaml.LoadAllFromString(await RenderAsync("overlays/example"), strict: true);

        Assert.Equal(expected, objects.OfType<V1Deployment>().Single().Spec.Template.Spec.Containers.Single().Image);
        Assert.All(objects.OfType<IMetadata<V1ObjectMeta>>(), o => Assert.Equal("chatops", o.Metadata.NamespaceProperty));
    }

    private static async Task<string> RenderAsync(string folder)
    {
        var start = new ProcessStartInfo("kubectl", ["kustomize", Path.Combine(Root, "deploy", "kubernetes", folder)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process? started;
        try
        {
            started = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            started = null;
        }

        // Never a skip: without kubectl the manifests are not checked, and the failure says how to get it.
        using var process = started ?? throw new Xunit.Sdk.XunitException(
            "kubectl is missing, so deploy/kubernetes cannot be rendered: install Debian's kubernetes-client (deploy/test-prereqs.sh, run by test.sh, does so as root or with sudo).");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {folder} failed: {await error}");
        return await output;
    }
}
