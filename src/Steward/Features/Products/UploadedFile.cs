using System.Security.Cryptography;
using Steward.Features.Cases;
using Steward.Platform.Problems;

namespace Steward.Features.Products;

/// <summary>
/// A file someone uploaded as a product document or a certificate's evidence: read up to <see cref="MaxBytes"/>, its kind
/// detected from the bytes by <see cref="AttachmentRules"/> (PDF, PNG, JPEG, Word, Excel, plain text), its name sanitised.
/// The bytes are stored in <see cref="AttachmentBlob"/> like a case's attachments.
/// </summary>
public sealed record UploadedFile(string FileName, string ContentType, byte[] Data, string Sha256)
{
    public const long MaxBytes = 10 * 1024 * 1024;

    /// <summary>The file, or an invalid-request error at <paramref name="field"/> (empty, too large, or not an accepted kind).</summary>
    public static async Task<Outcome<UploadedFile>> ReadAsync(string field, string? fileName, Stream content, long? declaredLength, CancellationToken ct)
    {
        if (declaredLength > MaxBytes)
        {
            return TooLarge(field);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes)
            {
                return TooLarge(field);
            }
        }

        if (buffer.Length == 0)
        {
            return Problems.Invalid(field, "The file is empty. 文件为空。");
        }

        var data = buffer.ToArray();
        if (AttachmentRules.DetectContentType(data) is not { } type)
        {
            return Problems.Invalid(field, "Upload a PDF, an image (PNG, JPEG), a Word or Excel file or plain text. 请上传 PDF、图片（PNG、JPEG）、Word、Excel 或纯文本文件。");
        }

        return new UploadedFile(AttachmentRules.SanitizeFileName(fileName), type, data, Convert.ToHexStringLower(SHA256.HashData(data)));
    }

    private static InvalidRequest TooLarge(string field) => Problems.Invalid(field, "The file is larger than 10 MB. 文件超过 10 MB。");
}
