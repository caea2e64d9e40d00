using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Platform.Identity;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Features.Cases;

public sealed partial class CaseService
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;

    /// <summary>One case with its timeline, messages, attachments, links and the caller's allowed actions; 404 outside scope.</summary>
    public async Task<Outcome<CaseDetail>> GetAsync(long id, CancellationToken ct = default)
    {
        var v = await ViewerAsync(ct);
        var c = await Visible(v).AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct);
        return c is null ? NotFound() : await DetailAsync(c, v, ct);
    }

    public async Task<Outcome<CaseDetail>> GetByReferenceAsync(string reference, CancellationToken ct = default)
    {
        var v = await ViewerAsync(ct);
        var normalized = (reference ?? "").Trim().ToUpperInvariant();
        var c = await Visible(v).AsNoTracking().SingleOrDefaultAsync(x => x.Reference == normalized, ct);
        return c is null ? NotFound() : await DetailAsync(c, v, ct);
    }

    /// <summary>A page of the cases the caller may see, filtered, searched and sorted; the cursor is opaque.</summary>
    public async Task<Outcome<CasePage>> ListAsync(CaseListQuery query, CancellationToken ct = default)
    {
        var v = await ViewerAsync(ct);
        var limit = Math.Clamp(query.Limit ?? DefaultPageSize, 1, MaxPageSize);
        // A search without an explicit sort lists the newest matches first (docs/decisions/0013): most matches of a
        // search are closed history without a deadline, which "due" would list oldest first.
        var newest = string.Equals(query.Sort, "newest", StringComparison.OrdinalIgnoreCase)
            || (string.IsNullOrEmpty(query.Sort) && !string.IsNullOrWhiteSpace(query.Q));
        if (query.Sort is { Length: > 0 } sort && !newest && !string.Equals(sort, "due", StringComparison.OrdinalIgnoreCase))
        {
            return Invalid("sort", "Sort by 'due' or 'newest'. 排序方式为 due 或 newest。");
        }

        var source = db.Set<Case>().AsQueryable();
        (DateTimeOffset? Due, long Id)? position = null;
        if (query.Cursor is { Length: > 0 } cursor)
        {
            position = Cursor.Decode(cursor, newest);
            if (position is not { } after)
            {
                return Invalid("cursor", "Use the nextCursor of the previous page with the same sort. 请使用同一排序下上一页返回的 nextCursor。");
            }

            source = newest ? source.Where(c => c.Id < after.Id) : AfterByDue(after.Due, after.Id);
        }

        List<ListRow> rows;
        if (newest && !string.IsNullOrWhiteSpace(query.Q))
        {
            var found = await NewestMatchesAsync(v, query, source, position?.Id, limit + 1, ct);
            if (!found.Succeeded)
            {
                return found.Error!;
            }

            rows = found.Value!;
        }
        else
        {
            var filtered = Filter(v, query, source);
            if (!filtered.Succeeded)
            {
                return filtered.Error!;
            }

            rows = await RowsAsync(filtered.Value!, newest, limit + 1, ct);
        }

        var reveal = user.Can(Permission.PersonalDataReveal);
        var page = rows.Take(limit).Select(r => ToSummary(r.Case) with
        {
            CustomerName = (r.Customer ?? r.Case.ContactName) is { } name ? CaseDisplay.Name(name, reveal) : null,
            TeamName = r.TeamName,
            TeamNameEn = r.TeamNameEn,
            AssigneeName = r.Assignee,
            BranchTimeZone = r.Zone,
        }).ToList();
        string? next = null;
        if (rows.Count > limit)
        {
            var last = rows[limit - 1].Case;
            next = Cursor.Encode(newest, last.DueAt, last.Id);
        }

        return new CasePage(page, next);
    }

    /// <summary>
    /// How many cases the caller may see match the filters (cursor, sort and limit ignored), counted up to
    /// <see cref="CaseOptions.CountCap"/>: a count reads at most that many index entries, however long the history
    /// (a team's closed cases grow without end). Above the cap the answer is the cap with <c>Capped</c> set.
    /// </summary>
    public async Task<Outcome<CaseCount>> CountAsync(CaseListQuery query, CancellationToken ct = default)
    {
        var v = await ViewerAsync(ct);
        var filtered = Filter(v, query);
        if (!filtered.Succeeded)
        {
            return filtered.Error!;
        }

        var cap = Options.CountCap;
        var counted = await filtered.Value!.Take(cap + 1).CountAsync(ct);
        return counted > cap ? new CaseCount(cap, Capped: true) : new CaseCount(counted);
    }

    private sealed record ListRow(Case Case, string? Customer, string? TeamName, string? TeamNameEn, string? Assignee, string? Zone);

    /// <summary>The first <paramref name="take"/> of <paramref name="cases"/> in the list's order, with the names a list row shows.</summary>
    private Task<List<ListRow>> RowsAsync(IQueryable<Case> cases, bool newest, int take, CancellationToken ct)
    {
        cases = newest
            ? cases.OrderByDescending(c => c.Id)
            : cases.OrderBy(c => c.DueAt == null ? 1 : 0).ThenBy(c => c.DueAt).ThenBy(c => c.Id);
        return cases.AsNoTracking().Take(take)
            .Select(c => new ListRow(
                c,
                db.Set<Customer>().Where(x => x.Id == c.CustomerId).Select(x => x.Name).FirstOrDefault(),
                db.Set<Team>().Where(t => t.Id == c.TeamId).Select(t => t.Name).FirstOrDefault(),
                db.Set<Team>().Where(t => t.Id == c.TeamId).Select(t => t.NameEn).FirstOrDefault(),
                db.Set<Staff>().Where(s => s.Id == c.AssigneeId).Select(s => s.DisplayName).FirstOrDefault(),
                db.Set<Branch>().Where(b => b.Id == c.BranchId).Select(b => b.TimeZone).FirstOrDefault()))
            .ToListAsync(ct);
    }

    /// <summary>Each id window of a newest-first search is this many times wider than the one before (the first is <see cref="CaseOptions.SearchWindow"/>).</summary>
    private const long SearchWindowGrowth = 8;

    /// <summary>
    /// A newest-first search page, read in windows of ids from the newest case backwards (by default the newest 20 000
    /// ids, then the 160 000 before them, …) until <paramref name="take"/> matches are found or the oldest case is passed. Each
    /// window bounds both sides of the match: the cases walked by id and the full-text rows (<see cref="CaseSearchIndex.Matching"/>
    /// with the same id range), so the database either walks at most the window's cases or fetches only the window's
    /// matches from the full-text index. A common word fills the page in the first window; a rare word costs a few windows
    /// whose work is bounded by their matches, instead of probing cases one by one through the whole history.
    /// </summary>
    private async Task<Outcome<List<ListRow>>> NewestMatchesAsync(CaseViewer v, CaseListQuery query, IQueryable<Case> source, long? beforeId, int take,
        CancellationToken ct)
    {
        var upper = beforeId is { } before ? before - 1 : await db.Set<Case>().MaxAsync(c => (long?)c.Id, ct) ?? 0;
        var rows = new List<ListRow>();
        for (var window = Options.SearchWindow; rows.Count < take && upper > 0; window *= SearchWindowGrowth)
        {
            var range = (Above: Math.Max(upper - window, 0), AtMost: upper);
            var filtered = Filter(v, query, source, range);
            if (!filtered.Succeeded)
            {
                return new Outcome<List<ListRow>>(null, filtered.Error);
            }

            rows.AddRange(await RowsAsync(filtered.Value!, newest: true, take - rows.Count, ct));
            upper = range.Above;
        }

        return new Outcome<List<ListRow>>(rows, null);
    }

    /// <summary>
    /// The cases after (<paramref name="due"/>, <paramref name="id"/>) in the list order "deadline, cases without one
    /// last, then id", i.e. the key <c>(CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at, id)</c> of the <c>*_due</c>
    /// indexes (migration 0007). Written as one row-value comparison (or, among the cases without a deadline, equality
    /// on the first two parts and a range on id) so that the index scan starts where the previous page ended instead of
    /// reading and discarding every earlier page. EF Core cannot write row values, hence SQL; the rest of the query
    /// (scope, filters, order, limit) is composed on it, and both databases flatten the subquery.
    /// </summary>
    private IQueryable<Case> AfterByDue(DateTimeOffset? due, long id)
    {
        if (due is null)
        {
            return db.Set<Case>().FromSql($"SELECT * FROM cases WHERE (CASE WHEN due_at IS NULL THEN 1 ELSE 0 END) = 1 AND due_at IS NULL AND id > {id}");
        }

        // SQLite stores instants as UTC ticks (StewardDbContext's converter); PostgreSQL as timestamptz.
        object at = db.IsPostgres ? due.Value.ToUniversalTime() : due.Value.UtcTicks;
        return db.Set<Case>().FromSql($"SELECT * FROM cases WHERE ((CASE WHEN due_at IS NULL THEN 1 ELSE 0 END), due_at, id) > (0, {at}, {id})");
    }

    /// <summary>The visible cases matching the filters; with <paramref name="ids"/> only ids in (Above, AtMost].</summary>
    private Outcome<IQueryable<Case>> Filter(CaseViewer v, CaseListQuery q, IQueryable<Case>? source = null, (long Above, long AtMost)? ids = null)
    {
        var cases = Visible(v, source);
        if (ids is var (above, atMost))
        {
            cases = cases.Where(c => c.Id > above && c.Id <= atMost);
        }

        if (q.Status is { } status)
        {
            cases = cases.Where(c => c.Status == status);
        }

        if (q.Kind is { } kind)
        {
            cases = cases.Where(c => c.Kind == kind);
        }

        if (q.Channel is { } channel)
        {
            cases = cases.Where(c => c.Channel == channel);
        }

        if (q.BranchId is { } branch)
        {
            cases = cases.Where(c => c.BranchId == branch);
        }

        if (q.Priority is { } priority)
        {
            cases = cases.Where(c => c.Priority == priority);
        }

        if (q.TeamId is { } team)
        {
            cases = cases.Where(c => c.TeamId == team);
        }

        switch (q.Assignee?.Trim().ToLowerInvariant())
        {
            case null or "":
                break;
            case "me":
                var me = v.StaffId ?? -1;
                cases = cases.Where(c => c.AssigneeId == me);
                break;
            case "none":
                cases = cases.Where(c => c.AssigneeId == null);
                break;
            case var text when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var staffId):
                cases = cases.Where(c => c.AssigneeId == staffId);
                break;
            default:
                return Invalid("assignee", "Use me, none or a staff id. 请使用 me、none 或员工编号。");
        }

        if (q.DueBefore is { } dueBefore)
        {
            var limit = dueBefore.ToUniversalTime();
            cases = cases.Where(c => c.DueAt != null && c.DueAt < limit);
        }

        if (!string.IsNullOrWhiteSpace(q.Q))
        {
            var matching = search.Matching(q.Q, ids);
            cases = matching is null ? cases.Where(c => false) : cases.Where(c => matching.Contains(c.Id));
        }

        return Outcome(cases);

        static Outcome<IQueryable<Case>> Outcome(IQueryable<Case> value) => new(value, null);
    }

    /// <summary>The detail record for <paramref name="c"/> as <paramref name="v"/> sees it.</summary>
    private async Task<CaseDetail> DetailAsync(Case c, CaseViewer v, CancellationToken ct)
    {
        var id = c.Id;
        var teamName = c.TeamId is { } teamId ? await db.Set<Team>().Where(t => t.Id == teamId).Select(t => t.Name).SingleOrDefaultAsync(ct) : null;
        var assigneeName = c.AssigneeId is { } assignee ? await StaffNameAsync(assignee, ct) : null;
        var customerName = c.CustomerId is { } customerId ? await db.Set<Customer>().Where(x => x.Id == customerId).Select(x => x.Name).SingleOrDefaultAsync(ct) : null;
        var mergedInto = c.MergedIntoId is { } target ? await db.Set<Case>().Where(x => x.Id == target).Select(x => x.Reference).SingleOrDefaultAsync(ct) : null;
        var events = (await db.Set<CaseEvent>().AsNoTracking().Where(e => e.CaseId == id).OrderBy(e => e.Id).ToListAsync(ct))
            .Select(e => new CaseEventDto(e.Id, e.OccurredAt, e.ActorId, e.ActorName, e.Type, e.Action, e.FromStatus, e.ToStatus, e.Reason, e.Detail,
                e.DetailCode, e.DetailCode is null ? null : CaseEventText.Deserialize(e.DetailParameters), e.MessageId))
            .ToList();
        var messages = await db.Set<CaseMessage>().AsNoTracking().Where(m => m.CaseId == id).OrderBy(m => m.Id)
            .Select(m => new CaseMessageDto(m.Id, m.Visibility, m.Body, m.AuthorId, m.AuthorName, m.CreatedAt)).ToListAsync(ct);
        var attachments = (await db.Set<CaseAttachment>().AsNoTracking().Where(a => a.CaseId == id).OrderBy(a => a.Id).ToListAsync(ct)).Select(ToDto).ToList();
        var linkedIds = await db.Set<CaseLink>().Where(l => l.CaseId == id).Select(l => l.RelatedCaseId)
            .Concat(db.Set<CaseLink>().Where(l => l.RelatedCaseId == id).Select(l => l.CaseId)).ToListAsync(ct);
        var links = await Visible(v).AsNoTracking().Where(x => linkedIds.Contains(x.Id)).OrderBy(x => x.Id)
            .Select(x => new CaseLinkDto(x.Id, x.Reference, x.Subject, x.Status)).ToListAsync(ct);
        return Detail(c, v, teamName, assigneeName, customerName, mergedInto, events, messages, attachments, links);
    }

    /// <summary>
    /// The detail of a case this service has just created, from the objects in memory (no queries): its events
    /// are the tracked ones, it has no messages, attachments or links yet.
    /// </summary>
    private CaseDetail CreatedDetail(Case c, CaseViewer v)
    {
        var names = createdNames ?? default;
        var events = db.ChangeTracker.Entries<CaseEvent>().Select(e => e.Entity).Where(e => e.CaseId == c.Id).OrderBy(e => e.Id)
            .Select(e => new CaseEventDto(e.Id, e.OccurredAt, e.ActorId, e.ActorName, e.Type, e.Action, e.FromStatus, e.ToStatus, e.Reason, e.Detail,
                e.DetailCode, e.DetailCode is null ? null : CaseEventText.Deserialize(e.DetailParameters), e.MessageId))
            .ToList();
        return Detail(c, v, names.Team, names.Assignee, names.Customer, null, events, [], [], []);
    }

    private CaseDetail Detail(Case c, CaseViewer v, string? teamName, string? assigneeName, string? customerName, string? mergedInto,
        List<CaseEventDto> events, List<CaseMessageDto> messages, List<CaseAttachmentDto> attachments, List<CaseLinkDto> links)
    {
        var reveal = user.Can(Permission.PersonalDataReveal);
        CaseContactView? contact = c.ContactName is null ? null : new CaseContactView(
            CaseDisplay.Name(c.ContactName, reveal),
            c.ContactPhoneCipher is null ? null : Mask.Phone(protector.Decrypt(c.ContactPhoneCipher)),
            c.ContactEmailCipher is null ? null : Mask.Email(protector.Decrypt(c.ContactEmailCipher)));
        return new CaseDetail(
            c.Id, c.Reference, c.Kind, c.Channel, c.Status, c.Waiting, c.Subject, c.Description, c.Priority, c.PriorityOverridden,
            c.BranchId, c.TeamId, teamName, c.AssigneeId, assigneeName, c.CustomerId, customerName is null ? null : CaseDisplay.Name(customerName, reveal), contact, c.ProductId, c.TagList,
            c.DueAt, c.CreatedAt, c.UpdatedAt, c.ResolvedAt, c.ClosedAt, c.CancelReason, c.MergedIntoId, mergedInto, c.Version,
            AllowedActions(c, v, time.GetUtcNow()), events, messages, attachments, links);
    }

    private static CaseSummary ToSummary(Case c) => new(
        c.Id, c.Reference, c.Kind, c.Channel, c.Status, c.Waiting, c.Subject, c.Priority, c.BranchId, c.TeamId, c.AssigneeId, c.TagList,
        c.DueAt, c.CreatedAt, c.UpdatedAt, c.Version);

    private static CaseAttachmentDto ToDto(CaseAttachment a)
    {
        var (caseId, id) = (a.CaseId.ToString(CultureInfo.InvariantCulture), a.Id.ToString(CultureInfo.InvariantCulture));
        return new(a.Id, a.FileName, a.ContentType, a.Size, a.Sha256, a.UploadedByName, a.CreatedAt,
            $"/api/v1/cases/{caseId}/attachments/{id}", $"/Cases/{caseId}?handler=File&file={id}");
    }

    /// <summary>
    /// The full name, phone and e-mail of the case's customer or contact (needs PersonalDataReveal;
    /// 404 outside scope). The showing is recorded first, in its own audited row, with
    /// <paramref name="purpose"/> naming where it is shown; no record, no data.
    /// </summary>
    public async Task<Outcome<CaseContactDetails>> ContactAsync(long id, string purpose, CancellationToken ct = default)
    {
        var v = await ViewerAsync(ct);
        var c = await Visible(v).AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null)
        {
            return NotFound();
        }

        if (!user.Can(Permission.PersonalDataReveal))
        {
            return new ForbiddenError("forbidden", "You may not see personal data in full 无权查看完整个人信息",
                "Your roles do not include revealing personal data. 您的角色不含查看完整个人信息的权限。");
        }

        string? name = c.ContactName, phone = null, email = null;
        if (c.CustomerId is { } customerId)
        {
            var customer = await db.Set<Customer>().AsNoTracking().SingleAsync(x => x.Id == customerId, ct);
            (name, phone, email) = (customer.Name, protector.Decrypt(customer.PhoneCipher), protector.Decrypt(customer.EmailCipher));
        }
        else
        {
            (phone, email) = (protector.Decrypt(c.ContactPhoneCipher), protector.Decrypt(c.ContactEmailCipher));
        }

        db.Add(new PersonalDataAccess
        {
            OccurredAt = time.GetUtcNow(),
            StaffId = v.StaffId,
            StaffName = v.Name,
            SubjectType = nameof(Case),
            SubjectId = c.Id,
            BranchId = c.BranchId,
            Purpose = purpose.Length > 100 ? purpose[..100] : purpose,
        });
        await db.SaveChangesAsync(ct);
        return new CaseContactDetails(c.Id, c.Reference, c.CustomerId, name, phone, email);
    }

    // ----- team settings, duty, priority rules -----

    public async Task<Outcome<CaseTeamSettingsDto>> TeamSettingsAsync(long teamId, CancellationToken ct = default)
    {
        var v = await ViewerAsync(ct);
        var team = await db.Set<Team>().AsNoTracking().SingleOrDefaultAsync(t => t.Id == teamId, ct);
        if (team is null || !(v.AllBranches || v.BranchIds.Contains(team.BranchId)))
        {
            return new NotFoundError("team-not-found", "No such team 团队不存在", "The team does not exist or is outside your scope. 团队不存在或不在您的权限范围内。");
        }

        var settings = await db.Set<CaseTeamSettings>().AsNoTracking().SingleOrDefaultAsync(s => s.TeamId == teamId, ct);
        return settings is null ? new CaseTeamSettingsDto(teamId, AssignmentMode.Manual, [], 0) : new CaseTeamSettingsDto(teamId, settings.Mode, settings.KindList, settings.Version);
    }

    /// <summary>Which kinds a team receives and how it assigns (needs CasesAssign in the team's branch, or OrganisationManage).</summary>
    public async Task<Outcome<CaseTeamSettingsDto>> SaveTeamSettingsAsync(long teamId, CaseTeamSettingsRequest r, CancellationToken ct = default)
    {
        var v = await ViewerAsync(ct);
        var team = await db.Set<Team>().AsNoTracking().SingleOrDefaultAsync(t => t.Id == teamId, ct);
        if (team is null || !(v.AllBranches || v.BranchIds.Contains(team.BranchId)))
        {
            return new NotFoundError("team-not-found", "No such team 团队不存在", "The team does not exist or is outside your scope. 团队不存在或不在您的权限范围内。");
        }

        if (!v.CanAssign && !user.Can(Permission.OrganisationManage))
        {
            return Forbidden();
        }

        var settings = await db.Set<CaseTeamSettings>().SingleOrDefaultAsync(s => s.TeamId == teamId, ct);
        if ((settings?.Version ?? 0) != (r.Version ?? 0))
        {
            return Problems.StaleVersion();
        }

        if (settings is null)
        {
            settings = new CaseTeamSettings { TeamId = teamId };
            db.Add(settings);
        }

        settings.Mode = r.Mode;
        settings.Kinds = string.Join(',', (r.Kinds ?? []).Distinct().Order());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Problems.StaleVersion();
        }

        return new CaseTeamSettingsDto(teamId, settings.Mode, settings.KindList, settings.Version);
    }

    public async Task<DutyDto> DutyAsync(CancellationToken ct = default)
    {
        var me = user.StaffId ?? 0;
        var duty = await db.Set<StaffDuty>().AsNoTracking().SingleOrDefaultAsync(d => d.StaffId == me, ct);
        return new DutyDto(me, duty?.OnDuty ?? false, duty?.ChangedAt);
    }

    /// <summary>Goes on or off duty: only people on duty receive automatically assigned cases.</summary>
    public async Task<DutyDto> SetDutyAsync(bool onDuty, CancellationToken ct = default)
    {
        var me = user.StaffId ?? throw new InvalidOperationException("Duty needs a signed-in staff member.");
        var duty = await db.Set<StaffDuty>().SingleOrDefaultAsync(d => d.StaffId == me, ct);
        if (duty is null)
        {
            duty = new StaffDuty { StaffId = me };
            db.Add(duty);
        }

        duty.OnDuty = onDuty;
        duty.ChangedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new DutyDto(me, duty.OnDuty, duty.ChangedAt);
    }

    public async Task<IReadOnlyList<PriorityRuleDto>> PriorityRulesAsync(CancellationToken ct = default) =>
        await db.Set<PriorityRule>().AsNoTracking().OrderBy(r => r.Id)
            .Select(r => new PriorityRuleDto(r.Type, r.Kind, r.Tier, r.Keyword, r.Priority, r.Steps, r.IsActive)).ToListAsync(ct);

    /// <summary>Replaces the whole rule set (StandardsManage); applies to cases created or reclassified from now on.</summary>
    public async Task<Outcome<IReadOnlyList<PriorityRuleDto>>> ReplacePriorityRulesAsync(IReadOnlyList<PriorityRuleDto> rules, CancellationToken ct = default)
    {
        if (!user.Can(Permission.StandardsManage))
        {
            return Forbidden();
        }

        var errors = new List<string>();
        foreach (var (rule, i) in (rules ?? []).Select((r, i) => (r, i)))
        {
            var ok = rule.Type switch
            {
                PriorityRuleType.KindMinimum => rule.Kind is not null && rule.Priority is not null,
                PriorityRuleType.TierRaise => rule.Tier is not null && rule.Steps is >= 1 and <= 3,
                PriorityRuleType.KeywordMinimum => !string.IsNullOrWhiteSpace(rule.Keyword) && rule.Keyword.Trim().Length <= 100 && rule.Priority is not null,
            };
            if (!ok)
            {
                errors.Add($"rule {i.ToString(CultureInfo.InvariantCulture)}: KindMinimum needs kind and priority, TierRaise tier and steps 1–3, KeywordMinimum keyword and priority. 规则不完整。");
            }
        }

        if (errors.Count > 0)
        {
            return new InvalidError("invalid-rules", "The rules have errors 规则有误", "Correct the rules listed. 请修改所列规则。", new Dictionary<string, string[]> { ["rules"] = errors.ToArray() });
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.RemoveRange(await db.Set<PriorityRule>().ToListAsync(ct));
        db.AddRange(rules!.Select(r => new PriorityRule
        {
            Type = r.Type,
            Kind = r.Type == PriorityRuleType.KindMinimum ? r.Kind : null,
            Tier = r.Type == PriorityRuleType.TierRaise ? r.Tier : null,
            Keyword = r.Type == PriorityRuleType.KeywordMinimum ? r.Keyword!.Trim() : null,
            Priority = r.Type == PriorityRuleType.TierRaise ? null : r.Priority,
            Steps = r.Type == PriorityRuleType.TierRaise ? r.Steps : 0,
            IsActive = r.IsActive,
        }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new Outcome<IReadOnlyList<PriorityRuleDto>>(await PriorityRulesAsync(ct), null);
    }

    /// <summary>The list cursor: base64url of <c>n:id</c> (newest first) or <c>d:ticks:id</c> / <c>d::id</c> (by due time).</summary>
    private static class Cursor
    {
        public static string Encode(bool newest, DateTimeOffset? due, long id)
        {
            var text = newest
                ? "n:" + id.ToString(CultureInfo.InvariantCulture)
                : "d:" + (due?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "") + ":" + id.ToString(CultureInfo.InvariantCulture);
            return Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }

        public static (DateTimeOffset? Due, long Id)? Decode(string cursor, bool newest)
        {
            try
            {
                var b64 = cursor.Replace('-', '+').Replace('_', '/');
                b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
                var parts = Encoding.UTF8.GetString(Convert.FromBase64String(b64)).Split(':');
                if (newest && parts is ["n", var nid] && long.TryParse(nid, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    return (null, n);
                }

                if (!newest && parts is ["d", var ticks, var did] && long.TryParse(did, NumberStyles.None, CultureInfo.InvariantCulture, out var d))
                {
                    if (ticks.Length == 0)
                    {
                        return (null, d);
                    }

                    return long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t <= DateTimeOffset.MaxValue.UtcTicks
                        ? (new DateTimeOffset(t, TimeSpan.Zero), d)
                        : null;
                }
            }
            catch (FormatException)
            {
                return null;
            }

            return null;
        }
    }
}
