namespace Steward.Platform.Security;

/// <summary>
/// Response headers every page and API answer carries: no MIME sniffing, no framing by other sites,
/// no referrer leaking case URLs to other origins, and a content security policy that allows only
/// Steward's own scripts and styles (the Swagger UI page is exempt: it needs inline script).
/// </summary>
public static class SecurityHeaders
{
    private const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            if (!context.Request.Path.StartsWithSegments("/api-docs", StringComparison.OrdinalIgnoreCase))
            {
                headers.ContentSecurityPolicy = Policy;
            }

            return Task.CompletedTask;
        });
        return next(context);
    });
}
