using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Steward.Platform.Api;

public static class OpenApiSetup
{
    /// <summary>The OpenAPI document, with the bearer scheme declared so that the API page can authorize.</summary>
    public static IServiceCollection AddStewardOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Steward API";
            document.Info.Description = "Service operations for banks, securities firms and insurers. Get a token from POST /api/v1/auth/token, then send Authorization: Bearer <token>. Errors are RFC 9457 problem details. 客户服务运营平台 API。";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A token from POST /api/v1/auth/token.",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] });
            return Task.CompletedTask;
        }));
}
