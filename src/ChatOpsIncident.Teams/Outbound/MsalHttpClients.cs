using Microsoft.Identity.Client;

namespace ChatOpsIncident.Teams.Outbound;

/// <summary>
/// Hands MSAL the named <c>teams-token</c> client, so token requests go through the same pooled handlers, timeouts and
/// 429/503 retries (Retry-After honoured) as every other Teams call, and show in the HTTP metrics and traces. TLS is
/// whatever that client's handler does: the system trust store in production.
/// </summary>
internal sealed class MsalHttpClients(IHttpClientFactory http) : IMsalHttpClientFactory
{
    public HttpClient GetHttpClient() => http.CreateClient(TeamsHttpClients.Token);
}
