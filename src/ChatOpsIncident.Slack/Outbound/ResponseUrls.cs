namespace ChatOpsIncident.Slack.Outbound;

/// <summary>Whether a <c>response_url</c> from a request body may be posted to.</summary>
internal static class ResponseUrls
{
    /// <summary>
    /// True when <paramref name="uri"/> starts with one of <paramref name="prefixes"/>, compared on the normalised URL so
    /// tricks such as <c>https://hooks.slack.com.evil.example/</c> or <c>https://hooks.slack.com@evil.example/</c> fail.
    /// </summary>
    public static bool IsAllowed(Uri? uri, IEnumerable<string> prefixes)
    {
        if (uri is not { IsAbsoluteUri: true } || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.UserInfo.Length > 0)
        {
            return false;
        }

        var url = uri.AbsoluteUri;
        foreach (var prefix in prefixes)
        {
            if (!Uri.TryCreate(prefix, UriKind.Absolute, out var p))
            {
                continue;
            }

            // A prefix without a path still has to end at the host: "https://hooks.slack.com" must not match ".com.evil".
            var normalised = p.AbsoluteUri;
            if (url.StartsWith(normalised, StringComparison.OrdinalIgnoreCase) && string.Equals(uri.Host, p.Host, StringComparison.OrdinalIgnoreCase)
                && uri.Port == p.Port)
            {
                return true;
            }
        }

        return false;
    }
}
