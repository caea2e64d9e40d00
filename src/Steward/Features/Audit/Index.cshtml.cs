using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Steward.Platform.Audit;
using Steward.Platform.Problems;

namespace Steward.Features.Audit;

/// <summary>
/// The audit log page: entries as the reader may see them and reads them (<see cref="AuditBrowser"/>,
/// <see cref="AuditPresenter"/>), the reveal of one entry's names, the export, and the chain check. Every link and
/// form of the page carries all the filters, so paging and exporting never drop one.
/// </summary>
public sealed class AuditModel(AuditBrowser browser, AuditPresenter presenter, TimeProvider time, IOptions<AuditReadingOptions> options) : PageModel
{
    private const int PageSize = 100;

    [BindProperty(SupportsGet = true)]
    public string? EntityType { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? EntityId { get; set; }

    /// <summary>A person's name or username, in part.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    /// <summary>A case reference, e.g. SV-20261123-000001.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Case { get; set; }

    [BindProperty(SupportsGet = true)]
    public AuditAction? Action { get; set; }

    /// <summary>First day shown, in the reader's time zone.</summary>
    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    /// <summary>Last day shown (inclusive), in the reader's time zone.</summary>
    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public IReadOnlyList<AuditRow> Entries { get; private set; } = [];

    /// <summary>Entity types in the log with their names in the reader's language, by name.</summary>
    public IReadOnlyList<(string Type, string Label)> EntityTypes { get; private set; } = [];

    public long? NextCursor { get; private set; }

    public string Zone { get; private set; } = "";

    public AuditVerification? Verification { get; private set; }

    public AuditCheckpoint? Checkpoint { get; private set; }

    public int ExportMaxEntries => options.Value.ExportMaxEntries;

    /// <summary>A string-table key of a problem to show above the table.</summary>
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(null, ct);

    public async Task<IActionResult> OnPostVerifyAsync([FromServices] AuditVerifier verifier, CancellationToken ct)
    {
        Verification = await verifier.VerifyAsync(cancellationToken: ct);
        await LoadAsync(null, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCheckpointAsync([FromServices] AuditCheckpointer checkpointer, CancellationToken ct)
    {
        Checkpoint = await checkpointer.WriteAsync(onlyIfChanged: false, ct);
        await LoadAsync(null, ct);
        return Page();
    }

    /// <summary>Shows one entry's masked names in full (PersonalDataReveal); the showing is recorded in the audit log.</summary>
    public async Task<IActionResult> OnPostRevealAsync(long sequence, CancellationToken ct)
    {
        var revealed = await browser.RevealAsync(sequence, $"audit-entry {sequence} (page)", ct);
        if (!revealed.Succeeded)
        {
            if (revealed.Error is NotFoundError)
            {
                return NotFound();
            }

            Error = revealed.Error is ForbiddenError ? "audit.reveal.forbidden" : "audit.reveal.nothing";
            Response.StatusCode = revealed.Error!.Status;
        }

        Response.Headers.CacheControl = "no-store";
        await LoadAsync(revealed.Value, ct);
        return Page();
    }

    /// <summary>The entries the filters select as a file (recorded in the audit log); too many are refused with a message.</summary>
    public async Task<IActionResult> OnPostExportAsync(AuditExportFormat format, [FromServices] AuditExporter exporter, CancellationToken ct)
    {
        var file = await exporter.ExportAsync(await FilterAsync(ct), format, ct);
        if (file.Succeeded)
        {
            Response.Headers.CacheControl = "no-store";
            return File(file.Value!.Content, file.Value.ContentType, file.Value.FileName);
        }

        Error = "audit.export.tooLarge";
        Response.StatusCode = file.Error!.Status;
        await LoadAsync(null, ct);
        return Page();
    }

    /// <summary>The filters (and, with <paramref name="before"/>, the page) as query values, for links and forms.</summary>
    public Dictionary<string, string> RouteValues(long? before = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["entityType"] = EntityType,
            ["entityId"] = EntityId,
            ["actor"] = Actor,
            ["case"] = Case,
            ["action"] = Action?.ToString(),
            ["from"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["to"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["before"] = before?.ToString(CultureInfo.InvariantCulture),
        };
        return values.Where(kv => !string.IsNullOrWhiteSpace(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value!);
    }

    public static string ActionClass(AuditAction action) => action switch
    {
        AuditAction.Created => "text-bg-success",
        AuditAction.Updated => "text-bg-primary",
        AuditAction.Deleted => "text-bg-danger",
    };

    private async Task<AuditFilter> FilterAsync(CancellationToken ct) => new(EntityType, EntityId, Actor, Action,
        From is { } f ? await presenter.StartOfDayAsync(f, ct) : null,
        To is { } t ? await presenter.StartOfDayAsync(t.AddDays(1), ct) : null,
        Case);

    private async Task LoadAsync(AuditBatch? revealed, CancellationToken ct)
    {
        var batch = await browser.BrowseAsync(await FilterAsync(ct), Before, PageSize, ct);
        Entries = await presenter.RowsAsync(batch, ct);
        if (revealed is not null && (await presenter.RowsAsync(revealed, ct)).FirstOrDefault() is { } shown)
        {
            Entries = Entries.Select(e => e.Sequence == shown.Sequence ? shown : e).ToList();
        }

        EntityTypes = (await browser.EntityTypesAsync(ct)).Select(t => (t, presenter.EntityLabel(t))).OrderBy(t => t.Item2, StringComparer.CurrentCulture).ToList();
        NextCursor = batch.Views.Count == PageSize ? batch.Views[^1].Entry.Sequence : null;
        Zone = await presenter.ZoneLabelAsync(time.GetUtcNow(), ct);
    }
}
