using ChatOpsIncident.Core.Alerts;

namespace ChatOpsIncident.Core.Tests.Alerts;

public sealed class AlertRoutingTests
{
    private static readonly List<AlertRule> Rules =
    [
        new() { Match = new() { ["severity"] = "critical", ["env"] = "prod" }, Action = AlertActions.Declare, Severity = "SEV1", Commander = "U1" },
        new() { Match = new() { ["severity"] = "critical" }, Action = AlertActions.Prompt, Severity = "SEV2" },
        new() { Match = new() { ["team"] = "noise" }, Action = AlertActions.Ignore },
    ];

    [Fact]
    public void Route_FirstRuleWhoseLabelsAllMatch_Wins()
    {
        var route = AlertRouting.Route(new Dictionary<string, string> { ["severity"] = "critical", ["env"] = "prod" }, Rules);

        Assert.Equal(new AlertRoute(AlertActions.Declare, "SEV1", null, "U1"), route);
    }

    [Fact]
    public void Route_OneLabelMissing_FallsToTheNextRule()
    {
        var route = AlertRouting.Route(new Dictionary<string, string> { ["severity"] = "critical", ["env"] = "staging" }, Rules);

        Assert.Equal(AlertActions.Prompt, route.Action);
        Assert.Equal("SEV2", route.Severity);
    }

    [Fact]
    public void Route_NoRuleMatches_Prompts_AndAnEmptyMatchMatchesEverything()
    {
        Assert.Equal(AlertRoute.Default, AlertRouting.Route(new Dictionary<string, string> { ["severity"] = "warning" }, Rules));
        Assert.Equal(AlertActions.Ignore, AlertRouting.Route(new Dictionary<string, string>(), [new AlertRule { Action = AlertActions.Ignore }]).Action);
    }

    [Fact]
    public void Route_ValuesCompareExactly()
    {
        Assert.Equal(AlertRoute.Default, AlertRouting.Route(new Dictionary<string, string> { ["severity"] = "Critical" }, Rules.Skip(1).ToList()));
    }

}
