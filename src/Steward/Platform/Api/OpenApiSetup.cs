using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Steward.Platform.Api;

public static class OpenApiSetup
{
    /// <summary>The OpenAPI document, with the bearer scheme declared so that the API page can authorize, and enums as their names.</summary>
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
        }).AddSchemaTransformer((schema, context, _) =>
        {
            // Enums are read and written by StrictEnumConverterFactory, a converter the schema exporter cannot see into (it
            // leaves an empty schema, and drops the items of a list of them): list the names it accepts, as the built-in
            // string enum converter's schema did.
            if (EnumOf(context.JsonTypeInfo.Type) is { } type)
            {
                schema.Enum = Names(type);
                if (Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) is not null)
                {
                    schema.Enum.Add(null!);
                }
            }
            else if (schema.Items is null && context.JsonTypeInfo.ElementType is { } element && EnumOf(element) is { } itemType)
            {
                schema.Items = new OpenApiSchema { Enum = Names(itemType) };
            }

            return Task.CompletedTask;
        }));

    private static Type? EnumOf(Type type) => (Nullable.GetUnderlyingType(type) ?? type) is { IsEnum: true } e ? e : null;

    private static List<System.Text.Json.Nodes.JsonNode> Names(Type type) => [.. Enum.GetNames(type).Select(name => (System.Text.Json.Nodes.JsonNode)name)];
}
