using CsvHelper;
using MiniExcelLibs;

namespace Steward.Platform.Api;

/// <summary>One sheet of a workbook: its name and its rows (the first row is usually the headers).</summary>
public sealed record Sheet(string Name, IReadOnlyList<object?[]> Rows);

/// <summary>
/// The files exports are written as (decision 0015). CSV is UTF-8 with a byte-order mark (Excel reads Chinese right only then)
/// and a cell a spreadsheet would run as a formula (<c>=</c>, <c>+</c>, <c>-</c>, <c>@</c> …) is escaped. In .xlsx every text is
/// written as text, never as a formula; numbers stay numbers and a null is an empty cell.
/// </summary>
public static class Spreadsheets
{
    public const string CsvType = "text/csv; charset=utf-8";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static byte[] Csv(IEnumerable<string?[]> lines)
    {
        using var stream = new MemoryStream();
        using (var csv = CsvWriter.Create(stream, new CsvWriterOptions { Injection = CsvInjection.Escape, WriteByteOrderMark = true }, leaveOpen: true))
        {
            foreach (var line in lines)
            {
                csv.WriteRecord(line.Select(cell => cell ?? "").ToArray());
            }
        }

        return stream.ToArray();
    }

    public static byte[] Xlsx(IReadOnlyList<Sheet> sheets)
    {
        var book = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var sheet in sheets)
        {
            book[sheet.Name] = sheet.Rows.Select(line =>
            {
                var row = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 0; i < line.Length; i++)
                {
                    row[Column(i)] = line[i];
                }

                return row;
            }).ToList();
        }

        using var stream = new MemoryStream();
        stream.SaveAs(book, printHeader: false, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    /// <summary>A, B, … Z, AA, AB …: the column letters of the 0-based <paramref name="index"/>.</summary>
    private static string Column(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }
}
