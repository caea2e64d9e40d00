using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Steward.Features.Complaints.Returns;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>
/// The regulatory returns, printable: a period (by default the current half-year to today), a tab per regime, an optional branch,
/// the return's tables and its downloads (.xlsx, CSV) — the same tables as the API's files (<see cref="ComplaintReturnTables"/>).
/// </summary>
[RequirePermission(Permission.ComplaintReturnsRead)]
public sealed class ComplaintReturnsModel(ComplaintReturns returns, ComplaintReturnTables tables, ComplaintService complaints, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Regime { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? BranchId { get; set; }

    public IReadOnlyList<(long Id, string Code, string Name)> Branches { get; private set; } = [];

    public ComplaintReturnReading? Reading { get; private set; }

    public IReadOnlyList<ReturnTable> Tables { get; private set; } = [];

    public Error? Error { get; private set; }

    public string Tab => Enum.TryParse<ComplaintReturnRegime>(Regime, ignoreCase: true, out var r) && Regime!.All(char.IsAsciiLetter) ? r.ToString().ToLowerInvariant() : "prc";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await DefaultsAsync(ct);
        var read = await returns.ReadAsync(new ComplaintReturnQuery(Regime, From, To, BranchId), ct);
        if (read.Error is { } refused)
        {
            if (refused is ForbiddenError)
            {
                return Forbid();
            }

            Error = refused;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Reading = read.Value;
        Tables = tables.Of(Reading!);
        return Page();
    }

    public async Task<IActionResult> OnGetDownloadAsync(string? format, CancellationToken ct)
    {
        var read = await returns.ReadAsync(new ComplaintReturnQuery(Regime, From, To, BranchId, format is "csv" ? "csv" : "xlsx"), ct);
        if (read.Error is not null)
        {
            return await OnGetAsync(ct);
        }

        var file = ComplaintReturnTables.File(read.Value!.Header, tables.Of(read.Value), read.Value.Format);
        return File(file.Content, file.ContentType, file.FileName);
    }

    public IReadOnlyList<string> FieldErrors(string key) => Shared.FieldErrors.For(Error, key);

    /// <summary>The link to this page with the same period and branch and another regime or handler.</summary>
    public string Link(string regime, string? handler = null, string? format = null)
    {
        var query = new Dictionary<string, string?> { ["regime"] = regime, ["from"] = From, ["to"] = To, ["branchId"] = BranchId, ["handler"] = handler, ["format"] = format };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/Complaints/Returns", query.Where(kv => !string.IsNullOrEmpty(kv.Value)));
    }

    /// <summary>Without a period: from the first day of the current half-year to today, in the zone of the reader's first branch.</summary>
    private async Task DefaultsAsync(CancellationToken ct)
    {
        Regime ??= "prc";
        Branches = await returns.BranchesAsync(ct);
        if (From is null && To is null)
        {
            var zoneId = Branches.Count > 0 ? await complaints.TimeZoneOfBranchAsync(Branches[0].Id, ct) : "UTC";
            var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId) ?? DateTimeZone.Utc;
            var today = Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(zone).Date;
            var first = new LocalDate(today.Year, today.Month <= 6 ? 1 : 7, 1);
            From = first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            To = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
    }
}
