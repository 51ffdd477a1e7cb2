namespace ChatOpsIncident.Teams.Outbound;

/// <summary>Whether a Bot Connector service URL is on a host the bot's token may be sent to.</summary>
internal static class ServiceUrls
{
    /// <param name="hosts">Exact host names, or <c>*.example.com</c> for any subdomain of example.com.</param>
    public static bool IsAllowed(string? serviceUrl, IEnumerable<string> hosts)
    {
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        var host = uri.IdnHost;
        foreach (var allowed in hosts)
        {
            var h = allowed.Trim();
            if (h.StartsWith("*.", StringComparison.Ordinal)
                ? host.EndsWith(h[1..], StringComparison.OrdinalIgnoreCase) && host.Length > h.Length - 1
                : string.Equals(host, h, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
