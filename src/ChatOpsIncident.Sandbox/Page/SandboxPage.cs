using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace ChatOpsIncident.Sandbox.Page;

/// <summary>The workspace page: one HTML file, its script and its style, served from the assembly.</summary>
internal static class SandboxPage
{
    private static readonly Lazy<string> Html = new(() => Read("sandbox.html"));
    private static readonly Lazy<string> Js = new(() => Read("sandbox.js"));
    private static readonly Lazy<string> Css = new(() => Read("sandbox.css"));

    public static IResult Page() => Results.Content(Html.Value, "text/html; charset=utf-8");

    public static IResult Script() => Results.Content(Js.Value, "text/javascript; charset=utf-8");

    public static IResult Style() => Results.Content(Css.Value, "text/css; charset=utf-8");

    private static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"ChatOpsIncident.Sandbox.Page.{name}")
            ?? throw new InvalidOperationException($"the sandbox page file {name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
