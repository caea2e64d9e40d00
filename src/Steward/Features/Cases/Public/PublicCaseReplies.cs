using Steward.Features.Notifications;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Features.Cases.Public;

/// <summary>A file a customer sends with their message: its name as given and its content.</summary>
public sealed record PublicFile(string? FileName, Stream Content, long? Length);

/// <summary>
/// The customer's side of the conversation, without signing in: a message (and a file) on their case, proven theirs by the
/// reference and the contact given, like a status look-up (<see cref="PublicCaseService.FindAsync"/>). A case waiting on
/// the customer resumes with it — the same transition an agent's 恢复处理 makes, so the SLA clock's pause ends at that
/// instant — and whoever has the case is told. Closed and cancelled cases take no more messages.
/// </summary>
public sealed class PublicCaseReplies(
    StewardDbContext db,
    TimeProvider time,
    PublicCaseService intake,
    CaseWriter writer,
    CaseConversation conversation,
    CaseSearchIndex search,
    NotificationService notifications,
    CaseLifecycleCommands lifecycle)
{
    /// <summary>The longest message a customer may write.</summary>
    public const int MaxLength = 5000;

    public async Task<Outcome<PublicCaseStatus>> ReplyAsync(PublicReplyRequest r, PublicFile? file, CancellationToken ct = default)
    {
        var c = await intake.FindAsync(r.Reference, r.Contact, tracked: true, ct);
        if (c is null)
        {
            return PublicCaseService.NotFound();
        }

        if (CaseLifecycle.IsFinal(c.Status))
        {
            return new CaseFinished();
        }

        var errors = new Dictionary<string, string[]>();
        var body = CaseInput.Text(errors, "body", r.Body, MaxLength, "Message 留言");
        if (errors.Count > 0)
        {
            return new InvalidMessage(errors);
        }

        AttachmentUpload? upload = null;
        if (file is not null)
        {
            var read = await conversation.ReadUploadAsync(file.Content, file.Length, ct);
            if (!read.Succeeded)
            {
                return read.Error;
            }

            upload = read.Value;
        }

        var actor = new CaseActor(null, PublicCaseService.WebFormActor);
        var failed = await AddCustomerMessageAsync(c, actor, body!, upload is null ? [] : [(file!.FileName, upload)], null, ct);
        if (failed is not null)
        {
            return failed;
        }

        return await intake.StatusAsync(new PublicStatusRequest(r.Reference, r.Contact), ct);
    }

    /// <summary>
    /// Adds the customer's message (and files read by <see cref="CaseConversation.ReadUploadAsync"/>) to the case in one transaction,
    /// resumes the case when it waits on the customer, and tells whoever has it; <paramref name="alsoWrite"/> runs once the message is
    /// written, in the same transaction (the e-mail poller records the mail it came from there: the record and the message commit together).
    /// Every channel the customer writes on goes through here (the status page, e-mail).
    /// </summary>
    internal async Task<Error?> AddCustomerMessageAsync(Case c, CaseActor actor, string body, IReadOnlyList<(string? FileName, AttachmentUpload Upload)> files,
        Func<CaseMessage, CancellationToken, Task>? alsoWrite, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // A customer's message never needs the version a page was based on; the case row is claimed for the lock order only.
        return await writer.WriteChangeAsync([c], async t =>
        {
            var message = new CaseMessage { CaseId = c.Id, Visibility = MessageVisibility.Customer, Body = body, AuthorName = actor.Name, CreatedAt = now };
            db.Add(message);
            await db.SaveChangesAsync(t);
            writer.AddEvent(c, actor, CaseEventType.CustomerMessageAdded, now, messageId: message.Id);
            foreach (var (name, upload) in files)
            {
                await conversation.AddUploadAsync(c, actor, name, upload, now, t);
            }

            if (c.Waiting == CaseWaiting.WaitingOnCustomer && CaseLifecycle.Target(c.Status, c.Waiting, CaseAction.Resume) is { } resumed)
            {
                await lifecycle.MoveAsync(c, actor, CaseAction.Resume, resumed, now, t);
            }

            if (c.AssigneeId is { } assignee)
            {
                notifications.Raise([assignee], "case-customer-message",
                    $"客户在案件 {c.Reference} 留言：{Excerpt(body)}", $"The customer wrote on {c.Reference}: {Excerpt(body)}", $"/Cases/{c.Id}");
            }

            if (alsoWrite is not null)
            {
                await alsoWrite(message, t);
            }

            await db.SaveChangesAsync(t);
            await search.ReindexAsync(c.Id, t);
        }, ct, checkVersion: false);
    }

    private static string Excerpt(string body)
    {
        var flat = string.Join(' ', body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 60 ? flat : flat[..57] + "…";
    }
}
