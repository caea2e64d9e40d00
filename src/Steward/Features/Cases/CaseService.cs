using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Features.Products;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Features.Cases;

/// <summary>Who works on cases in this request and what they may see: their branches, their team and their own cases, or everything.</summary>
public sealed record CaseViewer(long? StaffId, string Name, bool AllBranches, IReadOnlyList<long> BranchIds, long? TeamId, bool CanWork, bool CanAssign);

/// <summary>Who an event is recorded against: a staff member, or the customer through a public channel.</summary>
public sealed record CaseActor(long? Id, string Name);

/// <summary>
/// Everything staff do with cases, for the API and the workbench pages alike. The caller is the
/// signed-in <see cref="CurrentUser"/>: a case outside their scope does not exist for them (404).
/// Commands that change a case take the version they were based on and answer
/// <see cref="Problems.StaleVersion"/> when it moved on; every change adds a timeline event and
/// tells the <see cref="ICaseLifecycleObserver"/>s before it is saved.
/// </summary>
public sealed partial class CaseService(
    StewardDbContext db,
    CurrentUser user,
    TimeProvider time,
    IOptions<CaseOptions> options,
    PersonalDataProtector protector,
    CaseSearchIndex search,
    IEnumerable<ICaseLifecycleObserver> observers)
{
    private static readonly StaffRole[] WorkRoles = Enum.GetValues<StaffRole>().Where(r => RolePermissions.For(r).Contains(Permission.CasesWork)).ToArray();

    private CaseViewer? viewer;

    private CaseOptions Options => options.Value;

    /// <summary>The signed-in person as the case rules see them (read once per request).</summary>
    public async Task<CaseViewer> ViewerAsync(CancellationToken ct = default)
    {
        if (viewer is not null)
        {
            return viewer;
        }

        // The team comes with the request's principal (read with its roles); else from the database.
        var (known, teamId) = user.Team;
        if (!known && user.StaffId is { } id)
        {
            teamId = await db.Set<Staff>().Where(s => s.Id == id).Select(s => s.TeamId).SingleOrDefaultAsync(ct);
        }

        var name = user.DisplayName.Length > 100 ? user.DisplayName[..100] : user.DisplayName;
        return viewer = new CaseViewer(user.StaffId, name, user.HasInstitutionScope, user.BranchIds, teamId, user.Can(Permission.CasesWork), user.Can(Permission.CasesAssign));
    }

    // ----- create -----

    /// <summary>Creates a case as the signed-in staff member.</summary>
    public async Task<Outcome<CaseDetail>> CreateAsync(CaseCreateRequest request, CancellationToken ct = default)
    {
        var v = await ViewerAsync(ct);
        if (!v.CanWork)
        {
            return Forbidden();
        }

        var created = await CreateCoreAsync(request, new CaseActor(v.StaffId, v.Name), v, ct);
        return created.Succeeded ? CreatedDetail(created.Value!, v) : created.Error!;
    }

    /// <summary>
    /// Validates and creates a case in one transaction (joining the caller's, e.g. the idempotency
    /// key's): reference number, routing to a team, automatic assignment, timeline, observers and
    /// search index. <paramref name="scope"/> null means a public channel: no team or assignee may be named.
    /// </summary>
    internal async Task<Outcome<Case>> CreateCoreAsync(CaseCreateRequest r, CaseActor actor, CaseViewer? scope, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (r.Kind is null)
        {
            errors["kind"] = ["Choose the kind of case. 请选择案件类型。"];
        }

        if (r.Channel is null)
        {
            errors["channel"] = ["Choose the channel. 请选择渠道。"];
        }

        var subject = Text(errors, "subject", r.Subject, 200, "Subject 主题");
        var description = Text(errors, "description", r.Description, 20000, "Description 描述");

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
            customer = await db.Set<Customer>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == customerId, ct);
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
            contactName = Text(errors, "contact.name", r.Contact.Name, 100, "Name 姓名");
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

        if (r.ProductId is { } productId && !await db.Set<Product>().AnyAsync(p => p.Id == productId && p.IsActive, ct))
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
            else if (!await CanWorkInBranchAsync(assigneeId, branch.Id, ct))
            {
                errors["assigneeId"] = ["The assignee must be active staff of the case's branch. 处理人须为本机构在职员工。"];
            }
        }

        var tags = Tags(errors, r.Tags);
        if (errors.Count > 0)
        {
            return new InvalidError("invalid-case", "The case has errors 案件信息有误", "Correct the fields listed. 请修改所列字段。", errors);
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
        CaseTeamSettings? settings = null;
        string? routedName = null;
        if (team is null)
        {
            var candidates = await db.Set<CaseTeamSettings>().AsNoTracking()
                .Join(db.Set<Team>().Where(t => t.BranchId == branch.Id && t.IsActive), s => s.TeamId, t => t.Id, (s, t) => new { Settings = s, t.Name })
                .OrderBy(x => x.Settings.TeamId).ToListAsync(ct);
            var routed = candidates.FirstOrDefault(x => x.Settings.KindList.Contains(kind));
            (settings, routedName) = (routed?.Settings, routed?.Name);
        }

        var c = new Case
        {
            Reference = await NextReferenceAsync(branch, now, ct),
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
            TeamId = team?.Id ?? settings?.TeamId,
            AssigneeId = r.AssigneeId,
            Tags = string.Join(',', tags),
            CreatedById = scope?.StaffId,
        };
        db.Add(c);

        string? autoMode = null;
        if (c.AssigneeId is null && c.TeamId is { } queue)
        {
            var chosen = await AutoAssignAsync(queue, ct);
            if (chosen is not null)
            {
                c.AssigneeId = chosen.Value.StaffId;
                autoMode = chosen.Value.Mode.ToString();
            }
        }

        await db.SaveChangesAsync(ct);
        AddEvent(c, actor, CaseEventType.Created, now, detail: $"{c.Kind} · {c.Channel} · {c.Priority}",
            code: CaseEventText.Created, parameters: new() { ["kind"] = c.Kind.ToString(), ["channel"] = c.Channel.ToString(), ["priority"] = c.Priority.ToString() });
        string? assigneeName = null;
        if (c.AssigneeId is { } assignee)
        {
            var name = assigneeName = await StaffNameAsync(assignee, ct);
            if (autoMode is null)
            {
                AddEvent(c, actor, CaseEventType.Assigned, now, detail: $"→ {name}", code: CaseEventText.Assigned, parameters: new() { ["staff"] = name });
            }
            else
            {
                AddEvent(c, actor, CaseEventType.Assigned, now, detail: $"→ {name} ({autoMode})",
                    code: CaseEventText.AssignedAuto, parameters: new() { ["staff"] = name, ["mode"] = autoMode });
            }
        }

        foreach (var observer in observers)
        {
            await observer.OnCreatedAsync(c, ct);
        }

        await db.SaveChangesAsync(ct);
        await search.ReindexAsync(c.Id, c.Subject, c.Description, [], ct);
        createdNames = (
            team?.Name ?? routedName,
            assigneeName,
            customer?.Name);
        return c;
    }

    // Names the 201 response shows, known while creating (so the response needs no queries).
    private (string? Team, string? Assignee, string? Customer)? createdNames;

    /// <summary>
    /// <c>SV-yyyyMMdd-NNNNNN</c>: the day in the branch's zone and that day's counter. PostgreSQL: the counter is
    /// advanced in its own tiny transaction on a second pooled connection (one round trip), so the row lock that
    /// serialises every create of the day is held for one statement instead of the whole create; a rolled-back
    /// create leaves a gap (docs/decisions/0008-cases-idempotency-and-references.md). Its commit need not wait for the
    /// WAL flush: the case's own commit comes later in the WAL, so a committed case always has a durable counter.
    /// SQLite: inside the create's transaction (the database's single writer; a rollback gives the number back).
    /// </summary>
    private async Task<string> NextReferenceAsync(Branch branch, DateTimeOffset now, CancellationToken ct)
    {
        var zone = NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(branch.TimeZone) ?? NodaTime.DateTimeZone.Utc;
        var day = NodaTime.Instant.FromDateTimeOffset(now).InZone(zone).Date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var number = db.IsPostgres ? await NextNumberOutsideAsync(day, ct) : await NextNumberAsync(day, ct);
        return $"{Options.ReferencePrefix}-{day}-{number.ToString("D6", CultureInfo.InvariantCulture)}";
    }

    private async Task<long> NextNumberOutsideAsync(string day, CancellationToken ct)
    {
        await using var connection = new Npgsql.NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(ct);
        await using var batch = new Npgsql.NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new("BEGIN"),
                new("SET LOCAL synchronous_commit = off"),
                new("""
                    INSERT INTO case_reference_counters (day, last_value) VALUES ($1, 1)
                    ON CONFLICT (day) DO UPDATE SET last_value = case_reference_counters.last_value + 1
                    RETURNING last_value
                    """) { Parameters = { new() { Value = day } } },
                new("COMMIT"),
            },
        };
        long number = 0;
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            do
            {
                while (await reader.ReadAsync(ct))
                {
                    number = reader.GetInt64(0);
                }
            }
            while (await reader.NextResultAsync(ct));
        }

        return number > 0 ? number : throw new InvalidOperationException("The reference counter returned no number.");
    }

    /// <summary>SQLite: advances the day's counter (the transaction holds the database's single write lock).</summary>
    private async Task<long> NextNumberAsync(string day, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = """
            INSERT INTO case_reference_counters (day, last_value) VALUES (@day, 1)
            ON CONFLICT (day) DO UPDATE SET last_value = case_reference_counters.last_value + 1
            RETURNING last_value
            """;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@day";
        parameter.Value = day;
        command.Parameters.Add(parameter);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Picks the next person of a team that assigns automatically: active, on duty, allowed to
    /// work cases. Round-robin goes to the next staff id after the last one served (wrapping);
    /// least-loaded to the one with the fewest open cases (ties: lowest id). The settings row is
    /// locked for the transaction so that concurrent creates do not serve the same turn twice.
    /// Null when the team assigns manually or nobody is on duty: the case waits in the queue.
    /// </summary>
    private async Task<(long StaffId, AssignmentMode Mode)?> AutoAssignAsync(long teamId, CancellationToken ct)
    {
        var settings = db.IsPostgres
            ? await db.Set<CaseTeamSettings>().FromSqlInterpolated($"SELECT * FROM case_team_settings WHERE team_id = {teamId} FOR UPDATE").SingleOrDefaultAsync(ct)
            : await db.Set<CaseTeamSettings>().SingleOrDefaultAsync(s => s.TeamId == teamId, ct);
        if (settings is null || settings.Mode == AssignmentMode.Manual)
        {
            return null;
        }

        var candidates = await db.Set<Staff>()
            .Where(s => s.IsActive && s.TeamId == teamId && s.Roles.Any(role => WorkRoles.Contains(role.Role))
                && db.Set<StaffDuty>().Any(d => d.StaffId == s.Id && d.OnDuty))
            .OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(ct);
        if (candidates.Count == 0)
        {
            return null;
        }

        long chosen;
        switch (settings.Mode)
        {
            case AssignmentMode.RoundRobin:
                var last = settings.LastAssignedStaffId ?? 0;
                chosen = candidates.FirstOrDefault(id => id > last, candidates[0]);
                break;
            case AssignmentMode.LeastLoaded:
                var loads = await db.Set<Case>()
                    .Where(c => c.AssigneeId != null && candidates.Contains(c.AssigneeId.Value)
                        && (c.Status == CaseStatus.Submitted || c.Status == CaseStatus.UnderReview || c.Status == CaseStatus.InProgress))
                    .GroupBy(c => c.AssigneeId!.Value).Select(g => new { StaffId = g.Key, Count = g.Count() })
                    .ToDictionaryAsync(x => x.StaffId, x => x.Count, ct);
                chosen = candidates.OrderBy(id => loads.GetValueOrDefault(id)).ThenBy(id => id).First();
                break;
            case AssignmentMode.Manual:
            default:
                return null;
        }

        settings.LastAssignedStaffId = chosen;
        return (chosen, settings.Mode);
    }

    // ----- lifecycle -----

    /// <summary>Moves the case through its lifecycle; refused with <see cref="IllegalTransitionError"/> when the action does not apply now.</summary>
    public async Task<Outcome<CaseDetail>> TransitionAsync(long id, CaseTransitionRequest r, CancellationToken ct = default)
    {
        var loaded = await LoadForChangeAsync(id, null, viewer => !viewer.CanWork, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (v, c) = loaded.Value;

        if (r.Action is not { } action || !CaseLifecycle.IsTransition(action))
        {
            return Invalid("action", $"Use one of: {string.Join(", ", CaseLifecycle.Transitions)}. 请使用以上操作之一。");
        }

        if (c.Version != r.Version)
        {
            return Problems.StaleVersion();
        }

        var now = time.GetUtcNow();
        var target = CaseLifecycle.Target(c.Status, c.Waiting, action);
        if (target is null)
        {
            return Illegal(c, v, action, now, $"{action} is not possible from {c.Status}.");
        }

        if (action == CaseAction.Reopen && !CaseLifecycle.WithinReopenWindow(c, now, Options.ReopenWindowDays))
        {
            return Illegal(c, v, action, now, $"The reopen window of {Options.ReopenWindowDays.ToString(CultureInfo.InvariantCulture)} days has passed. 已超过 {Options.ReopenWindowDays.ToString(CultureInfo.InvariantCulture)} 天的重开期限。");
        }

        var reason = string.IsNullOrWhiteSpace(r.Reason) ? null : r.Reason.Trim();
        if (reason is { Length: > 2000 })
        {
            return Invalid("reason", "At most 2000 characters. 最多 2000 字。");
        }

        if (action == CaseAction.Cancel)
        {
            if (r.CancelReason is null)
            {
                return Invalid("cancelReason", "Say why: Duplicate, Withdrawn or Other. 请选择取消原因：重复、撤回或其他。");
            }

            if (r.CancelReason == CaseCancelReason.Other && reason is null)
            {
                return Invalid("reason", "Describe the reason. 请说明原因。");
            }
        }

        if (action == CaseAction.Reopen && reason is null)
        {
            return Invalid("reason", "Say why the case is reopened. 请说明重开原因。");
        }

        var change = Apply(c, target.Value, action, now);
        if (action == CaseAction.Cancel)
        {
            c.CancelReason = r.CancelReason;
        }

        var (code, parameters) = action == CaseAction.Cancel
            ? (CaseEventText.Cancelled, new Dictionary<string, string> { ["cancelReason"] = r.CancelReason!.Value.ToString() })
            : change.FromWaiting != change.ToWaiting
                ? (CaseEventText.Waiting, new Dictionary<string, string> { ["fromWaiting"] = change.FromWaiting.ToString(), ["toWaiting"] = change.ToWaiting.ToString() })
                : ((string?)null, (Dictionary<string, string>?)null);
        AddEvent(c, new CaseActor(v.StaffId, v.Name), CaseEventType.Transitioned, now, action, change.From, change.To, reason,
            action == CaseAction.Cancel ? r.CancelReason.ToString() : WaitingDetail(change), code, parameters);
        foreach (var observer in observers)
        {
            await observer.OnTransitionedAsync(c, change, ct);
        }

        return await SaveAndDetailAsync(c, v, reindex: false, ct);
    }

    private static CaseTransition Apply(Case c, (CaseStatus Status, CaseWaiting Waiting) target, CaseAction action, DateTimeOffset now)
    {
        var change = new CaseTransition(c.Status, c.Waiting, target.Status, target.Waiting, action, now);
        c.Status = target.Status;
        c.Waiting = target.Waiting;
        switch (action)
        {
            case CaseAction.Resolve:
                c.ResolvedAt = now;
                break;
            case CaseAction.Close:
            case CaseAction.Cancel:
                c.ClosedAt = now;
                break;
            case CaseAction.Reopen:
                c.ResolvedAt = null;
                c.ClosedAt = null;
                break;
            default:
                break;
        }

        return change;
    }

    private static string? WaitingDetail(CaseTransition change) =>
        change.FromWaiting != change.ToWaiting ? $"{change.FromWaiting} → {change.ToWaiting}" : null;

    /// <summary>What this person may do to this case now (what the pages show as buttons).</summary>
    public IReadOnlyList<CaseAction> AllowedActions(Case c, CaseViewer v, DateTimeOffset now)
    {
        var allowed = new List<CaseAction>();
        if (v.CanWork)
        {
            foreach (var action in CaseLifecycle.Transitions)
            {
                if (CaseLifecycle.Target(c.Status, c.Waiting, action) is not null
                    && (action != CaseAction.Reopen || CaseLifecycle.WithinReopenWindow(c, now, Options.ReopenWindowDays)))
                {
                    allowed.Add(action);
                }
            }

            if (!CaseLifecycle.IsFinal(c.Status))
            {
                allowed.Add(CaseAction.Reply);
            }

            allowed.Add(CaseAction.Note);
            if (!CaseLifecycle.IsFinal(c.Status))
            {
                allowed.Add(CaseAction.Attach);
            }

            if (CaseLifecycle.IsOpen(c.Status) && c.AssigneeId is null)
            {
                allowed.Add(CaseAction.Pick);
            }

            if (CaseLifecycle.IsOpen(c.Status) && c.AssigneeId is not null && c.AssigneeId == v.StaffId)
            {
                allowed.Add(CaseAction.Release);
            }

            if (!CaseLifecycle.IsFinal(c.Status))
            {
                allowed.Add(CaseAction.Reclassify);
            }

            allowed.Add(CaseAction.Link);
            if (CaseLifecycle.IsOpen(c.Status))
            {
                allowed.Add(CaseAction.Merge);
            }
        }

        if (v.CanAssign && !CaseLifecycle.IsFinal(c.Status))
        {
            allowed.Add(CaseAction.Assign);
            allowed.Add(CaseAction.OverridePriority);
        }

        return allowed;
    }

    private IllegalTransitionError Illegal(Case c, CaseViewer v, CaseAction action, DateTimeOffset now, string why) =>
        new(c.Status, c.Waiting, action, AllowedActions(c, v, now), why);

    // ----- conversation -----

    /// <summary>A public reply (shown to the customer) or an internal note. Replies are refused on closed and cancelled cases.</summary>
    public async Task<Outcome<CaseMessageDto>> AddMessageAsync(long id, MessageVisibility visibility, CaseMessageRequest r, CancellationToken ct = default)
    {
        var loaded = await LoadForChangeAsync(id, null, viewer => !viewer.CanWork, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (v, c) = loaded.Value;

        var now = time.GetUtcNow();
        var action = visibility == MessageVisibility.Public ? CaseAction.Reply : CaseAction.Note;
        if (!AllowedActions(c, v, now).Contains(action))
        {
            return Illegal(c, v, action, now, "Replies need an open or resolved case.");
        }

        var errors = new Dictionary<string, string[]>();
        var body = Text(errors, "body", r.Body, 20000, "Text 内容");
        if (errors.Count > 0)
        {
            return new InvalidError("invalid-message", "The message has errors 消息有误", "Correct the fields listed. 请修改所列字段。", errors);
        }

        var message = new CaseMessage { CaseId = c.Id, Visibility = visibility, Body = body!, AuthorId = v.StaffId, AuthorName = v.Name, CreatedAt = now };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Add(message);
        await db.SaveChangesAsync(ct);

        // The event names its message, so that pages show the right text beside it (never "the k-th reply event is the k-th reply").
        AddEvent(c, new CaseActor(v.StaffId, v.Name), visibility == MessageVisibility.Public ? CaseEventType.ReplyAdded : CaseEventType.NoteAdded, now, action,
            messageId: message.Id);
        if (visibility == MessageVisibility.Public)
        {
            foreach (var observer in observers)
            {
                await observer.OnRepliedAsync(c, now, ct);
            }
        }

        await db.SaveChangesAsync(ct);
        await search.ReindexAsync(c.Id, ct);
        await transaction.CommitAsync(ct);
        return new CaseMessageDto(message.Id, message.Visibility, message.Body, message.AuthorId, message.AuthorName, message.CreatedAt);
    }

    /// <summary>
    /// Stores an attachment: at most <see cref="CaseOptions.MaxAttachmentBytes"/> (else 413), of an
    /// accepted kind detected from the bytes (else 415), under a sanitised name.
    /// </summary>
    public async Task<Outcome<CaseAttachmentDto>> AddAttachmentAsync(long id, string? fileName, Stream content, long? declaredLength, CancellationToken ct = default)
    {
        var loaded = await LoadForChangeAsync(id, null, viewer => !viewer.CanWork, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (v, c) = loaded.Value;

        var now = time.GetUtcNow();
        if (!AllowedActions(c, v, now).Contains(CaseAction.Attach))
        {
            return Illegal(c, v, CaseAction.Attach, now, "Files can be added to cases that are not closed or cancelled.");
        }

        var max = Options.MaxAttachmentBytes;
        if (declaredLength > max)
        {
            return new CaseTooLargeError(max);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > max)
            {
                return new CaseTooLargeError(max);
            }
        }

        if (buffer.Length == 0)
        {
            return Invalid("file", "The file is empty. 文件为空。");
        }

        var data = buffer.ToArray();
        var contentType = AttachmentRules.DetectContentType(data);
        if (contentType is null)
        {
            return new UnsupportedFileError();
        }

        var name = AttachmentRules.SanitizeFileName(fileName);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var blob = new AttachmentBlob { Data = data };
        db.Add(blob);
        await db.SaveChangesAsync(ct);
        var attachment = new CaseAttachment
        {
            CaseId = c.Id,
            FileName = name,
            ContentType = contentType,
            Size = data.Length,
            Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)),
            BlobId = blob.Id,
            UploadedById = v.StaffId,
            UploadedByName = v.Name,
            CreatedAt = now,
        };
        db.Add(attachment);
        AddEvent(c, new CaseActor(v.StaffId, v.Name), CaseEventType.AttachmentAdded, now, CaseAction.Attach, detail: name,
            code: CaseEventText.Attachment, parameters: new() { ["file"] = name });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return ToDto(attachment);
    }

    public async Task<Outcome<AttachmentContent>> GetAttachmentAsync(long caseId, long attachmentId, CancellationToken ct = default)
    {
        var v = await ViewerAsync(ct);
        if (!await Visible(v).AnyAsync(x => x.Id == caseId, ct))
        {
            return NotFound();
        }

        var found = await db.Set<CaseAttachment>().AsNoTracking().Where(a => a.Id == attachmentId && a.CaseId == caseId)
            .Join(db.Set<AttachmentBlob>(), a => a.BlobId, b => b.Id, (a, b) => new AttachmentContent(a.FileName, a.ContentType, b.Data))
            .SingleOrDefaultAsync(ct);
        return found is null ? new NotFoundError("attachment-not-found", "No such attachment 附件不存在", "The case has no such attachment. 该案件没有此附件。") : found;
    }

    // ----- assignment -----

    /// <summary>Takes an unassigned open case for oneself. Of two people picking at once one wins; the other gets 409.</summary>
    public async Task<Outcome<CaseDetail>> PickAsync(long id, CancellationToken ct = default)
    {
        var loaded = await LoadForChangeAsync(id, null, viewer => !viewer.CanWork || viewer.StaffId is null, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (v, c) = loaded.Value;

        var now = time.GetUtcNow();
        if (c.AssigneeId is not null)
        {
            return AlreadyAssigned();
        }

        if (!CaseLifecycle.IsOpen(c.Status))
        {
            return Illegal(c, v, CaseAction.Pick, now, "Only open cases are picked from a queue.");
        }

        c.AssigneeId = v.StaffId;
        AddEvent(c, new CaseActor(v.StaffId, v.Name), CaseEventType.Assigned, now, CaseAction.Pick, detail: $"→ {v.Name}",
            code: CaseEventText.Assigned, parameters: new() { ["staff"] = v.Name });
        var saved = await SaveAndDetailAsync(c, v, reindex: false, ct);
        return saved.Error is ConflictError { Code: "stale-version" } ? AlreadyAssigned() : saved;
    }

    /// <summary>Hands the case to a team and/or a person (needs CasesAssign). A reason is required to take it from someone.</summary>
    public async Task<Outcome<CaseDetail>> AssignAsync(long id, CaseAssignRequest r, CancellationToken ct = default)
    {
        var loaded = await LoadForChangeAsync(id, r.Version, viewer => !viewer.CanAssign, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (v, c) = loaded.Value;

        var now = time.GetUtcNow();
        if (CaseLifecycle.IsFinal(c.Status))
        {
            return Illegal(c, v, CaseAction.Assign, now, "Closed and cancelled cases are not assigned.");
        }

        var teamId = r.TeamId ?? c.TeamId;
        if (r.TeamId is { } newTeam && !await db.Set<Team>().AnyAsync(t => t.Id == newTeam && t.IsActive && t.BranchId == c.BranchId, ct))
        {
            return Invalid("teamId", "Choose an active team of the case's branch. 请选择本机构的有效团队。");
        }

        if (r.StaffId is { } staffId && !await CanWorkInBranchAsync(staffId, c.BranchId, ct))
        {
            return Invalid("staffId", "The assignee must be active staff of the case's branch. 处理人须为本机构在职员工。");
        }

        var reason = string.IsNullOrWhiteSpace(r.Reason) ? null : r.Reason.Trim();
        if (reason is null && (c.AssigneeId is not null || (c.TeamId is not null && c.TeamId != teamId)))
        {
            return Invalid("reason", "Say why the case is reassigned. 请说明改派原因。");
        }

        if (r.StaffId is null && r.TeamId is null)
        {
            return Invalid("staffId", "Name a team, a person or both. 请指定团队或处理人。");
        }

        c.TeamId = teamId;
        c.AssigneeId = r.StaffId;
        var who = r.StaffId is { } s ? await StaffNameAsync(s, ct) : "—";
        var teamName = teamId is { } t2 ? await db.Set<Team>().Where(t => t.Id == t2).Select(t => t.Name).SingleAsync(ct) : "—";
        AddEvent(c, new CaseActor(v.StaffId, v.Name), CaseEventType.Assigned, now, CaseAction.Assign, reason: reason, detail: $"→ {teamName} / {who}",
            code: CaseEventText.AssignedTeam, parameters: new() { ["team"] = teamName, ["staff"] = who });
        return await SaveAndDetailAsync(c, v, reindex: false, ct);
    }

    /// <summary>Gives one's own case back to the team queue.</summary>
    public async Task<Outcome<CaseDetail>> ReleaseAsync(long id, CaseReleaseRequest r, CancellationToken ct = default)
    {
        var v = await ViewerAsync(ct);
        var c = await Visible(v).SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null)
        {
            return NotFound();
        }

        if (c.Version != r.Version)
        {
            return Problems.StaleVersion();
        }

        var now = time.GetUtcNow();
        if (!AllowedActions(c, v, now).Contains(CaseAction.Release))
        {
            return Illegal(c, v, CaseAction.Release, now, "Only the assignee releases an open case.");
        }

        c.AssigneeId = null;
        AddEvent(c, new CaseActor(v.StaffId, v.Name), CaseEventType.Assigned, now, CaseAction.Release, reason: r.Reason?.Trim(), detail: "→ queue 队列",
            code: CaseEventText.Released);
        return await SaveAndDetailAsync(c, v, reindex: false, ct);
    }

    // ----- priority and kind -----

    /// <summary>Sets the priority by hand (needs CasesAssign and a reason); the rules no longer change it.</summary>
    public async Task<Outcome<CaseDetail>> OverridePriorityAsync(long id, CasePriorityRequest r, CancellationToken ct = default)
    {
        var loaded = await LoadForChangeAsync(id, r.Version, viewer => !viewer.CanAssign, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (v, c) = loaded.Value;

        if (r.Priority is not { } priority)
        {
            return Invalid("priority", "Choose a priority. 请选择优先级。");
        }

        if (string.IsNullOrWhiteSpace(r.Reason))
        {
            return Invalid("reason", "Say why the priority changes. 请说明调整原因。");
        }

        var now = time.GetUtcNow();
        if (CaseLifecycle.IsFinal(c.Status))
        {
            return Illegal(c, v, CaseAction.OverridePriority, now, "Closed and cancelled cases keep their priority.");
        }

        var old = c.Priority;
        c.Priority = priority;
        c.PriorityOverridden = true;
        AddEvent(c, new CaseActor(v.StaffId, v.Name), CaseEventType.PriorityChanged, now, CaseAction.OverridePriority, reason: r.Reason.Trim(), detail: $"{old} → {priority}",
            code: CaseEventText.Priority, parameters: new() { ["fromPriority"] = old.ToString(), ["toPriority"] = priority.ToString() });
        foreach (var observer in observers)
        {
            await observer.OnRetargetedAsync(c, c.Kind, old, ct);
        }

        return await SaveAndDetailAsync(c, v, reindex: false, ct);
    }

    /// <summary>Changes the kind (with a reason); the priority is worked out again unless it was overridden.</summary>
    public async Task<Outcome<CaseDetail>> ReclassifyAsync(long id, CaseReclassifyRequest r, CancellationToken ct = default)
    {
        var loaded = await LoadForChangeAsync(id, r.Version, viewer => !viewer.CanWork, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (v, c) = loaded.Value;

        if (r.Kind is not { } kind)
        {
            return Invalid("kind", "Choose the kind. 请选择类型。");
        }

        if (string.IsNullOrWhiteSpace(r.Reason))
        {
            return Invalid("reason", "Say why the kind changes. 请说明原因。");
        }

        var now = time.GetUtcNow();
        if (CaseLifecycle.IsFinal(c.Status))
        {
            return Illegal(c, v, CaseAction.Reclassify, now, "Closed and cancelled cases keep their kind.");
        }

        var (oldKind, oldPriority) = (c.Kind, c.Priority);
        c.Kind = kind;
        if (!c.PriorityOverridden)
        {
            var tier = c.CustomerId is { } cid ? await db.Set<Customer>().Where(x => x.Id == cid).Select(x => (CustomerTier?)x.Tier).SingleAsync(ct) : null;
            c.Priority = PriorityRules.Evaluate(await db.Set<PriorityRule>().AsNoTracking().ToListAsync(ct), kind, tier, c.Subject, c.Description);
        }

        AddEvent(c, new CaseActor(v.StaffId, v.Name), CaseEventType.Reclassified, now, CaseAction.Reclassify, reason: r.Reason.Trim(),
            detail: $"{oldKind} → {kind} · {oldPriority} → {c.Priority}", code: CaseEventText.Reclassified, parameters: new()
            {
                ["fromKind"] = oldKind.ToString(), ["toKind"] = kind.ToString(), ["fromPriority"] = oldPriority.ToString(), ["toPriority"] = c.Priority.ToString(),
            });
        foreach (var observer in observers)
        {
            await observer.OnRetargetedAsync(c, oldKind, oldPriority, ct);
        }

        return await SaveAndDetailAsync(c, v, reindex: false, ct);
    }

    // ----- related cases -----

    /// <summary>Records that two cases are related; both timelines show it.</summary>
    public async Task<Outcome<CaseDetail>> LinkAsync(long id, CaseLinkRequest r, CancellationToken ct = default)
    {
        var v = await ViewerAsync(ct);
        var c = await Visible(v).SingleOrDefaultAsync(x => x.Id == id, ct);
        var other = await Visible(v).SingleOrDefaultAsync(x => x.Id == r.RelatedCaseId, ct);
        if (c is null)
        {
            return NotFound();
        }

        if (!v.CanWork)
        {
            return Forbidden();
        }

        if (other is null || other.Id == c.Id)
        {
            return Invalid("relatedCaseId", "Choose another case you can see. 请选择您可见的另一个案件。");
        }

        var (low, high) = c.Id < other.Id ? (c.Id, other.Id) : (other.Id, c.Id);
        if (await db.Set<CaseLink>().AnyAsync(l => l.CaseId == low && l.RelatedCaseId == high, ct))
        {
            return await DetailAsync(c, v, ct);
        }

        var now = time.GetUtcNow();
        var actor = new CaseActor(v.StaffId, v.Name);
        db.Add(new CaseLink { CaseId = low, RelatedCaseId = high, CreatedById = v.StaffId, CreatedAt = now });
        AddEvent(c, actor, CaseEventType.Linked, now, CaseAction.Link, detail: other.Reference, code: CaseEventText.Linked, parameters: new() { ["reference"] = other.Reference });
        AddEvent(other, actor, CaseEventType.Linked, now, CaseAction.Link, detail: c.Reference, code: CaseEventText.Linked, parameters: new() { ["reference"] = c.Reference });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same link made at the same moment by someone else: it exists, which is what was asked.
            db.ChangeTracker.Clear();
            c = await Visible(v).SingleAsync(x => x.Id == id, ct);
        }

        return await DetailAsync(c, v, ct);
    }

    /// <summary>
    /// Merges this case (a duplicate) into another: it is cancelled as Duplicate and points at the
    /// other; the cases are linked, and both timelines keep their history and record the merge.
    /// </summary>
    public async Task<Outcome<CaseDetail>> MergeAsync(long id, CaseMergeRequest r, CancellationToken ct = default)
    {
        var v = await ViewerAsync(ct);
        var duplicate = await Visible(v).SingleOrDefaultAsync(x => x.Id == id, ct);
        if (duplicate is null)
        {
            return NotFound();
        }

        if (!v.CanWork)
        {
            return Forbidden();
        }

        if (duplicate.Version != r.Version)
        {
            return Problems.StaleVersion();
        }

        var into = await Visible(v).SingleOrDefaultAsync(x => x.Id == r.IntoCaseId, ct);
        if (into is null || into.Id == duplicate.Id || into.Status == CaseStatus.Cancelled)
        {
            return Invalid("intoCaseId", "Choose another case you can see that is not cancelled. 请选择您可见且未取消的另一个案件。");
        }

        var now = time.GetUtcNow();
        if (!CaseLifecycle.IsOpen(duplicate.Status))
        {
            return Illegal(duplicate, v, CaseAction.Merge, now, "Only an open case can be merged into another.");
        }

        var reason = string.IsNullOrWhiteSpace(r.Reason) ? null : r.Reason.Trim();
        var actor = new CaseActor(v.StaffId, v.Name);
        var change = Apply(duplicate, (CaseStatus.Cancelled, CaseWaiting.None), CaseAction.Merge, now);
        duplicate.ClosedAt = now;
        duplicate.CancelReason = CaseCancelReason.Duplicate;
        duplicate.MergedIntoId = into.Id;
        AddEvent(duplicate, actor, CaseEventType.MergedInto, now, CaseAction.Merge, change.From, change.To, reason, $"→ {into.Reference}",
            CaseEventText.MergedInto, new() { ["reference"] = into.Reference });
        AddEvent(into, actor, CaseEventType.MergedFrom, now, CaseAction.Merge, reason: reason, detail: $"← {duplicate.Reference}",
            code: CaseEventText.MergedFrom, parameters: new() { ["reference"] = duplicate.Reference });
        var (low, high) = duplicate.Id < into.Id ? (duplicate.Id, into.Id) : (into.Id, duplicate.Id);
        if (!await db.Set<CaseLink>().AnyAsync(l => l.CaseId == low && l.RelatedCaseId == high, ct))
        {
            db.Add(new CaseLink { CaseId = low, RelatedCaseId = high, CreatedById = v.StaffId, CreatedAt = now });
        }

        // The surviving case counts as changed too, so that a concurrent edit of it based on the old version is refused.
        db.Entry(into).Property(x => x.Version).IsModified = true;
        foreach (var observer in observers)
        {
            await observer.OnTransitionedAsync(duplicate, change, ct);
        }

        return await SaveAndDetailAsync(duplicate, v, reindex: false, ct);
    }

    // ----- helpers -----

    /// <summary>Cases this person may see: all, or those of their branches, their team and their own.</summary>
    public IQueryable<Case> Visible(CaseViewer v, IQueryable<Case>? source = null)
    {
        var query = source ?? db.Set<Case>();
        if (v.AllBranches)
        {
            return query;
        }

        var branches = v.BranchIds.ToList();
        var team = v.TeamId;
        var me = v.StaffId;
        return query.Where(c => branches.Contains(c.BranchId) || (team != null && c.TeamId == team) || (me != null && c.AssigneeId == me));
    }

    private async Task<Outcome<CaseDetail>> SaveAndDetailAsync(Case c, CaseViewer v, bool reindex, CancellationToken ct)
    {
        try
        {
            await using var transaction = reindex ? await db.Database.BeginTransactionAsync(ct) : null;
            await db.SaveChangesAsync(ct);
            if (reindex)
            {
                await search.ReindexAsync(c.Id, ct);
                await transaction!.CommitAsync(ct);
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return Problems.StaleVersion();
        }

        return await DetailAsync(c, v, ct);
    }

    private void AddEvent(Case c, CaseActor actor, CaseEventType type, DateTimeOffset at, CaseAction? action = null,
        CaseStatus? from = null, CaseStatus? to = null, string? reason = null, string? detail = null,
        string? code = null, Dictionary<string, string>? parameters = null, long? messageId = null) =>
        db.Add(new CaseEvent
        {
            CaseId = c.Id,
            OccurredAt = at,
            ActorId = actor.Id,
            ActorName = actor.Name,
            Type = type,
            Action = action,
            FromStatus = from,
            ToStatus = to,
            Reason = reason,
            Detail = detail is { Length: > 400 } ? detail[..400] : detail,
            DetailCode = code,
            DetailParameters = CaseEventText.Serialize(parameters),
            MessageId = messageId,
        });

    private async Task<bool> CanWorkInBranchAsync(long staffId, long branchId, CancellationToken ct) =>
        await db.Set<Staff>().AnyAsync(s => s.Id == staffId && s.IsActive
            && (s.HomeBranchId == branchId || s.ExtraBranches.Any(b => b.BranchId == branchId))
            && s.Roles.Any(role => WorkRoles.Contains(role.Role)), ct);

    private async Task<string> StaffNameAsync(long staffId, CancellationToken ct) =>
        await db.Set<Staff>().Where(s => s.Id == staffId).Select(s => s.DisplayName).SingleOrDefaultAsync(ct) ?? "?";

    private static string? Text(Dictionary<string, string[]> errors, string field, string? value, int max, string label)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            errors[field] = [$"{label}: required. 必填。"];
            return null;
        }

        if (text.Length > max)
        {
            errors[field] = [$"{label}: at most {max.ToString(CultureInfo.InvariantCulture)} characters. 最多 {max.ToString(CultureInfo.InvariantCulture)} 字。"];
            return null;
        }

        return text;
    }

    private static List<string> Tags(Dictionary<string, string[]> errors, IReadOnlyList<string>? tags)
    {
        var clean = (tags ?? []).Select(t => (t ?? "").Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (clean.Count > 10 || clean.Any(t => t.Length > 40 || t.Contains(',', StringComparison.Ordinal)))
        {
            errors["tags"] = ["At most 10 tags of at most 40 characters, without commas. 最多 10 个标签，每个不超过 40 字，不含逗号。"];
        }

        return clean;
    }

    internal static NotFoundError NotFound() => new("case-not-found", "No such case 案件不存在",
        "The case does not exist or is outside your scope. 案件不存在或不在您的权限范围内。");

    /// <summary>
    /// The start of every change to one case: the case must be visible to the viewer (else 404, so
    /// that cases of other branches do not reveal themselves), <paramref name="refuse"/> must not
    /// hold for the viewer (else 403), and when <paramref name="version"/> is given it must be the
    /// case's current version (else 409, nothing changed).
    /// </summary>
    private async Task<Outcome<(CaseViewer Viewer, Case Case)>> LoadForChangeAsync(long id, int? version, Func<CaseViewer, bool> refuse, CancellationToken ct)
    {
        var viewer = await ViewerAsync(ct);
        var c = await Visible(viewer).SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null)
        {
            return NotFound();
        }

        if (refuse(viewer))
        {
            return Forbidden();
        }

        if (version is { } expected && c.Version != expected)
        {
            return Problems.StaleVersion();
        }

        return (viewer, c);
    }

    private static ForbiddenError Forbidden() => new("forbidden", "You may not do this 无权执行此操作",
        "Your roles do not allow this action on cases. 您的角色不允许对案件执行此操作。");

    private static ConflictError AlreadyAssigned() => new("already-assigned", "Someone else has taken this case 案件已被他人领取",
        "The case is no longer in the queue. Reload to see who has it. 案件已不在队列中，请刷新查看处理人。");

    private static InvalidError Invalid(string field, string message) =>
        new("invalid-request", "The request has errors 请求有误", message, new Dictionary<string, string[]> { [field] = [message] });
}
