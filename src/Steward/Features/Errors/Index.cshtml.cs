using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Features.Errors;

/// <summary>
/// The page people see for an error status; the status code stays that of the failed request. It is re-executed with
/// the failed request's method, so a POST whose form could not be read arrives here as a POST with that form. Nothing is
/// model-bound (binding reads the form even for a query parameter, and a form that cannot be read leaves every parameter
/// unbound): the code is read from the query string. A request refused for its input
/// (<see cref="InputRejection"/>) shows the field and why.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string TitleKey { get; private set; } = "error.500";

    public InputRejection? Rejection { get; private set; }

    /// <summary>For a change refused because someone else changed the same thing (409): the page it was made on, to open again.</summary>
    public string? Retry { get; private set; }

    public void OnGet() => Set();

    public void OnPost() => Set();

    private void Set()
    {
        int? code = int.TryParse(Request.Query["code"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var c) ? c : null;
        var status = code ?? 500;
        TitleKey = status switch
        {
            403 => "error.403",
            404 => "error.404",
            401 => "error.401",
            409 => "error.409",
            429 => "error.429",
            503 => "error.503",
            >= 400 and < 500 => "error.400",
            _ => "error.500",
        };
        Rejection = HttpContext.Features.Get<InputRejection>();
        if (status == StatusCodes.Status409Conflict)
        {
            // The failed request's own page (a form posts to the page it is on), without its handler: opened again, it shows the change.
            var original = HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>();
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(original?.OriginalQueryString);
            query.Remove("handler");
            var failed = original?.OriginalPath;
            Retry = failed is { Length: > 0 } && failed.StartsWith('/') && !failed.StartsWith("//", StringComparison.Ordinal)
                ? Microsoft.AspNetCore.Http.QueryString.Create(query).ToUriComponent() is var q ? failed + q : failed
                : null;
        }

        if (code is null)
        {
            Response.StatusCode = 500;
        }

        if (status == StatusCodes.Status503ServiceUnavailable && !Response.Headers.ContainsKey("Retry-After"))
        {
            Response.Headers.RetryAfter = TransientDatabaseFailure.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
