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
            // One's own current session: signed out now, as its next request would be.
            return Redirect("/Account/SignIn");
        }

        Revoked = true;
        return await LoadAsync(ct);
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
