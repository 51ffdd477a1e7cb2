using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Teams.Activities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Teams.Outbound;

internal sealed record GraphChannel(string Id, string? DisplayName, string? Description, string? WebUrl);

/// <summary>The few Microsoft Graph calls the adapter makes: team channels (create, find, describe) and their members.</summary>
internal sealed class GraphClient(IHttpClientFactory http, TeamsTokenProvider tokens, IOptions<TeamsOptions> options, ILogger<GraphClient> logger)
{
    /// <summary>Creates a channel; null when the name is already taken in the team.</summary>
    public async Task<GraphChannel?> CreateChannelAsync(string teamId, string displayName, string description, bool isPrivate, string? ownerAadId, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["displayName"] = displayName,
            ["description"] = description,
            ["membershipType"] = isPrivate ? "private" : "standard",
        };
        if (isPrivate)
        {
            // Application-permission callers must name an owner for a private channel.
            body["@odata.type"] = "#Microsoft.Graph.channel";
            body["members"] = new JsonArray(Member(ownerAadId ?? "", owner: true));
        }

        using var response = await SendAsync(HttpMethod.Post, $"teams/{Uri.EscapeDataString(teamId)}/channels", body, ct);
        if (response.IsSuccessStatusCode)
        {
            return await response.Content.ReadFromJsonAsync<GraphChannel>(TeamsJson.Options, ct);
        }

        if (response.StatusCode == HttpStatusCode.Conflict || (response.StatusCode == HttpStatusCode.BadRequest && await IsNameTakenAsync(response, ct)))
        {
            return null;
        }

        throw await FailureAsync(HttpMethod.Post, response, ct);
    }

    public async Task<GraphChannel?> FindChannelByNameAsync(string teamId, string displayName, CancellationToken ct)
    {
        var filter = Uri.EscapeDataString($"displayName eq '{displayName.Replace("'", "''", StringComparison.Ordinal)}'");
        using var response = await SendAsync(HttpMethod.Get, $"teams/{Uri.EscapeDataString(teamId)}/channels?$filter={filter}", null, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(HttpMethod.Get, response, ct);
        }

        var list = await response.Content.ReadFromJsonAsync<GraphList>(TeamsJson.Options, ct);
        return list?.Value?.FirstOrDefault(c => string.Equals(c.DisplayName, displayName, StringComparison.OrdinalIgnoreCase));
    }

    public async Task SetDescriptionAsync(string teamId, string channelId, string description, CancellationToken ct)
    {
        var body = new JsonObject { ["description"] = description };
        using var response = await SendAsync(HttpMethod.Patch, $"teams/{Uri.EscapeDataString(teamId)}/channels/{Uri.EscapeDataString(channelId)}", body, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(HttpMethod.Patch, response, ct);
        }
    }

    /// <summary>Adds a user to a private channel (standard channels include every team member already).</summary>
    public async Task AddMemberAsync(string teamId, string channelId, string aadUserId, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Post, $"teams/{Uri.EscapeDataString(teamId)}/channels/{Uri.EscapeDataString(channelId)}/members", Member(aadUserId, owner: false), ct);
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Conflict)
        {
            throw await FailureAsync(HttpMethod.Post, response, ct);
        }
    }

    private JsonObject Member(string aadUserId, bool owner) => new()
    {
        ["@odata.type"] = "#microsoft.graph.aadUserConversationMember",
        ["user@odata.bind"] = new Uri(Base(), $"users('{aadUserId}')").ToString(),
        ["roles"] = owner ? new JsonArray("owner") : new JsonArray(),
    };

    private Uri Base()
    {
        var b = options.Value.GraphBaseUrl;
        return new Uri(b.EndsWith('/') ? b : b + "/");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var request = new HttpRequestMessage(method, new Uri(Base(), path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GraphTokenAsync(ct));
            if (body is not null)
            {
                request.Content = JsonContent.Create(body, options: TeamsJson.Options);
            }

            var response = await http.CreateClient(TeamsHttpClients.Graph).SendAsync(request, ct);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 1)
            {
                response.Dispose();
                request.Dispose();
                tokens.Invalidate(TeamsTokenProvider.GraphScope);
                continue;
            }

            return response;
        }
    }

    private static async Task<bool> IsNameTakenAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (!doc.RootElement.TryGetProperty("error", out var e))
            {
                return false;
            }

            var code = e.TryGetProperty("code", out var c) ? c.GetString() ?? "" : "";
            var message = e.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
            return code.Contains("NameAlreadyExists", StringComparison.OrdinalIgnoreCase)
                || message.Contains("already exist", StringComparison.OrdinalIgnoreCase);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private async Task<Exception> FailureAsync(HttpMethod method, HttpResponseMessage response, CancellationToken ct)
    {
        var code = await ConnectorClient.ErrorCodeAsync(response, ct);
        var status = (int)response.StatusCode;
        Log.CallFailed(logger, "Graph", method.Method, response.RequestMessage?.RequestUri?.AbsolutePath ?? "", status, code);
        var message = $"Graph {method.Method} answered HTTP {status}{(code.Length == 0 ? "" : " " + code)}";
        return status >= 500 || TeamsResilience.IsRetryable(response.StatusCode) || status == 401
            ? new HttpRequestException(message, null, response.StatusCode)
            : new PermanentChatException(message);
    }

    private sealed record GraphList(List<GraphChannel>? Value);
}
