using System.Globalization;
using Microsoft.Extensions.Localization;
using Steward.Platform.Api;
using Steward.Platform.Localization;

namespace Steward.Features.Complaints.Returns;

/// <summary>How a cell is shown: words in the reader's language, a code, a name typed by people (<c>lang=""</c>), a value in English (CFPB's vocabulary), a figure.</summary>
public enum ReturnCell
{
    Text,
    Code,
    Typed,
    English,
    Number,
    Percent,
}

/// <summary>A column of a return table; <see cref="Secondary"/> (a name beside its code) is left out of the page on narrow screens.</summary>
public sealed record ReturnColumn(string Header, ReturnCell Kind, bool Secondary = false);

/// <summary>One table of a return: the page shows it, the .xlsx has it as a sheet, the CSV as a block. A null cell is a blank.</summary>
public sealed record ReturnTable(string Name, string Title, IReadOnlyList<ReturnColumn> Columns, IReadOnlyList<object?[]> Rows);

/// <summary>
/// The returns as tables with headers in the reader's language (Chinese for a Chinese reader, English otherwise), the same for the
/// page, the .xlsx and the CSV, so that the three never differ. Every return ends with its provenance (period, scope, versions).
/// </summary>
public sealed class ComplaintReturnTables(IStringLocalizer<SharedResource> l)
{
    public IReadOnlyList<ReturnTable> Prc(PrcReturn r) =>
    [
        new("counts", l["complaint.returns.prc.counts"],
            [Col("branchCode", ReturnCell.Code), Col("branch", ReturnCell.Typed), Col("business", ReturnCell.Code), Col("businessName", secondary: true), Col("cause", ReturnCell.Code),
                Col("causeName", secondary: true), Col("channel", ReturnCell.Code), Col("channelName", secondary: true), Col("received", ReturnCell.Number)],
            [.. r.Counts.Select(c => new object?[] { c.BranchCode, c.BranchName, c.Business, c.BusinessName, c.Cause, c.CauseName, c.Channel, c.ChannelName, c.Count })]),
        new("timeliness", l["complaint.returns.prc.timeliness"],
            [Col("decided", ReturnCell.Number), Col("within15", ReturnCell.Number), Col("days16To30", ReturnCell.Number), Col("days31To60", ReturnCell.Number), Col("over60", ReturnCell.Number)],
            [[r.Timeliness.Decided, r.Timeliness.Within15Days, r.Timeliness.Days16To30, r.Timeliness.Days31To60, r.Timeliness.Over60Days]]),
        new("outcomes", l["complaint.returns.prc.outcomes"], [Col("outcome"), Col("count", ReturnCell.Number)],
            [.. r.Outcomes.Select(o => new object?[] { l["enum.ComplaintOutcome." + o.Outcome].Value, o.Count })]),
        new("redress", l["complaint.returns.redress"], [Col("currency", ReturnCell.Code), Col("amount", ReturnCell.Number)],
            [.. r.Redress.Select(m => new object?[] { m.Currency, m.Amount })]),
        About(r.Header),
    ];

    public IReadOnlyList<ReturnTable> Fca(FcaReturn r) =>
    [
        new("groups", l["complaint.returns.fca.groups"],
            [Col("group", ReturnCell.Code), Col("groupName", secondary: true), Col("received", ReturnCell.Number), Col("closed", ReturnCell.Number), Col("within3Days", ReturnCell.Number),
                Col("within8Weeks", ReturnCell.Number), Col("after8Weeks", ReturnCell.Number), Col("upheld", ReturnCell.Number), Col("upheldPercent", ReturnCell.Percent),
                Col("redress", ReturnCell.Code)],
            [.. r.Groups.Select(g => new object?[]
            {
                g.Group, g.Name, g.Received, g.Closed, g.ClosedWithin3BusinessDays, g.ClosedWithin8Weeks, g.ClosedAfter8Weeks, g.Upheld, g.UpheldPercent,
                g.Redress is null ? null : Amounts(g.Redress),
            })]),
        About(r.Header),
    ];

    public IReadOnlyList<ReturnTable> Cfpb(CfpbExtract r) =>
    [
        new("complaints", l["complaint.returns.cfpb.rows"],
            [Col("reference", ReturnCell.Code), Col("receivedOn", ReturnCell.Code), Col("product", ReturnCell.English), Col("subProduct", ReturnCell.Typed),
                Col("issue", ReturnCell.English), Col("companyResponse", ReturnCell.English), Col("responseOn", ReturnCell.Code), Col("timely")],
            [.. r.Rows.Select(x => new object?[]
            {
                x.CaseReference, Day(x.Received), x.Product, x.SubProduct, x.Issue, x.CompanyResponse, x.ResponseOn is { } d ? Day(d) : null,
                x.Timely is { } t ? l[t ? "complaint.returns.yes" : "complaint.returns.no"].Value : null,
            })]),
        About(r.Header),
    ];

    /// <summary>The tables of whichever return was read.</summary>
    public IReadOnlyList<ReturnTable> Of(ComplaintReturnReading r) => r.Prc is { } prc ? Prc(prc) : r.Fca is { } fca ? Fca(fca) : Cfpb(r.Cfpb!);

    /// <summary>The tables as a download: an .xlsx with a sheet per table, or a CSV with the tables one after the other.</summary>
    public static ComplaintReturnFile File(ComplaintReturnHeader header, IReadOnlyList<ReturnTable> tables, ComplaintReturnFormat format)
    {
        var name = FormattableString.Invariant($"complaint-return-{header.Regime.ToString().ToLowerInvariant()}-{Day(header.Period.From)}-{Day(header.Period.To)}");
        IEnumerable<object?[]> Block(ReturnTable t) => t.Rows.Prepend([.. t.Columns.Select(c => (object?)c.Header)]);
        return format switch
        {
            ComplaintReturnFormat.Csv => new ComplaintReturnFile(name + ".csv", Spreadsheets.CsvType, Spreadsheets.Csv(CsvLines(tables, Block))),
            _ => new ComplaintReturnFile(name + ".xlsx", Spreadsheets.XlsxType,
                Spreadsheets.Xlsx([.. tables.Select(t => new Sheet(SheetName(t.Title), [.. Block(t)]))])),
        };
    }

    /// <summary>A cell as the page and the CSV write it (invariant figures; a blank stays empty).</summary>
    public static string Text(object? cell) => cell switch
    {
        null => "",
        decimal d => d.ToString("0.00", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };

    /// <summary>
    /// Each table as its title, its header line and its rows, an empty line between tables; every line as wide as the widest
    /// table (a CSV record has the same number of fields throughout).
    /// </summary>
    private static List<string?[]> CsvLines(IReadOnlyList<ReturnTable> tables, Func<ReturnTable, IEnumerable<object?[]>> block)
    {
        var width = tables.Max(t => t.Columns.Count);
        string?[] Padded(string?[] cells) => [.. cells, .. Enumerable.Repeat<string?>(null, width - cells.Length)];
        var lines = new List<string?[]>();
        foreach (var t in tables)
        {
            if (lines.Count > 0)
            {
                lines.Add(Padded([]));
            }

            lines.Add(Padded([t.Title]));
            lines.AddRange(block(t).Select(row => Padded(Cells(row))));
        }

        return lines;
    }

    private static string?[] Cells(object?[] row) => [.. row.Select(c => c is null ? null : Text(c))];

    /// <summary>Excel's sheet names: at most 31 characters, none of <c>[]:*?/\</c>.</summary>
    private static string SheetName(string title)
    {
        var clean = new string([.. title.Where(ch => "[]:*?/\\".IndexOf(ch, StringComparison.Ordinal) < 0)]);
        return clean.Length <= 31 ? clean : clean[..31];
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Amounts(IReadOnlyList<ComplaintReturnMoney> money) =>
        money.Count == 0 ? "0.00" : string.Join("; ", money.Select(m => m.Currency + " " + m.Amount.ToString("0.00", CultureInfo.InvariantCulture)));

    private ReturnColumn Col(string key, ReturnCell kind = ReturnCell.Text, bool secondary = false) => new(l["complaint.returns.col." + key], kind, secondary);

    private ReturnTable About(ComplaintReturnHeader h)
    {
        var rows = new List<object?[]>
        {
            new object?[] { l["complaint.returns.about.regime"].Value, l["complaint.returns.regime." + h.Regime].Value, null },
            new object?[] { l["complaint.returns.about.period"].Value, Day(h.Period.From) + " – " + Day(h.Period.To), l["complaint.returns.about.periodRule"].Value },
            new object?[]
            {
                l["complaint.returns.about.scope"].Value,
                h.BranchCode ?? l["complaint.returns.about.allBranches"].Value, null,
            },
            new object?[] { l["complaint.returns.about.generated"].Value, h.GeneratedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture), null },
        };
        rows.AddRange(h.Versions.Taxonomies.Select(t => new object?[]
            { l["complaint.returns.about.taxonomy"].Value, FormattableString.Invariant($"{t.Number} ({Day(t.PublishedOn)})"), t.Citation }));
        rows.AddRange(h.Versions.Presets.Select(p => new object?[]
            { l["complaint.returns.about.preset"].Value, FormattableString.Invariant($"{p.Code} v{p.Number} ({p.EffectiveFrom.UtcDateTime:yyyy-MM-dd})"), p.Citation }));
        rows.Add([l["complaint.returns.about.rules"].Value, h.Versions.Rules, null]);
        return new ReturnTable("about", l["complaint.returns.about"], [Col("item"), Col("value", ReturnCell.Code), Col("detail", ReturnCell.Typed)], rows);
    }
}
