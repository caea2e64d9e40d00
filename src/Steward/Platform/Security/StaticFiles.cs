using Microsoft.AspNetCore.Diagnostics;

namespace Steward.Platform.Security;

/// <summary>
/// Serves <c>wwwroot</c>, and answers a plain 404 for a file that is missing there: under one of its top-level
/// folders or names (<c>/css</c>, <c>/lib</c>, <c>/favicon.ico</c>, …) or a name browsers ask for on their own
/// (<c>/apple-touch-icon.png</c>, <c>/robots.txt</c>). Without this such a request reaches authorization, which
/// sends an anonymous browser to the sign-in page for a missing icon. Other unknown paths still do: an anonymous
/// visitor is not told which pages exist.
/// </summary>
public static class StaticFiles
{
    private static readonly string[] BrowserProbes = ["apple-touch-icon.png", "apple-touch-icon-precomposed.png", "robots.txt"];

    public static WebApplication UseStewardStaticFiles(this WebApplication app)
    {
        app.UseStaticFiles();
        var prefixes = app.Environment.WebRootFileProvider.GetDirectoryContents("")
            .Select(entry => entry.Name)
            .Concat(BrowserProbes)
            .Select(name => new PathString("/" + name))
            .ToArray();
        app.Use((context, next) =>
        {
            var request = context.Request;
            if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
                && Array.Exists(prefixes, prefix => request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                // No error page for a missing asset.
                if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
                {
                    statusPages.Enabled = false;
                }

                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
        return app;
    }
}
