using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Audit;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Account;

/// <summary>
/// Signed-in sessions: one's own at <c>/Account/Sessions</c>, another staff member's at <c>/Account/Sessions/{staffId}</c>
/// (with <see cref="Permission.SessionsManage"/>, within one's branch scope). Revoking one stops its cookie or token at
/// its next request (docs/decisions/0045).
/// </summary>
public sealed class SessionsModel(StaffSessions sessions, CurrentUser me, AuditPresenter presenter, TimeProvider time) : PageModel
{
    public sealed record Row(StaffSessionDto Session, string Started, string LastSeen);

    [BindProperty(SupportsGet = true)]
    public long? StaffId { get; set; }

    public StaffSessionList? List { get; private set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public bool Own => StaffId is null || StaffId == me.StaffId;

    public bool Revoked { get; private set; }

    public Error? Error { get; private set; }

    public string Zone { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostRevokeAsync(long sessionId, CancellationToken ct)
    {
        var done = await sessions.RevokeAsync(StaffId ?? me.StaffId!.Value, sessionId, ct);
        if (!done.Succeeded)
        {
            Error = done.Error;
            Response.StatusCode = done.Error.Status;
            return await LoadAsync(ct, keepStatus: true);
        }

        if (done.Value.Current)
        {
            // One's own current session: signed out now (the cookie removed too), as its next request would be.
            await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Redirect("/Account/SignIn");
        }

        Revoked = true;
        return await LoadAsync(ct);
    }

    /// <summary>
    /// The device as a person recognises it — browser and system ("Chrome 131 · Windows"), or the client's first product
    /// token (an API client, curl); the whole user agent is the cell's title. Null without a user agent.
    /// </summary>
    public static string? Device(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return null;
        }

        static string? Version(string ua, string product) =>
            System.Text.RegularExpressions.Regex.Match(ua, System.Text.RegularExpressions.Regex.Escape(product) + @"/(\d+)") is { Success: true } m ? m.Groups[1].Value : null;
        var browser =
            Version(userAgent, "Edg") is { } edge ? "Edge " + edge
            : Version(userAgent, "OPR") is { } opera ? "Opera " + opera
            : Version(userAgent, "Firefox") is { } firefox ? "Firefox " + firefox
            : Version(userAgent, "Chrome") is { } chrome ? (userAgent.Contains("HeadlessChrome", StringComparison.Ordinal) ? "Headless Chrome " : "Chrome ") + chrome
            : userAgent.Contains("Safari/", StringComparison.Ordinal) && Version(userAgent, "Version") is { } safari ? "Safari " + safari
            : null;
        var system =
            userAgent.Contains("Windows", StringComparison.Ordinal) ? "Windows"
            : userAgent.Contains("iPhone", StringComparison.Ordinal) || userAgent.Contains("iPad", StringComparison.Ordinal) ? "iOS"
            : userAgent.Contains("Mac OS X", StringComparison.Ordinal) ? "macOS"
            : userAgent.Contains("Android", StringComparison.Ordinal) ? "Android"
            : userAgent.Contains("Linux", StringComparison.Ordinal) ? "Linux"
            : null;
        return browser is null
            ? userAgent.Split(' ', 2)[0]
            : system is null ? browser : $"{browser} · {system}";
    }

    private async Task<IActionResult> LoadAsync(CancellationToken ct, bool keepStatus = false)
    {
        var list = await sessions.ListAsync(StaffId ?? me.StaffId!.Value, ct);
        if (!list.Succeeded)
        {
            return keepStatus ? Page() : NotFound();
        }

        var zone = await presenter.ZoneAsync(ct);
        List = list.Value;
        Rows = list.Value.Sessions.Select(s => new Row(s, AuditPresenter.At(s.StartedAt, zone), AuditPresenter.At(s.LastSeenAt, zone))).ToList();
        Zone = await presenter.ZoneLabelAsync(time.GetUtcNow(), ct);
        return Page();
    }
}
