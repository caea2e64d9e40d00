using MailKit;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Platform.Database;

namespace Steward.Features.Mail;

/// <summary>What one pass over a mailbox read and did.</summary>
public sealed record MailPollResult(int Read, int Cases, int Messages, int NotCases, int Skipped, string? Error);

/// <summary>
/// The periodic job that reads every enabled mailbox (decision 0053): it opens the folder read-only, lists the UIDs not yet
/// recorded for the folder's UIDVALIDITY and hands each message to <see cref="InboundMailProcessor"/> in a scope of its own (one
/// transaction per message). Nothing on the server is changed: what was read is known by the records, so a crash, a second node
/// or a restored mailbox never makes a second case. A message that fails for another reason is logged and tried again next
/// pass; a mailbox that cannot be reached gets the failure as its status, and the next mailbox is read.
/// </summary>
public sealed class MailPoller(StewardDbContext db, MailConnections connections, IServiceScopeFactory scopes, IOptions<MailOptions> options, TimeProvider time,
    ILogger<MailPoller> logger)
{
    public const string JobName = "mail-poll";

    public async Task RunAsync(CancellationToken ct)
    {
        var ids = await db.Set<Mailbox>().AsNoTracking().Where(m => m.Enabled).OrderBy(m => m.Id).Select(m => m.Id).ToListAsync(ct);
        foreach (var id in ids)
        {
            await PollAsync(id, ct);
        }
    }

    public async Task<MailPollResult> PollAsync(long mailboxId, CancellationToken ct)
    {
        var mailbox = await db.Set<Mailbox>().AsNoTracking().SingleAsync(m => m.Id == mailboxId, ct);
        int read = 0, cases = 0, messages = 0, notCases = 0, skipped = 0;
        string? error = null;
        try
        {
            using var imap = await connections.OpenImapAsync(mailbox, ct);
            var folder = await imap.GetFolderAsync(mailbox.Folder, ct);
            await folder.OpenAsync(FolderAccess.ReadOnly, ct);
            var validity = (long)folder.UidValidity;
            var uids = await folder.SearchAsync(SearchQuery.All, ct);
            var recorded = (await db.Set<InboundMail>().AsNoTracking().Where(m => m.MailboxId == mailbox.Id && m.UidValidity == validity).Select(m => m.Uid).ToListAsync(ct))
                .ToHashSet();
            foreach (var uid in uids.Where(u => !recorded.Contains(u.Id)).OrderBy(u => u.Id).Take(options.Value.BatchSize))
            {
                byte[] raw;
                using (var stream = await folder.GetStreamAsync(uid, ct))
                using (var copy = new MemoryStream())
                {
                    await stream.CopyToAsync(copy, ct);
                    raw = copy.ToArray();
                }

                read++;
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var outcome = await scope.ServiceProvider.GetRequiredService<InboundMailProcessor>().ProcessAsync(mailbox, validity, uid.Id, raw, ct);
                    switch (outcome)
                    {
                        case InboundMailOutcome.CaseCreated: cases++; break;
                        case InboundMailOutcome.MessageAdded: messages++; break;
                        case null: skipped++; break;
                        default: notCases++; break;
                    }
                }
                catch (Exception e) when (e is DbUpdateException or InvalidOperationException or IOException)
                {
                    // Not recorded: the next pass tries it again.
                    logger.LogError(e, "Mail {Uid} of mailbox {Mailbox} could not be processed", uid.Id, mailbox.Id);
                    skipped++;
                }
            }

            await imap.DisconnectAsync(true, ct);
        }
        catch (Exception e) when (MailConnections.IsConnectionFailure(e) && !ct.IsCancellationRequested)
        {
            error = MailConnections.Describe(e);
            logger.LogWarning("Mailbox {Mailbox} could not be read: {Error}", mailbox.Address, error);
        }

        var now = time.GetUtcNow();
        var status = error is null ? MailPollStatus.Ok : MailPollStatus.Failed;
        await db.Set<Mailbox>().Where(m => m.Id == mailbox.Id).ExecuteUpdateAsync(
            s => s.SetProperty(m => m.LastPollAt, now).SetProperty(m => m.LastPollStatus, status).SetProperty(m => m.LastPollError, error), ct);
        return new MailPollResult(read, cases, messages, notCases, skipped, error);
    }
}
