using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Organisation;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Queues;

/// <summary>
/// The counter page: sign in to a counter of one of one's branches, then call next, recall, walk-up, park and resume, no-show,
/// transfer and finish — the same <see cref="CounterDesk"/> the API uses. A refused action is shown at the top of the page.
/// </summary>
[RequirePermission(Permission.QueueServe)]
public sealed class CounterModel(CounterDesk desk, QueueAdmin admin) : PageModel
{
    public IReadOnlyList<Branch> Branches { get; private set; } = [];

    public long? BranchId { get; private set; }

    public Branch? Branch => Branches.FirstOrDefault(b => b.Id == BranchId);

    public IReadOnlyList<CounterDto> Counters { get; private set; } = [];

    public IReadOnlyList<ServiceTypeDto> AllTypes { get; private set; } = [];

    public DeskDto? Desk { get; private set; }

    /// <summary>Set after a call that found nobody waiting.</summary>
    public bool NobodyWaiting { get; private set; }

    public Error? Error { get; private set; }

    public async Task OnGetAsync(long? branchId, bool nobody, CancellationToken ct)
    {
        NobodyWaiting = nobody;
        await LoadAsync(branchId, ct);
    }

    public async Task<IActionResult> OnPostSignInAsync(long branchId, long? counterId, CancellationToken ct)
    {
        if (counterId is not { } id)
        {
            Error = new QueueInvalid(new Dictionary<string, string[]> { ["counterId"] = ["Choose a counter. 请选择窗口。"] });
            await LoadAsync(branchId, ct);
            return Page();
        }

        return await ActAsync(branchId, desk.SignInAsync(branchId, id, ct), ct);
    }

    public async Task<IActionResult> OnPostSignOutAsync(long branchId, CancellationToken ct) => await ActAsync(branchId, desk.SignOutAsync(branchId, ct), ct);

    public async Task<IActionResult> OnPostCallAsync(long branchId, CancellationToken ct)
    {
        var outcome = await desk.CallNextAsync(branchId, new CallRequest(null, null), ct);
        if (outcome.Error is null)
        {
            return Done(branchId, nobody: outcome.Value is null);
        }

        Error = outcome.Error;
        await LoadAsync(branchId, ct);
        return Page();
    }

    /// <summary>Calls a chosen waiting ticket before its turn; the reason is required (shown at the field when missing).</summary>
    public async Task<IActionResult> OnPostOutOfOrderAsync(long branchId, long ticketId, string? reason, CancellationToken ct) =>
        await ActAsync(branchId, desk.CallOutOfOrderAsync(branchId, ticketId, new OutOfOrderRequest(reason), ct), ct);

    public async Task<IActionResult> OnPostTicketAsync(long branchId, long ticketId, string? action, long? transferTo, TicketOutcome? outcome, CancellationToken ct) =>
        await ActAsync(branchId, action switch
        {
            "recall" => desk.RecallAsync(branchId, ticketId, ct),
            "serve" => desk.ServeAsync(branchId, ticketId, ct),
            "park" => desk.ParkAsync(branchId, ticketId, ct),
            "resume" => desk.ResumeAsync(branchId, ticketId, ct),
            "no-show" => desk.NoShowAsync(branchId, ticketId, ct),
            "left" => desk.LeftAsync(branchId, ticketId, ct),
            "transfer" => desk.TransferAsync(branchId, ticketId, new TransferRequest(transferTo), ct),
            "finish" => desk.FinishAsync(branchId, ticketId, new FinishRequest(outcome), ct),
            _ => Task.FromResult<Outcome<TicketDto>>(new QueueInvalid(new Dictionary<string, string[]> { ["action"] = ["Unknown action. 未知操作。"] })),
        }, ct);

    /// <summary>A refused action is shown on the page it was sent from; a done one redirects (post/redirect/get), so that
    /// reloading the page never calls or finishes a ticket a second time.</summary>
    private async Task<IActionResult> ActAsync<T>(long branchId, Task<Outcome<T>> action, CancellationToken ct)
    {
        Error = (await action).Error;
        if (Error is null)
        {
            return Done(branchId, nobody: false);
        }

        await LoadAsync(branchId, ct);
        return Page();
    }

    private RedirectResult Done(long branchId, bool nobody) =>
        Redirect(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"/Queues/Counter?branchId={branchId}{(nobody ? "&nobody=true" : "")}"));

    private async Task LoadAsync(long? branchId, CancellationToken ct)
    {
        (Branches, BranchId) = await admin.BranchesAsync(branchId, ct);
        if (BranchId is not { } id)
        {
            return;
        }

        Counters = (await admin.CountersAsync(id, ct)).Value ?? [];
        AllTypes = (await admin.ServiceTypesAsync(id, ct)).Value ?? [];
        Desk = (await desk.GetDeskAsync(id, ct)).Value;
    }
}
