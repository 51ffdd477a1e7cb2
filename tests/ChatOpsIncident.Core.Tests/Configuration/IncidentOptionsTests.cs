using ChatOpsIncident.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Tests.Configuration;

public sealed class IncidentOptionsTests
{
    private static IncidentOptions Bind(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddIncidentCore(config).BuildServiceProvider();
        return services.GetRequiredService<IOptions<IncidentOptions>>().Value;
    }

    [Fact]
    public void Defaults_AreSev1ToSev4_WithDocumentedCadences()
    {
        var options = Bind([]);

        Assert.Equal(["SEV1", "SEV2", "SEV3", "SEV4"], options.Severities.Select(s => s.Name));
        Assert.Equal([TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(60), TimeSpan.FromHours(4)], options.Severities.Select(s => s.UpdateCadence));
        Assert.Equal(["commander", "comms", "ops", "scribe"], options.Roles.Select(r => r.Key));
        Assert.Contains(options.Types, t => t.Name == "security" && t.Private);
        Assert.Equal("inc", options.ChannelPrefix);
    }

    [Fact]
    public void IndexedOverride_ChangesOneSeverity_KeepsTheOthers()
    {
        var options = Bind(new()
        {
            ["Incident:Severities:1:UpdateCadence"] = "00:05:00",
            ["Incident:Severities:1:Stakeholders:0"] = "CSTAKE1",
            ["Incident:Severities:1:Stakeholders:1"] = "CSTAKE2",
            ["Incident:ChannelPrefix"] = "incident",
        });

        Assert.Equal(4, options.Severities.Count);
        Assert.Equal("SEV2", options.Severities[1].Name);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Severities[1].UpdateCadence);
        Assert.Equal(["CSTAKE1", "CSTAKE2"], options.Severities[1].Stakeholders);
        Assert.Equal(TimeSpan.FromMinutes(15), options.Severities[0].UpdateCadence);
        Assert.Equal("incident", options.ChannelPrefix);
    }

    [Fact]
    public void RequiredRolesOverride_ReplacesTheList()
    {
        var options = Bind(new() { ["Incident:Severities:0:RequiredRoles:0"] = "commander" });

        Assert.Equal(["commander"], options.Severities[0].RequiredRoles);
    }

    [Fact]
    public void ExtraSeverityAndRole_AreAppended()
    {
        var options = Bind(new()
        {
            ["Incident:Severities:4:Name"] = "SEV5",
            ["Incident:Severities:4:UpdateCadence"] = "1.00:00:00",
            ["Incident:Roles:4:Key"] = "liaison",
            ["Incident:Roles:4:Name"] = "Customer Liaison",
        });

        Assert.Equal("SEV5", options.Severities[4].Name);
        Assert.Equal("Customer Liaison", options.FindRole("liaison")!.Name);
    }

    [Theory]
    [InlineData("Incident:Severities:1:UpdateCadence", "soon", "Incident:Severities:1")]
    [InlineData("Incident:Severities:2:UpdateCadence", "00:00:00", "Incident:Severities:2:UpdateCadence")]
    [InlineData("Incident:Severities:0:RequiredRoles:0", "janitor", "Incident:Severities:0:RequiredRoles")]
    [InlineData("Incident:ChannelPrefix", "Inc #", "Incident:ChannelPrefix")]
    [InlineData("Incident:DefaultSeverity", "SEV9", "Incident:DefaultSeverity")]
    [InlineData("Incident:Severities:5:UpdateCadence", "00:10:00", "Incident:Severities:5:Name")]
    [InlineData("Incident:ChannelPrefix", "an-incident-prefix-longer-than-twenty", "Incident:ChannelPrefix")]
    [InlineData("Incident:EscalationGraceFraction", "0", "Incident:EscalationGraceFraction")]
    [InlineData("Incident:EscalationGraceFraction", "10.5", "Incident:EscalationGraceFraction")]
    public void BadSetting_FailsNamingTheKey(string key, string value, string named)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));

        Assert.Contains(named, string.Join(" ", ex.Failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Processing:PollInterval", "00:00:00")]
    [InlineData("Processing:Lease", "00:00:04")]
    [InlineData("Processing:MaxAttempts", "0")]
    [InlineData("Processing:BatchSize", "0")]
    [InlineData("Processing:Parallelism", "0")]
    public void BadProcessingSetting_FailsNamingTheKey(string key, string value)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        using var services = new ServiceCollection().AddLogging().AddIncidentCore(config).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ChatOpsIncident.Core.Processing.ProcessingOptions>>().Value);

        Assert.Contains(key, string.Join(" ", ex.Failures), StringComparison.Ordinal);
    }
}
