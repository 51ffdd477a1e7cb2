namespace ChatOpsIncident.Host.Api;

public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>When set, the JSON API and the dashboard require <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    public string? Token { get; set; }
}
