using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Steward.Features.Errors;

/// <summary>The page people see for 403, 404 and 500; the status code stays that of the failed request.</summary>
[AllowAnonymous]
[Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string TitleKey { get; private set; } = "error.500";

    public void OnGet(int? code) => Set(code);

    public void OnPost(int? code) => Set(code);

    private void Set(int? code)
    {
        var status = code ?? 500;
        TitleKey = status switch
        {
            403 => "error.403",
            404 => "error.404",
            401 => "error.401",
            429 => "error.429",
            >= 400 and < 500 => "error.400",
            _ => "error.500",
        };
        if (code is null)
        {
            Response.StatusCode = 500;
        }
    }
}
