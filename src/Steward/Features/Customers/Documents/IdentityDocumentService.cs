using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Organisation;
using Steward.Features.Products;
using Steward.Features.Qualifications;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Features.Customers.Documents;

public sealed record DocumentScanView(long Id, DocumentScanSide Side, string FileName, string ContentType, long Size, string UploadedByName, DateTimeOffset CreatedAt);

/// <summary>One identity document: <see cref="Id"/> null for the file's own (primary) document. The number is masked.</summary>
public sealed record IdentityDocumentView(long? Id, IdentityDocumentType Type, string Number, string IssuingCountry, DateOnly? ExpiresOn, bool Expired, string? Note,
    IReadOnlyList<DocumentScanView> Scans);

/// <summary>The customer's documents: the file's own first (when the file has one), then the others by when they were added.</summary>
public sealed record IdentityDocumentsDto(long CustomerId, IReadOnlyList<IdentityDocumentView> Documents);

public sealed record IdentityDocumentRequest(IdentityDocumentType? Type, string? Number, string? IssuingCountry, DateOnly? ExpiresOn, string? Note);

public sealed record DocumentScanOpenRequest(string? Purpose);

/// <summary>An opened scan: the bytes as uploaded.</summary>
public sealed record OpenedScan(string FileName, string ContentType, byte[] Data);

public sealed record IdentityDocumentNotFound(long Id) : NotFoundError(
    "not-found", "No such identity document 证件不存在", FormattableString.Invariant($"Identity document {Id} does not exist. 证件不存在。"));

public sealed record DocumentScanNotFound(long Id) : NotFoundError(
    "not-found", "No such scan 证件影像不存在", FormattableString.Invariant($"Scan {Id} does not exist. 证件影像不存在。"));

/// <summary>
/// A customer's identity documents beyond the file's own, and scans of any of them (issue 12: "identity documents … with
/// uploads"). Reading the list needs the customer in scope; adding and removing need CustomersManage; opening a scan is a
/// reveal of personal data (PersonalDataReveal, a stated purpose, a personal_data_access row, itself audited).
/// </summary>
public sealed class IdentityDocumentService(StewardDbContext db, CurrentUser user, TimeProvider time, PersonalDataProtector protector, PersonalFileSeal seal)
{
    /// <summary>Scans one document may have (front, back, and a page or two more).</summary>
    public const int MaxScansPerDocument = 4;

    /// <summary>Documents one customer may have besides the file's own.</summary>
    public const int MaxDocuments = 10;

    public async Task<Outcome<IdentityDocumentsDto>> ListAsync(long customerId, CancellationToken ct = default)
    {
        var customer = await VisibleAsync(customerId, ct);
        if (customer is null)
        {
            return new CustomerNotFound(customerId);
        }

        var today = await TodayAsync(customer, ct);
        var documents = await db.Set<CustomerIdentityDocument>().AsNoTracking().Where(d => d.CustomerId == customerId).OrderBy(d => d.Id).ToListAsync(ct);
        var scans = (await db.Set<CustomerDocumentScan>().AsNoTracking().Where(s => s.CustomerId == customerId).OrderBy(s => s.Id).ToListAsync(ct))
            .ToLookup(s => s.DocumentId);
        IReadOnlyList<DocumentScanView> ScansOf(long? documentId) =>
            [.. scans[documentId].Select(s => new DocumentScanView(s.Id, s.Side, s.FileName, s.ContentType, s.Size, s.UploadedByName, s.CreatedAt))];

        var list = new List<IdentityDocumentView>();
        if (customer.IdType is { } primaryType)
        {
            list.Add(new IdentityDocumentView(null, primaryType, Mask.IdNumber(protector.Decrypt(customer.IdNumberCipher)), customer.IdIssuingCountry ?? "",
                customer.IdExpiresOn, customer.IdExpiresOn < today, null, ScansOf(null)));
        }

        list.AddRange(documents.Select(d => new IdentityDocumentView(d.Id, d.Type, Mask.IdNumber(protector.Decrypt(d.NumberCipher)), d.IssuingCountry,
            d.ExpiresOn, d.ExpiresOn < today, d.Note, ScansOf(d.Id))));
        return new IdentityDocumentsDto(customerId, list);
    }

    public async Task<Outcome<IdentityDocumentsDto>> AddAsync(long customerId, IdentityDocumentRequest r, CancellationToken ct = default)
    {
        var customer = await VisibleAsync(customerId, ct);
        if (customer is null)
        {
            return new CustomerNotFound(customerId);
        }

        if (!user.Can(Permission.CustomersManage))
        {
            return new CustomerActionForbidden();
        }

        var today = await TodayAsync(customer, ct);
        var found = new Dictionary<string, string[]>();
        // A corporate customer's further documents may be a person's (the legal representative's card): only a business
        // licence is held to the corporate rule, and a person may never hold one.
        CustomerFileValidation.CheckDocument(found, r.Type, r.IssuingCountry, r.Number, customer.Kind == CustomerKind.Individual ? customer.BirthDate : null,
            creating: true, corporate: customer.Kind == CustomerKind.Corporate && r.Type == IdentityDocumentType.BusinessLicence);
        var errors = new Dictionary<string, string[]>();
        foreach (var (field, messages) in found)
        {
            var key = field switch { "idType" => "type", "idIssuingCountry" => "issuingCountry", _ => "number" };
            errors[key] = errors.TryGetValue(key, out var already) ? [.. already, .. messages] : messages;
        }

        if (r.ExpiresOn is { } expires && expires < today)
        {
            errors["expiresOn"] = ["This document has expired: record a valid one. 该证件已过期，请登记有效证件。"];
        }

        var note = r.Note?.Trim();
        if (note is { Length: > 200 })
        {
            errors["note"] = ["Up to 200 characters. 不超过 200 字。"];
        }

        var number = CustomerFileValidation.CompactNumber(r.Number);
        var index = protector.BlindIndex(number);
        if (!errors.ContainsKey("number") && index is not null
            && (customer.IdNumberIndex == index || await db.Set<CustomerIdentityDocument>().AnyAsync(d => d.CustomerId == customerId && d.NumberIndex == index, ct)))
        {
            errors["number"] = ["This customer already has a document with this number. 该客户已登记此号码的证件。"];
        }

        if (errors.Count == 0 && await db.Set<CustomerIdentityDocument>().CountAsync(d => d.CustomerId == customerId, ct) >= MaxDocuments)
        {
            errors["type"] = [FormattableString.Invariant($"A customer may have at most {MaxDocuments} further documents: remove one first. 每位客户最多登记 {MaxDocuments} 份其他证件，请先删除一份。")];
        }

        if (errors.Count > 0)
        {
            return new CustomerInvalid(errors);
        }

        db.Add(new CustomerIdentityDocument
        {
            CustomerId = customerId, Type = r.Type!.Value, NumberCipher = protector.Encrypt(number)!, NumberIndex = index!,
            IssuingCountry = r.IssuingCountry!.Trim().ToUpperInvariant(), ExpiresOn = r.ExpiresOn, Note = string.IsNullOrEmpty(note) ? null : note,
            CreatedById = user.StaffId, CreatedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        return await ListAsync(customerId, ct);
    }

    public async Task<Outcome<IdentityDocumentsDto>> RemoveAsync(long customerId, long documentId, CancellationToken ct = default)
    {
        if (await ManageableAsync(customerId, ct) is { } refused)
        {
            return refused;
        }

        var document = await db.Set<CustomerIdentityDocument>().SingleOrDefaultAsync(d => d.Id == documentId && d.CustomerId == customerId, ct);
        if (document is null)
        {
            return new IdentityDocumentNotFound(documentId);
        }

        var scans = await db.Set<CustomerDocumentScan>().Where(s => s.DocumentId == documentId).ToListAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.RemoveRange(scans);
        db.Remove(document);
        await db.SaveChangesAsync(ct);
        var blobs = scans.Select(s => s.BlobId).ToList();
        await db.Set<AttachmentBlob>().Where(b => blobs.Contains(b.Id)).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        return await ListAsync(customerId, ct);
    }

    /// <summary>Adds a scan (PDF, PNG or JPEG, up to 10 MB) of the document <paramref name="documentId"/>, or of the file's own document when null.</summary>
    public async Task<Outcome<IdentityDocumentsDto>> UploadScanAsync(long customerId, long? documentId, DocumentScanSide? side, string? fileName, Stream content, long? length,
        CancellationToken ct = default)
    {
        var customer = await VisibleAsync(customerId, ct);
        if (customer is null)
        {
            return new CustomerNotFound(customerId);
        }

        if (!user.Can(Permission.CustomersManage))
        {
            return new CustomerActionForbidden();
        }

        var errors = new Dictionary<string, string[]>();
        if (documentId is { } id && !await db.Set<CustomerIdentityDocument>().AnyAsync(d => d.Id == id && d.CustomerId == customerId, ct))
        {
            errors["documentId"] = ["Choose one of this customer's documents. 请选择该客户的一份证件。"];
        }
        else if (documentId is null && customer.IdType is null)
        {
            errors["documentId"] = ["The customer file has no identity document yet: record it first. 客户资料尚未登记证件，请先登记。"];
        }
        else if (await db.Set<CustomerDocumentScan>().CountAsync(s => s.CustomerId == customerId && s.DocumentId == documentId, ct) >= MaxScansPerDocument)
        {
            errors["documentId"] = [FormattableString.Invariant($"A document may have at most {MaxScansPerDocument} scans: remove one first. 每份证件最多 {MaxScansPerDocument} 个影像，请先删除一个。")];
        }

        if (side is null)
        {
            errors["side"] = ["Choose which side the scan shows. 请选择影像所示的面。"];
        }

        var file = await UploadedFile.ReadAsync("file", fileName, content, length, ct);
        if (file.Error is InvalidError { Fields: { } fields })
        {
            foreach (var (field, messages) in fields)
            {
                errors[field] = messages;
            }
        }
        else if (file.Value is { ContentType: not (AttachmentRules.Pdf or AttachmentRules.Png or AttachmentRules.Jpeg) })
        {
            errors["file"] = ["A scan is a PDF or an image (PNG, JPEG). 证件影像须为 PDF 或图片（PNG、JPEG）。"];
        }

        if (errors.Count > 0)
        {
            return new CustomerInvalid(errors);
        }

        var upload = file.Value!;
        var sealedFile = seal.Seal(upload.Data);
        var blob = new AttachmentBlob { Data = sealedFile.Sealed };
        db.Add(blob);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        db.Add(new CustomerDocumentScan
        {
            CustomerId = customerId, DocumentId = documentId, Side = side!.Value, FileName = upload.FileName, ContentType = upload.ContentType,
            Size = upload.Data.Length, Sha256 = upload.Sha256, KeyCipher = sealedFile.KeyCipher, BlobId = blob.Id,
            UploadedById = user.StaffId, UploadedByName = user.DisplayName.Length > 100 ? user.DisplayName[..100] : user.DisplayName, CreatedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await ListAsync(customerId, ct);
    }

    public async Task<Outcome<IdentityDocumentsDto>> RemoveScanAsync(long customerId, long scanId, CancellationToken ct = default)
    {
        if (await ManageableAsync(customerId, ct) is { } refused)
        {
            return refused;
        }

        var scan = await db.Set<CustomerDocumentScan>().SingleOrDefaultAsync(s => s.Id == scanId && s.CustomerId == customerId, ct);
        if (scan is null)
        {
            return new DocumentScanNotFound(scanId);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Remove(scan);
        await db.SaveChangesAsync(ct);
        await db.Set<AttachmentBlob>().Where(b => b.Id == scan.BlobId).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        return await ListAsync(customerId, ct);
    }

    /// <summary>The scan's bytes, for a reader with PersonalDataReveal who states why; the opening is recorded with <paramref name="where"/>.</summary>
    public async Task<Outcome<OpenedScan>> OpenScanAsync(long customerId, long scanId, string? purpose, string where, CancellationToken ct = default)
    {
        var customer = await VisibleAsync(customerId, ct);
        if (customer is null)
        {
            return new CustomerNotFound(customerId);
        }

        var scan = await db.Set<CustomerDocumentScan>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == scanId && s.CustomerId == customerId, ct);
        if (scan is null)
        {
            return new DocumentScanNotFound(scanId);
        }

        if (!CanOpenScans(user))
        {
            return new CustomerRevealForbidden();
        }

        var stated = purpose?.Trim();
        if (string.IsNullOrEmpty(stated) || stated.Length > 80)
        {
            return new CustomerInvalid(new Dictionary<string, string[]> { ["purpose"] = ["State why you need to see the scan (up to 80 characters). 请说明查看证件影像的用途（不超过 80 字）。"] });
        }

        var data = await db.Set<AttachmentBlob>().Where(b => b.Id == scan.BlobId).Select(b => b.Data).SingleAsync(ct);
        var plain = seal.Open(scan.KeyCipher, data);
        var recorded = FormattableString.Invariant($"{stated} (scan {scan.Id}, {where})");
        db.Add(PersonalDataAccess.Of(time.GetUtcNow(), user.StaffId, user.DisplayName, nameof(Customer), customer.Id, customer.HomeBranchId, recorded));
        await db.SaveChangesAsync(ct);
        return new OpenedScan(scan.FileName, scan.ContentType, plain);
    }

    /// <summary>
    /// Who may open a scan: readers of personal data in full, and those who verify KYC — they check the document against the
    /// file, which is what the scan is for (docs/decisions/0032). Either way the opening is recorded with its purpose.
    /// </summary>
    public static bool CanOpenScans(CurrentUser user) => user.Can(Permission.PersonalDataReveal) || user.Can(Permission.KycVerify);

    private async Task<Error?> ManageableAsync(long customerId, CancellationToken ct) =>
        await VisibleAsync(customerId, ct) is null ? new CustomerNotFound(customerId)
        : !user.Can(Permission.CustomersManage) ? new CustomerActionForbidden()
        : null;

    private async Task<DateOnly> TodayAsync(Customer customer, CancellationToken ct) =>
        QualificationRegistry.LocalDate(time.GetUtcNow(), await db.Set<Branch>().Where(b => b.Id == customer.HomeBranchId).Select(b => b.TimeZone).SingleAsync(ct));

    private Task<Customer?> VisibleAsync(long id, CancellationToken ct) =>
        CustomerDirectory.Within(db.Set<Customer>().AsNoTracking(), user.HasInstitutionScope, user.BranchIds).SingleOrDefaultAsync(c => c.Id == id, ct);
}
