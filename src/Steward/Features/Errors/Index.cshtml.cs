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
            429 => "error.429",
            503 => "error.503",
            >= 400 and < 500 => "error.400",
            _ => "error.500",
        };
        Rejection = HttpContext.Features.Get<InputRejection>();
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
