using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace ChatOpsIncident.Host.Api;

/// <summary>
/// The API's OpenAPI document (<c>/openapi/v1.json</c>, generated from the mapped endpoints and their record types)
/// and a readable reference page over it (<c>/api-reference</c>). Both are public: they describe the API, they hold
/// nothing of an incident. Only the JSON API and the alert intake are in it, not the pages or the chat webhooks.
/// </summary>
internal static class ApiDocument
{
    public const string DocumentPath = "/openapi/{documentName}.json";
    public const string ReferencePath = "/api-reference";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi("v1", o =>
        {
            o.ShouldInclude = d => d.RelativePath is { } path && (path.StartsWith("api/", StringComparison.Ordinal) || path.StartsWith("webhooks/alerts", StringComparison.Ordinal));
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "ChatOpsIncident API",
                    Version = "v1",
                    Description = "Incidents, change events and the deploy freeze. Send Authorization: Bearer <token> (Api:Token, or an Api:Tokens entry holding the scope the operation needs).",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer" };
                return Task.CompletedTask;
            });
        });

    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath);
        app.MapScalarApiReference(ReferencePath, o => o.WithTitle("ChatOpsIncident API").WithOpenApiRoutePattern(DocumentPath));
        return app;
    }
}
