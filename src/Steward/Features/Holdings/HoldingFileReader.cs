using System.Globalization;
using System.Text;
using System.Text.Json;
using Steward.Platform.Problems;

namespace Steward.Features.Holdings;

/// <summary>One row of a holdings file as written (trimmed; null when the cell or member is absent or empty).</summary>
public sealed record HoldingRow(int Number, string? CustomerReference, string? ProductCode, string? Balance, string? Currency, string? AsOf);

/// <summary>
/// Reads a holdings file into rows. CSV: UTF-8 (a byte-order mark is skipped), comma separated, fields may be quoted
/// with "" for a quote inside, the header names the five columns in any order (case and surrounding spaces ignored);
/// a row's number is its line in the file (the header is line 1); blank lines are skipped. JSON: an array of objects
/// with the same five members (a balance may be a number or a string); a row's number is its position in the array, from 1.
/// Columns other than exactly the five are one error naming the missing and the unknown ones.
/// </summary>
public static class HoldingFileReader
{
    public const int MaxRows = 200_000;

    public static readonly string[] Columns = ["customer_reference", "product_code", "balance", "currency", "as_of"];

    public static Outcome<List<HoldingRow>> Read(HoldingFile file)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file.Content);
        }
        catch (DecoderFallbackException)
        {
            return new HoldingFileUnreadable("The file is not UTF-8 text. 文件不是 UTF-8 文本。");
        }

        text = text.TrimStart('\uFEFF');
        if (string.IsNullOrWhiteSpace(text))
        {
            return new HoldingFileUnreadable("The file is empty. 文件为空。");
        }

        return file.Format == HoldingFileFormat.Json ? ReadJson(text) : ReadCsv(text);
    }

    private static Outcome<List<HoldingRow>> ReadCsv(string text)
    {
        var records = CsvRecords(text);
        if (records is null)
        {
            return new HoldingFileUnreadable("A quoted field is not closed. 引号内的字段未结束。");
        }

        var header = records[0].Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        if (ColumnsError(header) is { } wrong)
        {
            return wrong;
        }

        if (records.Count - 1 > MaxRows)
        {
            return TooMany();
        }

        var at = Columns.Select(c => header.IndexOf(c)).ToArray();
        var rows = new List<HoldingRow>(records.Count - 1);
        foreach (var (line, fields) in records.Skip(1))
        {
            string? Cell(int column) => at[column] < fields.Count && fields[at[column]].Trim() is { Length: > 0 } v ? v : null;
            rows.Add(new HoldingRow(line, Cell(0), Cell(1), Cell(2), Cell(3), Cell(4)));
        }

        return rows;
    }

    private static Outcome<List<HoldingRow>> ReadJson(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return new HoldingFileUnreadable("The file is not valid JSON. 文件不是有效的 JSON。");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array || document.RootElement.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Object))
            {
                return new HoldingFileUnreadable("The file must be a JSON array of objects. 文件必须是由对象组成的 JSON 数组。");
            }

            if (document.RootElement.GetArrayLength() > MaxRows)
            {
                return TooMany();
            }

            var names = document.RootElement.EnumerateArray().SelectMany(e => e.EnumerateObject().Select(p => p.Name.Trim().ToLowerInvariant())).Distinct().ToList();
            var unknown = names.Where(n => !Columns.Contains(n)).Order(StringComparer.Ordinal).ToList();
            var missing = document.RootElement.GetArrayLength() == 0 ? [] : Columns.Where(c => !names.Contains(c)).ToList();
            if (unknown.Count > 0 || missing.Count > 0)
            {
                return new HoldingColumnsInvalid(missing, unknown);
            }

            var rows = new List<HoldingRow>();
            var number = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                number++;
                var values = item.EnumerateObject().GroupBy(p => p.Name.Trim().ToLowerInvariant()).ToDictionary(g => g.Key, g => Scalar(g.First().Value));
                string? Member(string name) => values.GetValueOrDefault(name) is { Length: > 0 } v ? v : null;
                rows.Add(new HoldingRow(number, Member(Columns[0]), Member(Columns[1]), Member(Columns[2]), Member(Columns[3]), Member(Columns[4])));
            }

            return rows;
        }
    }

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()?.Trim(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };

    private static HoldingColumnsInvalid? ColumnsError(IReadOnlyList<string> header)
    {
        var missing = Columns.Where(c => !header.Contains(c)).ToList();
        var unknown = header.Where(h => !Columns.Contains(h)).Select(h => h.Length == 0 ? "\"\"" : h)
            .Concat(header.GroupBy(h => h).Where(g => g.Count() > 1 && Columns.Contains(g.Key)).Select(g => g.Key + " ×" + g.Count().ToString(CultureInfo.InvariantCulture)))
            .ToList();
        return missing.Count > 0 || unknown.Count > 0 ? new HoldingColumnsInvalid(missing, unknown) : null;
    }

    private static HoldingFileUnreadable TooMany() => new(string.Create(CultureInfo.InvariantCulture,
        $"A file holds at most {MaxRows} rows; split it. 一个文件最多 {MaxRows} 行，请拆分。"));

    /// <summary>The non-blank records of a CSV text with the line each starts on, or null when a quote is left open.</summary>
    private static List<(int Line, List<string> Fields)>? CsvRecords(string text)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var start = 1;
        var quoted = false;
        var any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    quoted = true;
                    any = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    End();
                    line++;
                    start = line;
                    break;
                default:
                    field.Append(c);
                    any |= !char.IsWhiteSpace(c);
                    break;
            }
        }

        if (quoted)
        {
            return null;
        }

        End();
        return records;

        void End()
        {
            fields.Add(field.ToString());
            field.Clear();
            if (any)
            {
                records.Add((start, fields));
            }

            fields = [];
            any = false;
        }
    }
}
