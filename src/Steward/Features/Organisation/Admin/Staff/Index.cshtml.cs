using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Organisation;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Organisation.Admin.Staff;

public sealed class StaffModel(OrganisationService organisation, TwoFactorService twoFactor, CurrentUser user) : PageModel
{
    public sealed class StaffForm
    {
        public string Username { get; set; } = "";

        public string DisplayName { get; set; } = "";

        public string? Email { get; set; }

        public long HomeBranchId { get; set; }

        public long? TeamId { get; set; }

        public List<StaffRole> Roles { get; set; } = [];

        public List<long> ExtraBranchIds { get; set; } = [];

        public string Password { get; set; } = "";

        public bool IsActive { get; set; } = true;
    }

    [BindProperty(SupportsGet = true)]
    public long? Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Branch { get; set; }

    /// <summary>A search in usernames and names.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    /// <summary>The page of the list, from 1 (<c>p</c>: Razor Pages keeps <c>page</c> for itself).</summary>
    [BindProperty(SupportsGet = true, Name = "p")]
    public int ListPage { get; set; } = 1;

    public const int PageSize = 25;

    public int Total { get; private set; }

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    /// <summary>A link to another page of the list that keeps the filters.</summary>
    public string ListLink(int page) => "/Admin/Staff" + QueryString.Create(
    [
        new KeyValuePair<string, string?>("branch", Branch?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new KeyValuePair<string, string?>("q", Q),
        new KeyValuePair<string, string?>("p", page.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ]).ToUriComponent();

    [BindProperty]
    public int? Version { get; set; }

    [BindProperty]
    public StaffForm Input { get; set; } = new();

    [BindProperty]
    public string? NewPassword { get; set; }

    public bool Saved { get; private set; }

    public Error? Error { get; private set; }

    public IReadOnlyList<StaffDto> Staff { get; private set; } = [];

    public IReadOnlyList<BranchDto> Branches { get; private set; } = [];

    public IReadOnlyList<TeamDto> Teams { get; private set; } = [];

    public bool IsLocked(StaffDto staff) => organisation.IsLocked(staff);

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Id is { } id && await organisation.StaffMemberAsync(id, ct) is { } s)
        {
            Fill(s);
        }
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        var input = new StaffInput(Input.Username, Input.DisplayName, Input.Email, Input.HomeBranchId, Input.TeamId, Input.Roles, Input.ExtraBranchIds, Input.IsActive);
        var result = Id is { } id
            ? await organisation.UpdateStaffAsync(id, input, Version, ct)
            : await organisation.CreateStaffAsync(input, Input.Password, ct);
        return await AfterAsync(result, ct);
    }

    public async Task<IActionResult> OnPostPasswordAsync(CancellationToken ct) =>
        await AfterAsync(await organisation.ResetPasswordAsync(Id ?? 0, NewPassword ?? "", ct), ct);

    public async Task<IActionResult> OnPostUnlockAsync(CancellationToken ct) =>
        await AfterAsync(await organisation.UnlockAsync(Id ?? 0, ct), ct);

    /// <summary>For someone who lost the phone with their authenticator: two-factor sign-in off (audited); a role that requires it asks them to set it up again.</summary>
    public async Task<IActionResult> OnPostResetTwoFactorAsync(CancellationToken ct)
    {
        var reset = await twoFactor.ResetAsync(Id ?? 0, ct);
        return reset.Succeeded && await organisation.StaffMemberAsync(Id ?? 0, ct) is { } member
            ? await AfterAsync(member, ct)
            : await AfterAsync(reset.Error ?? new NotFoundError("not-found", "No such staff member 员工不存在", "No staff member has this id. 没有此编号的员工。"), ct);
    }

    private async Task<IActionResult> AfterAsync(Outcome<StaffDto> result, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (result.Succeeded)
        {
            Id = result.Value!.Id;
            Fill(result.Value);
            Saved = true;
            return Page();
        }

        Error = result.Error;
        Response.StatusCode = result.Error!.Status;
        return Page();
    }

    private void Fill(StaffDto s)
    {
        Input = new StaffForm
        {
            Username = s.Username,
            DisplayName = s.DisplayName,
            Email = s.Email,
            HomeBranchId = s.HomeBranchId,
            TeamId = s.TeamId,
            Roles = [.. s.Roles],
            ExtraBranchIds = [.. s.ExtraBranchIds],
            IsActive = s.IsActive,
        };
        Version = s.Version;
        ModelState.Clear();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Branches = await organisation.BranchesAsync(user, ct);
        Teams = await organisation.TeamsAsync(user, null, ct);
        ListPage = Math.Max(1, ListPage);
        (Staff, Total) = await organisation.StaffPageAsync(Branch, Q, ListPage, PageSize, ct);
    }
}
