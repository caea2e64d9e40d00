using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Features.Cases;

/// <summary>The conversation of a case: replies to the customer, internal notes and attached files.</summary>
public sealed class CaseConversation(
    StewardDbContext db,
    CaseAccess access,
    CaseWriter writer,
    IOptions<CaseOptions> options,
    CaseSearchIndex search,
    IEnumerable<ICaseLifecycleObserver> observers)
{
    /// <summary>A public reply (shown to the customer) or an internal note. Replies are refused on closed and cancelled cases.</summary>
    public async Task<Outcome<CaseMessageDto>> AddMessageAsync(long id, MessageVisibility visibility, CaseMessageRequest r, CancellationToken ct = default)
    {
        if (visibility is not (MessageVisibility.Public or MessageVisibility.Internal))
        {
            // A customer's message is the customer's to write (PublicCaseReplies); staff write replies and notes.
            return Problems.Invalid("visibility", "Staff write replies or internal notes. 员工只能回复客户或添加内部备注。");
        }

        var action = visibility == MessageVisibility.Public ? CaseAction.Reply : CaseAction.Note;
        var loaded = await access.LoadForActionAsync(id, null, action, "Replies need an open or resolved case.", viewer => !viewer.CanWork, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (v, c, now) = loaded.Value;

        var errors = new Dictionary<string, string[]>();
        var body = CaseInput.Text(errors, "body", r.Body, 20000, "Text 内容");
        if (errors.Count > 0)
        {
            return new InvalidMessage(errors);
        }

        var message = new CaseMessage { CaseId = c.Id, Visibility = visibility, Body = body!, AuthorId = v.StaffId, AuthorName = v.Name, CreatedAt = now };
        // A message does not need the version the page was based on (a note beside someone's edit is fine): the case row is
        // claimed only for the lock order; a reply that moves the SLA is still refused if the case changed since it was read.
        var failed = await writer.WriteChangeAsync([c], async t =>
        {
            db.Add(message);
            await db.SaveChangesAsync(t);

            // The event names its message, so that pages show the right text beside it (never "the k-th reply event is the k-th reply").
            writer.AddEvent(c, new CaseActor(v.StaffId, v.Name), visibility == MessageVisibility.Public ? CaseEventType.ReplyAdded : CaseEventType.NoteAdded, now, action,
                messageId: message.Id);
            if (visibility == MessageVisibility.Public)
            {
                foreach (var observer in observers)
                {
                    await observer.OnRepliedAsync(c, now, t);
                }
            }

            await db.SaveChangesAsync(t);
            await search.ReindexAsync(c.Id, t);
        }, ct, checkVersion: false);
        if (failed is not null)
        {
            return failed;
        }

        return new CaseMessageDto(message.Id, message.Visibility, message.Body, message.AuthorId, message.AuthorName, message.CreatedAt);
    }

    /// <summary>
    /// Stores an attachment (see <see cref="ReadUploadAsync"/> for what is accepted) under a sanitised name.
    /// </summary>
    public async Task<Outcome<CaseAttachmentDto>> AddAttachmentAsync(long id, string? fileName, Stream content, long? declaredLength, CancellationToken ct = default)
    {
        var loaded = await access.LoadForActionAsync(id, null, CaseAction.Attach, "Files can be added to cases that are not closed or cancelled.", viewer => !viewer.CanWork, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (v, c, now) = loaded.Value;

        var upload = await ReadUploadAsync(content, declaredLength, ct);
        if (!upload.Succeeded)
        {
            return upload.Error;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var attachment = await AddUploadAsync(c, new CaseActor(v.StaffId, v.Name), fileName, upload.Value, now, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return CaseDetails.ToDto(attachment);
    }

    /// <summary>
    /// Reads an uploaded file: at most <see cref="CaseOptions.MaxAttachmentBytes"/> (else 413), not empty, of an accepted kind
    /// detected from the bytes (else 415). Nothing is written, so a refused file leaves the case as it was.
    /// </summary>
    internal async Task<Outcome<AttachmentUpload>> ReadUploadAsync(Stream content, long? declaredLength, CancellationToken ct)
    {
        var max = options.Value.MaxAttachmentBytes;
        if (declaredLength > max)
        {
            return new AttachmentTooLarge(max);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > max)
            {
                return new AttachmentTooLarge(max);
            }
        }

        if (buffer.Length == 0)
        {
            return Problems.Invalid("file", "The file is empty. 文件为空。");
        }

        var data = buffer.ToArray();
        var contentType = AttachmentRules.DetectContentType(data);
        return contentType is null ? new AttachmentTypeRefused() : new AttachmentUpload(data, contentType);
    }

    /// <summary>Adds a file read by <see cref="ReadUploadAsync"/> to the case, with its timeline event, in the caller's transaction.</summary>
    internal async Task<CaseAttachment> AddUploadAsync(Case c, CaseActor actor, string? fileName, AttachmentUpload upload, DateTimeOffset now, CancellationToken ct)
    {
        var name = AttachmentRules.SanitizeFileName(fileName);
        var blob = new AttachmentBlob { Data = upload.Data };
        db.Add(blob);
        await db.SaveChangesAsync(ct);
        var attachment = new CaseAttachment
        {
            CaseId = c.Id,
            FileName = name,
            ContentType = upload.ContentType,
            Size = upload.Data.Length,
            Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(upload.Data)),
            BlobId = blob.Id,
            UploadedById = actor.Id,
            UploadedByName = actor.Name,
            CreatedAt = now,
        };
        db.Add(attachment);
        writer.AddEvent(c, actor, CaseEventType.AttachmentAdded, now, CaseAction.Attach, detail: name,
            code: CaseEventText.Attachment, parameters: new() { ["file"] = name });
        return attachment;
    }

    public async Task<Outcome<AttachmentContent>> GetAttachmentAsync(long caseId, long attachmentId, CancellationToken ct = default)
    {
        var v = await access.ViewerAsync(ct);
        if (!await access.Visible(v).AnyAsync(x => x.Id == caseId, ct))
        {
            return new CaseNotFound();
        }

        var found = await db.Set<CaseAttachment>().AsNoTracking().Where(a => a.Id == attachmentId && a.CaseId == caseId)
            .Join(db.Set<AttachmentBlob>(), a => a.BlobId, b => b.Id, (a, b) => new AttachmentContent(a.FileName, a.ContentType, b.Data))
            .SingleOrDefaultAsync(ct);
        return found is null ? new AttachmentNotFound() : found;
    }
}

/// <summary>An uploaded file's bytes and the content type read from them.</summary>
internal sealed record AttachmentUpload(byte[] Data, string ContentType);
