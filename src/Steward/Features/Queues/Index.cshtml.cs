using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Organisation;
using Steward.Features.Qualifications;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Queues;

/// <summary>
/// A branch's queue set-up: its service types and counters, with links to its kiosk, board and counter page. Branch managers
/// (their branches) and administrators add service types and counters here.
/// </summary>
[RequirePermission(Permission.QueueManage)]
public sealed class QueuesIndexModel(StewardDbContext db, QueueAdmin admin, Microsoft.Extensions.Options.IOptions<QueueOptions> options) : PageModel
{
    /// <summary>The institution's appointment settings, which a service type without its own follows.</summary>
    public QueueOptions Settings => options.Value;

    public IReadOnlyList<Branch> Branches { get; private set; } = [];

    public long? BranchId { get; private set; }

    public IReadOnlyList<ServiceTypeDto> Types { get; private set; } = [];

    public IReadOnlyList<CounterDto> Counters { get; private set; } = [];

    public IReadOnlyList<QualificationType> Qualifications { get; private set; } = [];

    public Error? Error { get; private set; }

    public string? ErrorForm { get; private set; }

    [BindProperty]
    public ServiceTypeForm NewType { get; set; } = new();

    [BindProperty]
    public CounterForm NewCounter { get; set; } = new();

    public sealed class ServiceTypeForm
    {
        public string? Name { get; set; }

        public string? NameEn { get; set; }

        public string? Prefix { get; set; }

        public int? TargetWaitMinutes { get; set; } = 15;

        public long? RequiredQualificationTypeId { get; set; }

        /// <summary>Empty: the institution's setting.</summary>
        public int? AppointmentSlotMinutes { get; set; }

        /// <summary>Empty: the institution's setting; 0: no appointments.</summary>
        public int? AppointmentCapacity { get; set; }
    }

    public sealed class CounterForm
    {
        public int? Number { get; set; }

        public string? Name { get; set; }

        public string? NameEn { get; set; }

        public List<long> ServiceTypeIds { get; set; } = [];

        public bool IsPriorityCounter { get; set; }

        public bool IsWealthZone { get; set; }
    }

    public async Task OnGetAsync(long? branchId, CancellationToken ct) => await LoadAsync(branchId, ct);

    public async Task<IActionResult> OnPostTypeAsync(long branchId, CancellationToken ct)
    {
        var f = NewType;
        var saved = await admin.SaveServiceTypeAsync(branchId, null, new ServiceTypeInput(f.Name, f.NameEn, f.Prefix, f.TargetWaitMinutes, f.RequiredQualificationTypeId, null, true, f.AppointmentSlotMinutes, f.AppointmentCapacity), null, ct);
        return await AfterAsync(branchId, saved.Error, "type", ct);
    }

    public async Task<IActionResult> OnPostCounterAsync(long branchId, CancellationToken ct)
    {
        var f = NewCounter;
        var saved = await admin.SaveCounterAsync(branchId, null, new CounterInput(f.Number, f.Name, f.NameEn, f.ServiceTypeIds, f.IsPriorityCounter, f.IsWealthZone, true), null, ct);
        return await AfterAsync(branchId, saved.Error, "counter", ct);
    }

    private async Task<IActionResult> AfterAsync(long branchId, Error? error, string form, CancellationToken ct)
    {
        if (error is null)
        {
            return RedirectToPage(new { branchId });
        }

        Error = error;
        ErrorForm = form;
        await LoadAsync(branchId, ct);
        return Page();
    }

    private async Task LoadAsync(long? branchId, CancellationToken ct)
    {
        (Branches, BranchId) = await admin.BranchesAsync(branchId, ct);
        if (BranchId is not { } id)
        {
            return;
        }

        Types = (await admin.ServiceTypesAsync(id, ct)).Value ?? [];
        Counters = (await admin.CountersAsync(id, ct)).Value ?? [];
        Qualifications = await db.Set<QualificationType>().AsNoTracking().Where(q => q.IsActive).OrderBy(q => q.Code).ToListAsync(ct);
    }
}
