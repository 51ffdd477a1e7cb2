using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Review;
using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using static ChatOpsIncident.Host.Web.Html;

namespace ChatOpsIncident.Host.Web;

/// <summary>The review draft rendered as a page: the same Markdown the API serves, with times in the reader's zone too.</summary>
internal static class PostmortemPage
{
    // Raw HTML in the Markdown is shown as text, never rendered: the draft quotes what people typed in chat.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();

    public static string Render(IncidentRecord r, string markdown, WebViewer viewer)
    {
        var i = r.Incident;
        var html = ToHtml(markdown);
        var body = $"""
            <p class="links"><a href="/incidents/{i.Id}">Back to {E(i.PublicId)}</a><a href="/incidents/{i.Id}/postmortem.md" download="{E(i.PublicId)}-postmortem.md">Download Markdown</a></p>
            <article class="markdown">{html}</article>
            """;
        return Page($"Review draft: {i.PublicId}", body, viewer, "incidents");
    }

    public static string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            // Only web links survive; javascript: and friends become inert.
            if (link.Url is { } url && !PostmortemDraft.IsWebLink(url))
            {
                link.Url = "#";
            }
        }

        foreach (var auto in document.Descendants<AutolinkInline>())
        {
            if (!auto.IsEmail && !PostmortemDraft.IsWebLink(auto.Url))
            {
                auto.Url = "#";
            }
        }

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return MarkTimes(writer.ToString());
    }
}
