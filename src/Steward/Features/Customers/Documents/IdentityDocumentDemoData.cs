using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Security;

namespace Steward.Features.Customers.Documents;

/// <summary>
/// Scans and further documents on the demo's first customers: each of the first 24 individual customers has a scan (a
/// one-page PDF marked SPECIMEN) of the front of the file's own document, every third also a passport, one of them expired
/// last month, so the customer page shows the section, an opened scan and an expired document on first start.
/// </summary>
public static class IdentityDocumentDemoData
{
    public const int WithScans = 24;

    public static async Task SeedAsync(StewardDbContext db, PersonalDataProtector protector, DateTimeOffset now, CancellationToken ct)
    {
        var seal = new PersonalFileSeal(protector);
        var customers = await db.Set<Customer>().AsNoTracking().Where(c => c.Kind == CustomerKind.Individual && c.IdType != null).OrderBy(c => c.Id).Take(WithScans)
            .Select(c => new { c.Id, c.Reference, c.IdType }).ToListAsync(ct);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        for (var i = 0; i < customers.Count; i++)
        {
            var c = customers[i];
            CustomerIdentityDocument? passport = null;
            if (i % 3 == 0 && c.IdType != IdentityDocumentType.Passport)
            {
                var number = string.Create(CultureInfo.InvariantCulture, $"E{70000000 + (c.Id * 7919 % 9999999):D8}");
                passport = new CustomerIdentityDocument
                {
                    CustomerId = c.Id, Type = IdentityDocumentType.Passport, NumberCipher = protector.Encrypt(number)!, NumberIndex = protector.BlindIndex(number)!,
                    IssuingCountry = "CN", ExpiresOn = i == 3 ? today.AddDays(-20) : today.AddYears(2 + (i % 7)), Note = i == 3 ? "旧护照，已申请换发" : null,
                    CreatedAt = now.AddDays(-(40 + i)),
                };
                db.Add(passport);
            }

            await db.SaveChangesAsync(ct);
            await AddAsync(db, seal, c.Id, null, Specimen(c.Reference, "front of the identity document"), "id-front.pdf", now.AddDays(-(60 + i)), ct);
            if (passport is not null)
            {
                await AddAsync(db, seal, c.Id, passport.Id, Specimen(c.Reference, "passport photo page"), "passport.pdf", passport.CreatedAt, ct);
            }
        }

        await db.SaveChangesAsync(ct);
    }

    private static async Task AddAsync(StewardDbContext db, PersonalFileSeal seal, long customerId, long? documentId, byte[] file, string name, DateTimeOffset at, CancellationToken ct)
    {
        var sealedFile = seal.Seal(file);
        var blob = new AttachmentBlob { Data = sealedFile.Sealed };
        db.Add(blob);
        await db.SaveChangesAsync(ct);
        db.Add(new CustomerDocumentScan
        {
            CustomerId = customerId, DocumentId = documentId, Side = DocumentScanSide.Front, FileName = name, ContentType = AttachmentRules.Pdf, Size = file.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(file)), KeyCipher = sealedFile.KeyCipher, BlobId = blob.Id, UploadedByName = "Demo", CreatedAt = at,
        });
    }

    /// <summary>A one-page PDF (A6, landscape) saying it is a demo specimen, with the customer's number.</summary>
    internal static byte[] Specimen(string reference, string what)
    {
        var text = $"BT /F1 20 Tf 24 220 Td (SPECIMEN - demo scan) Tj 0 -32 Td /F1 12 Tf (Customer {reference}: {what}) Tj 0 -20 Td (Not a real document.) Tj ET";
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 298] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            $"<< /Length {text.Length} >>\nstream\n{text}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ];
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var n = 0; n < objects.Length; n++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(CultureInfo.InvariantCulture, $"{n + 1} 0 obj\n{objects[n]}\nendobj\n");
        }

        var xref = pdf.Length;
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }
}
