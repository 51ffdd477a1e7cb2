using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace ChatOpsIncident.Teams.Testing;

/// <summary>
/// WireMock standing in for everything Teams talks to: the Bot Framework OpenID metadata and JWKS (our own RSA
/// keys), the Bot Connector at a service URL, and Microsoft Graph on <see cref="Server"/>; the Entra token endpoint
/// on <see cref="Login"/>, over HTTPS as MSAL requires, with a certificate made here that only
/// <see cref="TrustLogin"/>'s client trusts. Also mints Connector tokens the way the real service signs them. Shared
/// by the unit and the whole-host tests.
/// </summary>
public sealed class BotFrameworkStub : IDisposable
{
    public const string AppId = "6f0a3c7e-5a54-4d0f-9c3d-2a1f1d6b8e01";
    public const string AppPassword = "s3cr3t-app-password-never-logged";
    public const string TeamId = "57fb72d0-d811-46f4-8947-305e6072eaa5";
    public const string TenantId = "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f";
    public const string Issuer = "https://api.botframework.com";
    public const string ConnectorToken = "connector-access-token-0001";
    public const string GraphToken = "graph-access-token-0001";

    /// <summary>The stub's default answers; a test overrides one with any lower priority number.</summary>
    public const int Fallback = 100;

    private int _next = 1000;
    private readonly ConcurrentDictionary<string, string> _channelsByName = new(StringComparer.OrdinalIgnoreCase);

    public BotFrameworkStub()
    {
        Server = WireMockServer.Start();
        Login = WireMockServer.Start(new WireMockServerSettings
        {
            UseSSL = true,
            CertificateSettings = new WireMockCertificateSettings { X509Certificate = LoginCertificate },
        });
        SigningKey = NewKey("test-signing-key");
        UnpublishedKey = NewKey("test-unpublished-key");
        SkypeOnlyKey = NewKey("test-skype-only-key");
        ServeMetadata();
        ServeTokens();
        ServeConnector();
        ServeGraph();
    }

    public WireMockServer Server { get; }

    /// <summary>Entra's token endpoint for every tenant (<c>/{tenant}/oauth2/v2.0/token</c>), over HTTPS.</summary>
    public WireMockServer Login { get; }

    /// <summary>The login stand-in's TLS certificate: self-signed for localhost, made once per test run.</summary>
    public static X509Certificate2 LoginCertificate => LoginCertificateLazy.Value;

    private static readonly Lazy<X509Certificate2> LoginCertificateLazy = new(() => SelfSigned("CN=localhost", server: true));

    public string BaseUrl => Server.Url!;

    public string ServiceUrl => BaseUrl + "/amer/";

    public string OpenIdMetadataUrl => BaseUrl + "/v1/.well-known/openidconfiguration";

    public string LoginUrl => Login.Url!;

    /// <summary>The multi-tenant (botframework.com) token endpoint on the login stand-in.</summary>
    public string TokenUrl => TenantTokenUrl("botframework.com");

    public string TenantTokenUrl(string tenant) => $"{LoginUrl}/{tenant}/oauth2/v2.0/token";

    /// <summary>The token requests the login stand-in received for <paramref name="tenant"/>, oldest first.</summary>
    public IReadOnlyList<ILogEntry> TokenRequests(string tenant = "botframework.com") =>
        Login.LogEntries
            .Where(e => e.RequestMessage!.Path == $"/{tenant}/oauth2/v2.0/token" && e.RequestMessage.Method == "POST")
            .OrderBy(e => e.RequestMessage!.DateTime)
            .ToList();

    /// <summary>
    /// Points the adapter's token client (the one MSAL is given) at a handler that trusts exactly the login stand-in's
    /// certificate and nothing else. Production keeps the system trust store; nothing here switches validation off.
    /// </summary>
    public static void TrustLogin(IServiceCollection services)
    {
        var pinned = LoginCertificate.GetCertHash(HashAlgorithmName.SHA256);
        services.AddHttpClient(TeamsHttpClients.Token).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    certificate is not null
                    && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
                    && certificate.GetCertHash(HashAlgorithmName.SHA256).AsSpan().SequenceEqual(pinned),
            },
        });
    }

    /// <summary>A self-signed RSA certificate with its private key: the login server's, or a bot's certificate credential.</summary>
    public static X509Certificate2 SelfSigned(string subject, bool server = false)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        }

        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // Through PKCS#12 so Kestrel (and MSAL) get a key they can use on every platform.
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }

    public string GraphBaseUrl => BaseUrl + "/graph/v1.0/";

    public RsaSecurityKey SigningKey { get; }

    public RsaSecurityKey UnpublishedKey { get; }

    public RsaSecurityKey SkypeOnlyKey { get; }

    /// <summary>Settings that switch the adapter on against this stub.</summary>
    public Dictionary<string, string?> Settings(string? feedChannel = null) => new()
    {
        ["Teams:AppId"] = AppId,
        ["Teams:AppPassword"] = AppPassword,
        ["Teams:TenantId"] = TenantId,
        ["Teams:OpenIdMetadataUrl"] = OpenIdMetadataUrl,
        ["Teams:TokenUrl"] = TokenUrl,
        ["Teams:GraphTokenUrl"] = TokenUrl,
        ["Teams:GraphBaseUrl"] = GraphBaseUrl,
        ["Teams:TeamId"] = TeamId,
        ["Teams:FeedChannel"] = feedChannel,
        ["Teams:DefaultServiceUrl"] = ServiceUrl,
        // WireMock listens on loopback; production keeps the Bot Framework defaults.
        ["Teams:ServiceUrlHosts:0"] = new Uri(BaseUrl).Host,
    };

    public string CreateToken(
        string? serviceUrl = null,
        SecurityKey? key = null,
        string issuer = Issuer,
        string audience = AppId,
        DateTime? now = null,
        TimeSpan? lifetime = null,
        TimeSpan? age = null)
    {
        var issued = (now ?? DateTime.UtcNow) - (age ?? TimeSpan.Zero);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = issued + (lifetime ?? TimeSpan.FromHours(1)),
            Claims = new Dictionary<string, object> { ["serviceurl"] = serviceUrl ?? ServiceUrl },
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A POST of <paramref name="activityJson"/> to the bot, signed like the Connector signs it.</summary>
    public HttpRequestMessage SignedActivity(string activityJson, string? token = null, string path = "/api/messages")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(activityJson, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? CreateToken());
        return request;
    }

    public IReadOnlyList<ILogEntry> Requests(string method, string pathPrefix) =>
        Server.LogEntries
            .Where(e => string.Equals(e.RequestMessage!.Method, method, StringComparison.OrdinalIgnoreCase)
                && e.RequestMessage!.Path.StartsWith(pathPrefix, StringComparison.Ordinal))
            .OrderBy(e => e.RequestMessage!.DateTime)
            .ToList();

    public static JsonNode Body(ILogEntry entry) => JsonNode.Parse(entry.RequestMessage!.Body ?? "null")!;

    /// <summary>Connector "create conversation" calls (new threads in channels), with the channel they went to.</summary>
    public IReadOnlyList<(string ChannelId, JsonNode Body)> ChannelPosts() =>
        Requests("POST", "/amer/v3/conversations")
            .Where(e => e.RequestMessage!.Path == "/amer/v3/conversations")
            .Select(e => (Body(e)["channelData"]?["channel"]?["id"]?.GetValue<string>() ?? "", Body(e)))
            .ToList();

    /// <summary>Connector "send to conversation" calls (replies, chats), with the decoded conversation id.</summary>
    public IReadOnlyList<(string ConversationId, JsonNode Body)> ConversationSends() =>
        Requests("POST", "/amer/v3/conversations/")
            .Select(e => (Uri.UnescapeDataString(e.RequestMessage!.Path["/amer/v3/conversations/".Length..].Split('/')[0]), Body(e)))
            .ToList();

    public IReadOnlyList<ILogEntry> ChannelCreations(string teamId = TeamId) =>
        Requests("POST", $"/graph/v1.0/teams/{teamId}/channels").Where(e => e.RequestMessage!.Path == $"/graph/v1.0/teams/{teamId}/channels").ToList();

    /// <summary>Every Graph channel creation, whatever the team.</summary>
    public IReadOnlyList<ILogEntry> AllChannelCreations() =>
        Requests("POST", "/graph/v1.0/teams/").Where(e => e.RequestMessage!.Path.EndsWith("/channels", StringComparison.Ordinal)).ToList();

    /// <summary>The text of every TextBlock in the card(s) of an outbound activity.</summary>
    public static string CardText(JsonNode activity)
    {
        var sb = new StringBuilder();
        void Walk(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    if (o["type"]?.GetValue<string>() == "TextBlock")
                    {
                        sb.AppendLine(o["text"]?.GetValue<string>());
                    }

                    if (o["type"]?.GetValue<string>() == "FactSet")
                    {
                        foreach (var f in o["facts"]!.AsArray())
                        {
                            sb.AppendLine($"{f!["title"]}: {f["value"]}");
                        }
                    }

                    foreach (var (_, v) in o)
                    {
                        Walk(v);
                    }

                    break;
                case JsonArray a:
                    foreach (var v in a)
                    {
                        Walk(v);
                    }

                    break;
            }
        }

        Walk(activity);
        return sb.ToString();
    }

    private static RsaSecurityKey NewKey(string kid)
    {
        using var rsa = RSA.Create(2048);
        return new RsaSecurityKey(rsa.ExportParameters(true)) { KeyId = kid };
    }

    private static JsonObject Jwk(RsaSecurityKey key, params string[] endorsements)
    {
        var p = key.Parameters;
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            ["endorsements"] = new JsonArray(endorsements.Select(e => (JsonNode)e).ToArray()),
        };
    }

    private void ServeMetadata()
    {
        Server.Given(Request.Create().WithPath("/v1/.well-known/openidconfiguration").UsingGet())
            .AtPriority(Fallback)
            .RespondWith(Json(200, new JsonObject
            {
                ["issuer"] = Issuer,
                ["authorization_endpoint"] = "https://invalid.botframework.com",
                ["jwks_uri"] = BaseUrl + "/v1/.well-known/keys",
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
            }));
        Server.Given(Request.Create().WithPath("/v1/.well-known/keys").UsingGet())
            .AtPriority(Fallback)
            .RespondWith(Json(200, new JsonObject
            {
                ["keys"] = new JsonArray(Jwk(SigningKey, "skype", "msteams"), Jwk(SkypeOnlyKey, "skype")),
            }));
    }

    private void ServeTokens()
    {
        Login.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher(@"^/[^/]+/oauth2/v2\.0/token$")).UsingPost())
            .AtPriority(Fallback)
            .RespondWith(Response.Create().WithCallback(req =>
            {
                var graph = (req.Body ?? "").Contains("graph.microsoft.com", StringComparison.Ordinal);
                return JsonMessage(200, new JsonObject
                {
                    ["token_type"] = "Bearer",
                    ["expires_in"] = 3600,
                    ["ext_expires_in"] = 3600,
                    ["access_token"] = graph ? GraphToken : ConnectorToken,
                });
            }));
    }

    private void ServeConnector()
    {
        Server.Given(Request.Create().WithPath("/amer/v3/conversations").UsingPost())
            .AtPriority(Fallback)
            .RespondWith(Response.Create().WithCallback(req =>
            {
                var body = JsonNode.Parse(req.Body ?? "{}")!;
                var channel = body["channelData"]?["channel"]?["id"]?.GetValue<string>() ?? "a:unknown";
                var id = NextId();
                return JsonMessage(201, new JsonObject { ["id"] = $"{channel};messageid={id}", ["activityId"] = id });
            }));
        Server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/amer/v3/conversations/*/activities")).UsingPost())
            .AtPriority(Fallback)
            .RespondWith(Response.Create().WithCallback(_ => JsonMessage(200, new JsonObject { ["id"] = NextId() })));
        Server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/amer/v3/conversations/*/activities/*")).UsingPut())
            .AtPriority(Fallback)
            .RespondWith(Response.Create().WithCallback(req => JsonMessage(200, new JsonObject { ["id"] = req.Path.Split('/')[^1] })));
    }

    /// <summary>Graph for any team: channels are kept per team (a name is taken within its team only).</summary>
    private void ServeGraph()
    {
        Server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher(@"^/graph/v1\.0/teams/[^/]+/channels$")).UsingPost())
            .AtPriority(Fallback)
            .RespondWith(Response.Create().WithCallback(req =>
            {
                var team = TeamOf(req.Path);
                var body = JsonNode.Parse(req.Body ?? "{}")!;
                var name = body["displayName"]!.GetValue<string>();
                if (_channelsByName.ContainsKey($"{team}|{name}"))
                {
                    return JsonMessage(400, new JsonObject { ["error"] = new JsonObject { ["code"] = "NameAlreadyExists", ["message"] = "Channel name already existed, please use other name." } });
                }

                var id = $"19:{Guid.NewGuid():N}@thread.tacv2";
                _channelsByName[$"{team}|{name}"] = JsonSerializer.Serialize(new { id, displayName = name, description = body["description"]?.GetValue<string>() });
                return JsonMessage(201, new JsonObject
                {
                    ["id"] = id,
                    ["displayName"] = name,
                    ["description"] = body["description"]?.GetValue<string>(),
                    ["webUrl"] = $"https://teams.microsoft.com/l/channel/{Uri.EscapeDataString(id)}/{Uri.EscapeDataString(name)}?groupId={team}",
                    ["membershipType"] = body["membershipType"]?.GetValue<string>() ?? "standard",
                });
            }));
        Server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher(@"^/graph/v1\.0/teams/[^/]+/channels$")).UsingGet())
            .AtPriority(Fallback)
            .RespondWith(Response.Create().WithCallback(req =>
            {
                var team = TeamOf(req.Path);
                var filter = req.Query?.TryGetValue("$filter", out var f) == true ? f.ToString() : "";
                var matches = _channelsByName
                    .Where(kv => kv.Key.StartsWith(team + "|", StringComparison.Ordinal)
                        && filter.Contains($"'{kv.Key[(team.Length + 1)..].Replace("'", "''", StringComparison.Ordinal)}'", StringComparison.OrdinalIgnoreCase))
                    .Select(kv => JsonNode.Parse(kv.Value)).ToArray();
                return JsonMessage(200, new JsonObject { ["value"] = new JsonArray(matches) });
            }));
        Server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher(@"^/graph/v1\.0/teams/[^/]+/channels/[^/]+$")).UsingPatch())
            .AtPriority(Fallback)
            .RespondWith(Response.Create().WithStatusCode(204));
        Server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher(@"^/graph/v1\.0/teams/[^/]+/channels/[^/]+/members$")).UsingPost())
            .AtPriority(Fallback)
            .RespondWith(Response.Create().WithCallback(req => JsonMessage(201, new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.aadUserConversationMember",
                ["id"] = Guid.NewGuid().ToString(),
                ["roles"] = new JsonArray(),
            })));
    }

    private static string TeamOf(string path) => Uri.UnescapeDataString(path.Split('/')[4]);

    /// <summary>Pretends a channel of that name already exists in the team (someone else's, unless the description says ours).</summary>
    public void ExistingChannel(string name, string description) =>
        _channelsByName[$"{TeamId}|{name}"] = JsonSerializer.Serialize(new { id = $"19:{Guid.NewGuid():N}@thread.tacv2", displayName = name, description });

    private string NextId() => Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static IResponseBuilder Json(int status, JsonObject body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body.ToJsonString());

    private static ResponseMessage JsonMessage(int status, JsonObject body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
    };

    public void Dispose()
    {
        Server.Stop();
        Login.Stop();
    }
}
