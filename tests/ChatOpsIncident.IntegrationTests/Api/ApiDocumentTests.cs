using System.Net;
using System.Text.Json;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.IntegrationTests.Api;

public sealed class ApiDocumentTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(ApiTestClient.Settings());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Document_ListsEveryMappedApiRoute_WithTypedResponse_AndBodySchemas()
    {
        var response = await _host.Client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var paths = document.GetProperty("paths");
        var schemas = document.GetProperty("components").GetProperty("schemas");

        var routes = _host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Path: WithoutConstraints(e.RoutePattern.RawText!), Method: m.ToLowerInvariant())))
            .ToList();
        Assert.True(routes.Count >= 10, $"only {routes.Count} /api routes found");
        foreach (var (path, method) in routes)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the document");
            Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path} is not in the document");
            var ok = operation.GetProperty("responses").EnumerateObject().First(r => r.Name is "200" or "201");
            if (path.EndsWith(".md", StringComparison.Ordinal))
            {
                Assert.Equal("string", ok.Value.GetProperty("content").GetProperty("text/markdown").GetProperty("schema").GetProperty("type").GetString());
            }
            else
            {
                AssertTyped(ok.Value.GetProperty("content").GetProperty("application/json").GetProperty("schema"), schemas, $"{method} {path} response");
            }

            if (method is "post" or "patch" && !path.EndsWith("/close", StringComparison.Ordinal))
            {
                var body = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
                AssertTyped(body, schemas, $"{method} {path} request");
            }
        }
    }

    [Theory]
    [InlineData("/api/incidents", "IncidentList", "incidents")]
    [InlineData("/api/changes", "ChangePage", "changes")]
    public async Task Document_ListEndpoints_TakeACursor_AndAnswerTypedPagesWithNext(string path, string schema, string items)
    {
        var document = JsonDocument.Parse(await _host.Client.GetStringAsync("/openapi/v1.json")).RootElement;
        var get = document.GetProperty("paths").GetProperty(path).GetProperty("get");

        var parameters = get.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p);
        Assert.Equal("query", parameters["cursor"].GetProperty("in").GetString());
        Assert.True(parameters.ContainsKey("limit"));
        var reference = get.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
        Assert.EndsWith("/" + schema, reference, StringComparison.Ordinal);
        var properties = document.GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties");
        Assert.True(properties.TryGetProperty("next", out _), $"{schema} has no next");
        Assert.True(properties.GetProperty(items).TryGetProperty("items", out var element) && element.TryGetProperty("$ref", out _), $"{schema}.{items} is not a list of a named schema");
    }

    [Fact]
    public async Task ReferencePage_IsServed()
    {
        var response = await _host.Client.GetAsync("/api-reference");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("ChatOpsIncident API", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The document names a parameter without its route constraint: <c>{number:int}</c> is <c>{number}</c>.</summary>
    private static string WithoutConstraints(string route) => System.Text.RegularExpressions.Regex.Replace(route, @"\{(\w+):[^}]+\}", "{$1}");

    /// <summary>A schema is a named record with properties (or an array of one), never an untyped object.</summary>
    private static void AssertTyped(JsonElement schema, JsonElement schemas, string what)
    {
        if (schema.TryGetProperty("items", out var items))
        {
            schema = items;
        }

        // An optional body is "null or the record".
        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            schema = oneOf.EnumerateArray().Single(s => s.TryGetProperty("$ref", out _));
        }

        Assert.True(schema.TryGetProperty("$ref", out var reference), $"{what} has no named schema: {schema}");
        var name = reference.GetString()!.Split('/')[^1];
        Assert.True(schemas.GetProperty(name).GetProperty("properties").EnumerateObject().Any(), $"{what}: {name} has no properties");
    }
}
