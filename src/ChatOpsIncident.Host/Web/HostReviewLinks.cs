using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Review;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Web;

/// <summary>Links to the pages from chat, built on <c>Web:BaseUrl</c>.</summary>
internal sealed class HostReviewLinks(IOptions<WebOptions> options) : IReviewLinks
{
    private string? Base => options.Value.BaseUrl is { Length: > 0 } b ? b.TrimEnd('/') : null;

    public string? Postmortem(Incident incident) => Base is { } b ? $"{b}/incidents/{incident.Id}/postmortem" : null;

    public string? Detail(Incident incident) => Base is { } b ? $"{b}/incidents/{incident.Id}" : null;
}
