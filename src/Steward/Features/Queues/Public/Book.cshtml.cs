using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Features.Queues.Public;

/// <summary>
/// Booking an appointment, no sign-in (mobile first): the branch, then the service and the day, then a slot with places left,
/// name and phone. A refused booking is shown at its field (a full slot at the time). Branch staff signed in book here for
/// a customer (recorded as booked by them). Success redirects to the appointment's manage page.
/// </summary>
public sealed class BookModel(StewardDbContext db, Appointments appointments) : PageModel
{
    public IReadOnlyList<Branch> Branches { get; private set; } = [];

    public Branch? Branch { get; private set; }

    public IReadOnlyList<QueueServiceType> Types { get; private set; } = [];

    public IReadOnlyList<LocalDate> Days { get; private set; } = [];

    public long? ServiceTypeId { get; private set; }

    public string? Date { get; private set; }

    public AppointmentSlotsDto? Slots { get; private set; }

    public Error? Error { get; private set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Phone { get; set; }

    [BindProperty]
    public string? Time { get; set; }

    public async Task<IActionResult> OnGetAsync(long? branchId, long? serviceTypeId, string? date, CancellationToken ct)
    {
        if (!await LoadAsync(branchId, serviceTypeId, date, ct))
        {
            return NotFound();
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long? branchId, long? serviceTypeId, string? date, CancellationToken ct)
    {
        if (branchId is not { } id || !await LoadAsync(branchId, serviceTypeId, date, ct))
        {
            return NotFound();
        }

        var outcome = await appointments.BookAsync(id, new AppointmentRequest(serviceTypeId, date, Time, Name, Phone), ct);
        if (outcome.Value?.Token is { } token)
        {
            return Redirect("/Queues/Public/Appointment/" + Uri.EscapeDataString(token) + "?booked=true");
        }

        // Every refusal at its field: a full slot or an unknown service type too.
        Error = outcome.Error switch
        {
            SlotFull full => new QueueInvalid(new Dictionary<string, string[]> { ["time"] = [full.Detail] }),
            ServiceTypeNotFound unknown => new QueueInvalid(new Dictionary<string, string[]> { ["serviceTypeId"] = [unknown.Detail] }),
            var other => other,
        };
        await LoadAsync(branchId, serviceTypeId, date, ct);
        return Page();
    }

    private async Task<bool> LoadAsync(long? branchId, long? serviceTypeId, string? date, CancellationToken ct)
    {
        Branches = await db.Set<Branch>().AsNoTracking().Where(b => b.IsActive).OrderBy(b => b.Code).ToListAsync(ct);
        if (branchId is not { } id)
        {
            return true;
        }

        Branch = Branches.FirstOrDefault(b => b.Id == id);
        if (Branch is null)
        {
            return false;
        }

        Types = await db.Set<QueueServiceType>().AsNoTracking().Where(s => s.BranchId == id && s.IsActive).OrderBy(s => s.SortOrder).ThenBy(s => s.Prefix).ToListAsync(ct);
        Types = Types.Where(t => appointments.Capacity(t) > 0).ToList();
        Days = await appointments.BookableDaysAsync(id, ct);
        ServiceTypeId = serviceTypeId ?? Types.FirstOrDefault()?.Id;
        Date = date;
        if (ServiceTypeId is { } typeId && Types.Any(t => t.Id == typeId))
        {
            // No day chosen: the first open day with a place left (today's slots may all have begun).
            foreach (var day in string.IsNullOrWhiteSpace(date) ? Days.Select(d => LocalDatePattern.Iso.Format(d)) : [date])
            {
                (Date, Slots) = (day, (await appointments.SlotsAsync(id, typeId, day, ct)).Value);
                if (Slots?.Slots.Any(s => s.Bookable) == true)
                {
                    break;
                }
            }
        }

        Date ??= Days.Select(d => LocalDatePattern.Iso.Format(d)).FirstOrDefault();

        return true;
    }
}
