using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Steward.Platform.Api;
using Steward.Platform.Database;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Platform.Audit;

public enum AuditExportFormat
{
    Csv,
    Xlsx,
}

/// <summary>
/// One export of the audit log: who took which entries out, when, in which format. Written before the file is made
/// and audited itself (an <c>AuditExport</c> entry in the chain), so exports are reviewed like any other access.
/// </summary>
public sealed class AuditExport : IAuditable
{
    public long Id { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public long? StaffId { get; set; }

    public string StaffName { get; set; } = "";

    public AuditExportFormat Format { get; set; }

    /// <summary>The filters, as JSON (the fields of <see cref="AuditFilter"/> that were set).</summary>
    public string Filter { get; set; } = "{}";

    /// <summary>How many entries the file holds (entries up to <see cref="LastSequence"/>).</summary>
    public int Entries { get; set; }

    /// <summary>The newest entry the export could include: entries appended later are not in it.</summary>
    public long LastSequence { get; set; }
}

internal sealed class AuditExportConfiguration : IEntityTypeConfiguration<AuditExport>
{
    public void Configure(EntityTypeBuilder<AuditExport> builder)
    {
        builder.ToTable("audit_exports");
        builder.Property(e => e.StaffName).HasMaxLength(100);
        builder.Property(e => e.Filter).HasMaxLength(2000);
    }
}

public sealed record AuditFile(string FileName, string ContentType, byte[] Content);

/// <summary>
/// The audit log as a spreadsheet: the same entries, visibility and wording as the page (<see cref="AuditBrowser"/>,
/// <see cref="AuditPresenter"/>), one line per changed field. Bounded: at most <see cref="MaxEntries"/> entries
/// (<c>Audit:ExportMaxEntries</c>, 10 000 by default; more is refused, so that the reader narrows the filters instead of
/// getting a silently cut file), and no cell
/// longer than <see cref="MaxCell"/> characters (Excel's own limit is 32 767). Names stay masked: revealing is one entry
/// at a time, on the page or the API.
/// </summary>
public sealed class AuditExporter(
    AuditBrowser browser, AuditPresenter presenter, StewardDbContext db, TimeProvider time, IStringLocalizer<SharedResource> l, IOptions<AuditReadingOptions> options)
{
    public const int MaxCell = 32_000;
    private const int Batch = 500;

    public int MaxEntries => options.Value.ExportMaxEntries;

    public async Task<Outcome<AuditFile>> ExportAsync(AuditFilter filter, AuditExportFormat format, CancellationToken ct = default)
    {
        // Entries appended while the file is made (this export's own entry among them) are not in it.
        var last = await db.AuditEntries.MaxAsync(e => (long?)e.Sequence, ct) ?? 0;
        var count = await browser.CountAsync(filter, MaxEntries, last + 1, ct);
        if (count > MaxEntries)
        {
            return new InvalidError("export-too-large", "Too many entries to export 导出条目过多",
                $"More than {MaxEntries} entries match; narrow the dates or other filters. 超过 {MaxEntries} 条记录符合条件，请缩小日期或其他筛选范围。");
        }

        var reader = await browser.ReaderAsync(ct);
        var now = time.GetUtcNow();
        db.Add(new AuditExport
        {
            OccurredAt = now,
            StaffId = reader.Cases.StaffId,
            StaffName = reader.Cases.Name,
            Format = format,
            Filter = JsonSerializer.Serialize(filter, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }),
            Entries = count,
            LastSequence = last,
        });
        await db.SaveChangesAsync(ct);

        var lines = new List<string[]>();
        long? before = last + 1;
        while (true)
        {
            var batch = await browser.BrowseAsync(filter, before, Batch, ct);
            foreach (var row in await presenter.RowsAsync(batch, ct))
            {
                lines.AddRange(Lines(row));
            }

            if (batch.Views.Count < Batch)
            {
                break;
            }

            before = batch.Views[^1].Entry.Sequence;
        }

        var stamp = AuditPresenter.At(now, await presenter.ZoneAsync(ct))[..19].Replace(":", "", StringComparison.Ordinal).Replace(" ", "-", StringComparison.Ordinal);
        return format switch
        {
            AuditExportFormat.Csv => new AuditFile($"audit-{stamp}.csv", Spreadsheets.CsvType, Spreadsheets.Csv(lines.Prepend(Headers()))),
            AuditExportFormat.Xlsx => new AuditFile($"audit-{stamp}.xlsx", Spreadsheets.XlsxType, Spreadsheets.Xlsx([new Sheet("audit", [.. lines.Prepend(Headers())])])),
        };
    }

    private string[] Headers() =>
    [
        l["audit.sequence"], l["audit.when"], l["audit.actor"], l["audit.action"], l["audit.entityType"], l["audit.entityId"],
        l["audit.caseReference"], l["audit.field"], l["audit.before"], l["audit.after"],
    ];

    private static IEnumerable<string[]> Lines(AuditRow row)
    {
        string[] Line(AuditFieldRow? f) =>
        [
            row.Sequence.ToString(CultureInfo.InvariantCulture), row.When, row.Actor, row.ActionLabel, row.EntityLabel, row.EntityId,
            row.CaseReference ?? "", Cut(f?.Label), Cut(f?.Before), Cut(f?.After),
        ];
        return row.Fields.Count == 0 ? [Line(null)] : row.Fields.Select(Line);
    }

    private static string Cut(string? text) => text is null ? "" : text.Length <= MaxCell ? text : text[..MaxCell] + "…";
}
