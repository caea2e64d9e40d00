using System.IO.Compression;
using System.Text;
using System.Text.Unicode;

namespace Steward.Features.Cases;

/// <summary>
/// What attachments may be and how they are named. The content type is read from the bytes
/// (magic numbers, and for Office files the parts inside the zip), never from the client's claim.
/// </summary>
public static class AttachmentRules
{
    public const string Pdf = "application/pdf";
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";
    public const string Text = "text/plain";
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "CLOCK$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>The detected content type, or null when the file is none of the accepted kinds.</summary>
    public static string? DetectContentType(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith("%PDF-"u8))
        {
            return Pdf;
        }

        if (data.StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }))
        {
            return Png;
        }

        if (data.StartsWith(new byte[] { 0xFF, 0xD8, 0xFF }))
        {
            return Jpeg;
        }

        if (data.StartsWith("PK\u0003\u0004"u8))
        {
            return DetectOffice(data.ToArray());
        }

        return IsPlainText(data) ? Text : null;
    }

    /// <summary>
    /// A safe file name: the last path segment only, no control or reserved characters, no
    /// leading or trailing dots and spaces, not a Windows device name, at most 120 characters
    /// (the extension kept). Chinese and other letters stay. <c>../../etc/passwd</c> → <c>passwd</c>.
    /// </summary>
    public static string SanitizeFileName(string? name)
    {
        var text = (name ?? "").Normalize(NormalizationForm.FormC);
        var slash = text.LastIndexOfAny(['/', '\\']);
        if (slash >= 0)
        {
            text = text[(slash + 1)..];
        }

        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || rune.Value is '<' or '>' or ':' or '"' or '|' or '?' or '*'
                || Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.Surrogate
                    or System.Globalization.UnicodeCategory.PrivateUse or System.Globalization.UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }

            sb.Append(rune.ToString());
        }

        var clean = sb.ToString().Trim().Trim('.', ' ');
        if (clean.Length == 0)
        {
            return "attachment";
        }

        var dot = clean.IndexOf('.', StringComparison.Ordinal);
        var stem = dot < 0 ? clean : clean[..dot];
        if (ReservedNames.Contains(stem.TrimEnd()))
        {
            clean = "_" + clean;
        }

        if (clean.Length > 120)
        {
            var ext = Path.GetExtension(clean);
            ext = ext.Length is > 0 and <= 10 ? ext : "";
            clean = clean[..(120 - ext.Length)] + ext;
        }

        return clean;
    }

    private static string? DetectOffice(byte[] data)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(data), ZipArchiveMode.Read);
            var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            if (!names.Contains("[Content_Types].xml"))
            {
                return null;
            }

            if (names.Contains("word/document.xml"))
            {
                return Docx;
            }

            return names.Contains("xl/workbook.xml") ? Xlsx : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>UTF-8 (BOM optional) without NUL or other control characters except tab, CR, LF and form feed.</summary>
    private static bool IsPlainText(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }))
        {
            data = data[3..];
        }

        if (!Utf8.IsValid(data))
        {
            return false;
        }

        foreach (var b in data)
        {
            if (b < 0x20 && b is not (0x09 or 0x0A or 0x0D or 0x0C))
            {
                return false;
            }

            if (b == 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}
