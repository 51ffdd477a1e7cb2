namespace ChatOpsIncident.Core.Alerts;

/// <summary>What a matching rule says to do with an alert group.</summary>
public sealed record AlertRoute(string Action, string? Severity, string? Type, string? Commander)
{
    public static readonly AlertRoute Default = new(AlertActions.Prompt, null, null, null);
}

/// <summary>The routing rule, as a pure function (the throttles are atomic updates in the group store).</summary>
public static class AlertRouting
{
    /// <summary>The first rule whose every <see cref="AlertRule.Match"/> label equals the group's; none: prompt.</summary>
    public static AlertRoute Route(IReadOnlyDictionary<string, string> labels, IReadOnlyList<AlertRule> rules)
    {
        foreach (var rule in rules)
        {
            if (rule.Match.All(m => labels.TryGetValue(m.Key, out var value) && string.Equals(value, m.Value, StringComparison.Ordinal)))
            {
                return new AlertRoute(rule.Action, rule.Severity, rule.Type, rule.Commander is { Length: > 0 } c ? c : null);
            }
        }

        return AlertRoute.Default;
    }
}
