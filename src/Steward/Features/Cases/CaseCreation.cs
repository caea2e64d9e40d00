using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Features.Products;
using Steward.Platform.Database;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Features.Cases;

/// <summary>
/// Creating a case, for staff (the API and the New page) and for the public channels (<see cref="Public.PublicCaseService"/>):
/// validation, routing and automatic assignment (<see cref="ICaseAssignmentPolicy"/>), reference number, timeline,
/// observers and search index, in one transaction.
/// </summary>
public sealed class CaseCreation(
    StewardDbContext db,
    TimeProvider time,
    PersonalDataProtector protector,
    CaseSearchIndex search,
    IEnumerable<ICaseLifecycleObserver> observers,
    CaseAccess access,
    CaseDetails details,
    CaseWriter writer,
    CaseReferenceNumbers references,
    ICaseAssignmentPolicy assignment,
    CaseLifecycleCommands lifecycle)
{
    // Names the 201 response shows, known while creating (so the response needs no queries).
    private (string? Team, string? Assignee, string? Customer)? createdNames;

    /// <summary>Creates a case as the signed-in staff member.</summary>
    public async Task<Outcome<CaseDetail>> CreateAsync(CaseCreateRequest request, CancellationToken ct = default)
    {
        var v = await access.ViewerAsync(ct);
        if (!v.CanWork)
        {
            return new CaseActionForbidden();
        }

        var created = await CreateCoreAsync(request, new CaseActor(v.StaffId, v.Name), v, ct);
        return created.Succeeded ? details.CreatedDetail(created.Value, v, createdNames ?? default) : created.Error;
    }

    /// <summary>
    /// Validates and creates a case in one transaction (joining the caller's, e.g. the idempotency
    /// key's): reference number, routing to a team, automatic assignment, timeline, observers and
    /// search index. <paramref name="scope"/> null means a public channel: no team or assignee may be named.
    /// </summary>
    /// <paramref name="matched"/>: the customer a public channel recognised by itself (the e-mail poller, by the sender's blind
    /// index), never one the caller named; the case is theirs, the contact given is kept beside it.
    internal async Task<Outcome<Case>> CreateCoreAsync(CaseCreateRequest r, CaseActor actor, CaseViewer? scope, CancellationToken ct, Customer? matched = null)
    {
        var errors = new Dictionary<string, string[]>();
        var handleNow = r.HandleNow == true;
        if (handleNow)
        {
            if (scope?.StaffId is not { } me || (r.AssigneeId is { } named && named != me))
            {
                errors["handleNow"] = ["Handle now assigns the case to you: name no other assignee. “立即处理”会将案件指派给您本人，请勿指定其他处理人。"];
            }
            else
            {
                r = r with { AssigneeId = me };
            }
        }

        if (r.Kind is null)
        {
            errors["kind"] = ["Choose the kind of case. 请选择案件类型。"];
        }

        if (r.Channel is null)
        {
            errors["channel"] = ["Choose the channel. 请选择渠道。"];
        }

        var subject = CaseInput.Text(errors, "subject", r.Subject, 200, "Subject 主题");
        var description = CaseInput.Text(errors, "description", r.Description, 20000, "Description 描述");

        var branchId = r.BranchId ?? scope?.BranchIds.FirstOrDefault();
        var branch = branchId is { } bid ? await db.Set<Branch>().AsNoTracking().SingleOrDefaultAsync(b => b.Id == bid, ct) : null;
        if (branch is null || !branch.IsActive || (scope is not null && !scope.AllBranches && !scope.BranchIds.Contains(branch.Id)))
        {
            errors["branchId"] = ["Choose one of your active branches. 请选择您有权限的有效机构。"];
        }

        Customer? customer = null;
        string? contactName = null, phone = null, email = null;
        if (r.CustomerId is { } customerId)
        {
            // A customer of another branch does not exist for the caller (like a case of another branch): the same answer
            // as an unknown id, so that ids cannot be probed. A public channel names no customer at all.
            customer = scope is null ? null : await CustomerDirectory.Within(db.Set<Customer>().AsNoTracking(), scope.AllBranches, scope.BranchIds)
                .SingleOrDefaultAsync(c => c.Id == customerId, ct);
            if (customer is null)
            {
                errors["customerId"] = ["No such customer. 客户不存在。"];
            }
            else if (r.Contact is not null)
            {
                errors["contact"] = ["Give a customer or an anonymous contact, not both. 客户与匿名联系人只能二选一。"];
            }
        }
        else if (r.Contact is null)
        {
            errors["contact"] = ["Give a customer or a contact (name and phone or e-mail). 请提供客户或联系人（姓名及电话或邮箱）。"];
        }
        else
        {
            customer = scope is null ? matched : null;
            contactName = CaseInput.Text(errors, "contact.name", r.Contact.Name, 100, "Name 姓名");
            phone = string.IsNullOrWhiteSpace(r.Contact.Phone) ? null : r.Contact.Phone.Trim();
            email = string.IsNullOrWhiteSpace(r.Contact.Email) ? null : r.Contact.Email.Trim();
            if (phone is null && email is null)
            {
                errors["contact.phone"] = ["Give a phone number or an e-mail address. 请提供电话或邮箱。"];
            }

            if (phone is not null && (phone.Length > 30 || phone.Count(char.IsAsciiDigit) < 5 || !phone.All(c => char.IsAsciiDigit(c) || c is '+' or '-' or ' ' or '(' or ')')))
            {
                errors["contact.phone"] = ["Not a phone number. 电话号码格式不正确。"];
            }

            if (email is not null && (email.Length > 200 || email.IndexOf('@', StringComparison.Ordinal) is < 1 || email.EndsWith('@')))
            {
                errors["contact.email"] = ["Not an e-mail address. 邮箱格式不正确。"];
            }
        }

        if (r.ProductId is { } productId && !await db.Set<Product>().AnyAsync(p => p.Id == productId && p.Status != ProductStatus.Withdrawn, ct))
        {
            errors["productId"] = ["No such product. 产品不存在。"];
        }

        if (scope is null && (r.TeamId is not null || r.AssigneeId is not null))
        {
            errors["teamId"] = ["A public request cannot name a team or assignee. 公众渠道不能指定团队或处理人。"];
        }

        Team? team = null;
        if (r.TeamId is { } teamId && branch is not null)
        {
            team = await db.Set<Team>().AsNoTracking().SingleOrDefaultAsync(t => t.Id == teamId, ct);
            if (team is null || !team.IsActive || team.BranchId != branch.Id)
            {
                errors["teamId"] = ["Choose an active team of the case's branch. 请选择本机构的有效团队。"];
            }
        }

        if (r.AssigneeId is { } assigneeId && branch is not null && scope is not null)
        {
            if (!scope.CanAssign && assigneeId != scope.StaffId)
            {
                errors["assigneeId"] = ["Only team leads assign cases to others. 只有组长可以将案件分配给他人。"];
            }
            else if (!await access.CanWorkInBranchAsync(assigneeId, branch.Id, ct))
            {
                errors["assigneeId"] = ["The assignee must be active staff of the case's branch. 处理人须为本机构在职员工。"];
            }
        }

        var tags = CaseInput.Tags(errors, r.Tags);
        if (errors.Count > 0)
        {
            return new InvalidCase(errors);
        }

        var kind = r.Kind!.Value;
        var rules = await db.Set<PriorityRule>().AsNoTracking().ToListAsync(ct);
        var priority = PriorityRules.Evaluate(rules, kind, customer?.Tier, subject!, description!);
        var now = time.GetUtcNow();

        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        // Every create of a day takes the day's reference counter (in its own tiny transaction on PostgreSQL, see
        // NextReferenceAsync) and the audit chain head: the head is locked only by the last statements before the commit.
        // When the caller already deferred the audit (the idempotency store), the caller flushes it as its last write.
        var flushHere = db.DeferAudit();
        try
        {
            var c = await CreateRowsAsync(r, actor, scope, kind, subject!, description!, branch!, customer, team, contactName, phone, email, tags, priority, now, ct);
            if (flushHere)
            {
                // The hot part: the audit chain head, locked from here to the commit (one select, one batch).
                await db.FlushAuditAsync(ct);
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(ct);
            }

            return c;
        }
        finally
        {
            if (flushHere)
            {
                db.EndDeferredAudit();
            }
        }
    }

    private async Task<Case> CreateRowsAsync(CaseCreateRequest r, CaseActor actor, CaseViewer? scope, CaseKind kind, string subject, string description,
        Branch branch, Customer? customer, Team? team, string? contactName, string? phone, string? email, List<string> tags, CasePriority priority,
        DateTimeOffset now, CancellationToken ct)
    {
        var routed = team is null ? await assignment.RouteAsync(branch.Id, kind, ct) : null;

        var c = new Case
        {
            Reference = await references.NextAsync(branch, now, ct),
            Kind = kind,
            Channel = r.Channel!.Value,
            Status = CaseStatus.Submitted,
            Waiting = CaseWaiting.None,
            Subject = subject,
            Description = description,
            CustomerId = customer?.Id,
            ContactName = contactName,
            ContactPhoneCipher = protector.Encrypt(phone),
            ContactPhoneIndex = protector.BlindIndex(phone),
            ContactEmailCipher = protector.Encrypt(email),
            ContactEmailIndex = protector.BlindIndex(email),
            BranchId = branch.Id,
            ProductId = r.ProductId,
            Priority = priority,
            TeamId = team?.Id ?? routed?.TeamId,
            AssigneeId = r.AssigneeId,
            Tags = string.Join(',', tags),
            CreatedById = scope?.StaffId,
        };
        db.Add(c);

        string? autoMode = null;
        if (c.AssigneeId is null && c.TeamId is { } queue)
        {
            var chosen = await assignment.AutoAssignAsync(queue, ct);
            if (chosen is not null)
            {
                c.AssigneeId = chosen.Value.StaffId;
                autoMode = chosen.Value.Mode;
            }
        }

        await db.SaveChangesAsync(ct);
        writer.AddEvent(c, actor, CaseEventType.Created, now, detail: $"{c.Kind} · {c.Channel} · {c.Priority}",
            code: CaseEventText.Created, parameters: new() { ["kind"] = c.Kind.ToString(), ["channel"] = c.Channel.ToString(), ["priority"] = c.Priority.ToString() });
        string? assigneeName = null;
        if (c.AssigneeId is { } assignee)
        {
            var name = assigneeName = await access.StaffNameAsync(assignee, ct);
            if (autoMode is null)
            {
                writer.AddEvent(c, actor, CaseEventType.Assigned, now, detail: $"→ {name}", code: CaseEventText.Assigned, parameters: new() { ["staff"] = name });
            }
            else
            {
                writer.AddEvent(c, actor, CaseEventType.Assigned, now, detail: $"→ {name} ({autoMode})",
                    code: CaseEventText.AssignedAuto, parameters: new() { ["staff"] = name, ["mode"] = autoMode });
            }
        }

        foreach (var observer in observers)
        {
            await observer.OnCreatedAsync(c, ct);
            if (c.AssigneeId is not null)
            {
                await observer.OnAssignedAsync(c, null, ct);
            }
        }

        await db.SaveChangesAsync(ct);
        if (r.HandleNow == true)
        {
            await lifecycle.StartNowAsync(c, actor, now, ct);
        }

        await search.ReindexAsync(c.Id, c.Subject, c.Description, [], ct);
        createdNames = (
            team?.Name ?? routed?.TeamName,
            assigneeName,
            customer?.Name);
        return c;
    }
}
