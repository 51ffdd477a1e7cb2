using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ChatOpsIncident.IntegrationTests.Api;

/// <summary>The API tests' tokens and requests: an admin token, a write token and a read-only token.</summary>
internal static class ApiTestClient
{
    public const string Admin = "admin-token-0123456789-admin-token-0123456789";
    public const string Writer = "writer-token-0123456789-writer-token-01234567";
    public const string Reader = "reader-token-0123456789-reader-token-01234567";
    public const string Deployer = "deployer-token-0123456789-deployer-token-0123";

    /// <summary>A write token acting as Alice (<c>Api:Tokens:3:User</c>): it sees what she sees and writes as her.</summary>
    public const string AliceCli = "alice-cli-token-0123456789-alice-cli-token-01";

    /// <summary>An alert router's token: <c>alerts:write</c> only.</summary>
    public const string Router = "router-token-0123456789-router-token-01234567";

    public const string AliceId = "U0ALICE";

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Api:Token"] = Admin,
        ["Api:Tokens:0:Name"] = "ci",
        ["Api:Tokens:0:Token"] = Writer,
        ["Api:Tokens:0:Scopes:0"] = "incidents:write",
        ["Api:Tokens:1:Name"] = "dashboard",
        // The read token is configured by its hash, as the README suggests for secrets kept out of the configuration.
        ["Api:Tokens:1:TokenSha256"] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Reader))),
        ["Api:Tokens:1:Scopes:0"] = "incidents:read",
        ["Api:Tokens:2:Name"] = "deployer",
        ["Api:Tokens:2:Token"] = Deployer,
        ["Api:Tokens:2:Scopes:0"] = "changes:write",
        ["Api:Tokens:3:Name"] = "alice-cli",
        ["Api:Tokens:3:Token"] = AliceCli,
        ["Api:Tokens:3:Scopes:0"] = "incidents:write",
        ["Api:Tokens:3:User"] = "slack:" + AliceId,
        ["Api:Tokens:4:Name"] = "router",
        ["Api:Tokens:4:Token"] = Router,
        ["Api:Tokens:4:Scopes:0"] = "alerts:write",
    };

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, object? body = null, string? token = Admin, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response, json);
    }
}
