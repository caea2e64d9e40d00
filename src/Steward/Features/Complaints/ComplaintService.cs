using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Steward.Features.Cases;
using Steward.Features.Products;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>
/// Complaint intake, classification and reading. A complaint is the complaint record of one case: it exists for a reader
/// exactly when the case does (<see cref="CaseService.Visible"/>: their branches, their team, their own), and every change
/// needs <see cref="Permission.ComplaintsHandle"/>. Recording a case as a complaint makes the case's kind Complaint
/// (through the case's own reclassification, so the regulatory SLA clocks start as for any complaint) and then writes the
/// record; everything is checked before either is written.
/// </summary>
public sealed class ComplaintService(
    StewardDbContext db, CurrentUser user, CaseService cases, ComplaintDeadlines deadlines, ComplaintTaxonomies taxonomies, ComplaintListFilters listFilters,
    IStringLocalizer<SharedResource> l, TimeProvider time)
{
    public const int MaxAmount = 1_000_000_000;

    public async Task<Outcome<ComplaintDto>> IntakeAsync(ComplaintIntakeRequest r, CancellationToken ct = default)
    {
        if (!user.Can(Permission.ComplaintsHandle))
        {
            return new ComplaintActionForbidden();
        }

        var errors = new Dictionary<string, string[]>();
        var c = r.CaseId is { } caseId ? await VisibleCaseAsync(caseId, ct) : null;
        if (c is null)
        {
            return new ComplaintInvalid(new Dictionary<string, string[]> { ["caseId"] = ["Choose a case of your branches. 请选择您所在机构的案件。"] });
        }

        if (await db.Set<Complaint>().Where(x => x.CaseId == c.Id).Select(x => (long?)x.Id).SingleOrDefaultAsync(ct) is { } existing)
        {
            return new ComplaintAlreadyRecorded(existing);
        }

        if (CaseLifecycle.IsFinal(c.Status))
        {
            errors["caseId"] = ["A closed or cancelled case cannot be recorded as a complaint; reopen it first. 已关闭或已取消的案件不能登记为投诉，请先重开。"];
        }

        var kind = r.ComplainantKind ?? ComplainantKind.Customer;
        if (r.ComplainantKind is null)
        {
            errors["complainantKind"] = ["Say who complains. 请选择投诉人。"];
        }
        else if (kind != ComplainantKind.Customer)
        {
            Text(errors, "representativeName", r.RepresentativeName, 100, required: true);
            Text(errors, "proofNote", r.ProofNote, 1000, required: true,
                missing: "Say what proves the agent's authority or the heir's standing. 请说明代理权限或继承人身份的证明。");
        }

        Text(errors, "whatHappened", r.WhatHappened, 4000, required: true);
        Text(errors, "whatTheyWant", r.WhatTheyWant, 2000, required: true);
        if (r.AmountInDispute is { } amount && !ValidAmount(amount))
        {
            errors["amountInDispute"] = ["An amount of at least 0 with at most 2 decimals. 金额须不小于 0，最多两位小数。"];
        }

        var currency = string.IsNullOrWhiteSpace(r.Currency) ? "CNY" : r.Currency.Trim().ToUpperInvariant();
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            errors["currency"] = ["A three-letter currency code (CNY, GBP …). 请填写三位字母的币种代码。"];
        }

        var productId = r.ProductId ?? c.ProductId;
        if (productId is { } pid && !await db.Set<Product>().AnyAsync(p => p.Id == pid, ct))
        {
            errors["productId"] = ["Choose a product of the catalogue. 请选择产品目录中的产品。"];
        }

        var now = time.GetUtcNow();
        var receivedAt = r.ReceivedAt ?? c.CreatedAt;
        if (receivedAt > now)
        {
            errors["receivedAt"] = ["The complaint cannot be received in the future. 受理时间不能晚于现在。"];
        }

        await StaffExistsAsync(errors, "subjectStaffId", r.SubjectStaffId, ct);
        await StaffExistsAsync(errors, "sellerStaffId", r.SellerStaffId, ct);
        var regime = await deadlines.RegimeOfBranchAsync(c.BranchId, ct);
        var taxonomy = await taxonomies.CurrentAsync(ct);
        var codes = taxonomies.Check(taxonomy, errors, r.Nature, r.JrtChannel, r.JrtBusiness, r.JrtCause, r.FcaProductGroup, fcaRequired: regime == Sla.SlaPresets.FcaCode);
        if (errors.Count > 0)
        {
            return new ComplaintInvalid(errors);
        }

        if (c.Kind != CaseKind.Complaint)
        {
            var reclassified = await cases.ReclassifyAsync(c.Id, new CaseReclassifyRequest(CaseKind.Complaint, l["complaint.reclassifyReason"], c.Version), ct);
            if (reclassified.Error is { } refused)
            {
                return refused;
            }
        }

        var due = ComplaintDeadlines.Governing(await deadlines.ForAsync(c.BranchId, regime, receivedAt, ct));
        var complaint = new Complaint
        {
            CaseId = c.Id,
            BranchId = c.BranchId,
            CustomerId = c.CustomerId,
            ComplainantKind = kind,
            RepresentativeName = kind == ComplainantKind.Customer ? null : r.RepresentativeName!.Trim(),
            ProofNote = kind == ComplainantKind.Customer ? null : r.ProofNote!.Trim(),
            WhatHappened = r.WhatHappened!.Trim(),
            WhatTheyWant = r.WhatTheyWant!.Trim(),
            AmountInDispute = r.AmountInDispute,
            Currency = currency,
            ProductId = productId,
            Channel = r.Channel ?? c.Channel,
            ReceivedAt = receivedAt,
            Regime = regime,
            RegulatoryDueAt = due,
            TaxonomyId = taxonomy.Id,
            Nature = codes.Nature,
            JrtChannel = codes.JrtChannel,
            JrtBusiness = codes.JrtBusiness,
            JrtCause = codes.JrtCause,
            FcaProductGroup = codes.FcaProductGroup,
            SubjectStaffId = r.SubjectStaffId,
            SellerStaffId = r.SellerStaffId,
            CreatedById = user.StaffId,
        };
        db.Add(complaint);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another request recorded the same case first (the unique index on case_id); anything else is a surprise.
            db.Entry(complaint).State = EntityState.Detached;
            if (await db.Set<Complaint>().AsNoTracking().Where(x => x.CaseId == c.Id).Select(x => (long?)x.Id).SingleOrDefaultAsync(ct) is { } raced)
            {
                return new ComplaintAlreadyRecorded(raced);
            }

            throw;
        }

        return await GetAsync(complaint.Id, ct);
    }

    /// <summary>Records that what was said on the case is not a complaint, with the reason (the case stays as it is).</summary>
    public async Task<Outcome<ComplaintDismissalDto>> DismissAsync(ComplaintDismissalRequest r, CancellationToken ct = default)
    {
        if (!user.Can(Permission.ComplaintsHandle))
        {
            return new ComplaintActionForbidden();
        }

        var c = r.CaseId is { } caseId ? await VisibleCaseAsync(caseId, ct) : null;
        if (c is null)
        {
            return new ComplaintInvalid(new Dictionary<string, string[]> { ["caseId"] = ["Choose a case of your branches. 请选择您所在机构的案件。"] });
        }

        if (await db.Set<Complaint>().Where(x => x.CaseId == c.Id).Select(x => (long?)x.Id).SingleOrDefaultAsync(ct) is { } existing)
        {
            return new ComplaintAlreadyRecorded(existing);
        }

        var errors = new Dictionary<string, string[]>();
        Text(errors, "reason", r.Reason, 1000, required: true, missing: "Say why this is not a complaint. 请说明不作为投诉处理的理由。");
        if (errors.Count > 0)
        {
            return new ComplaintInvalid(errors);
        }

        var dismissal = new ComplaintDismissal { CaseId = c.Id, Reason = r.Reason!.Trim(), DecidedById = user.StaffId, DecidedAt = time.GetUtcNow() };
        db.Add(dismissal);
        await db.SaveChangesAsync(ct);
        return new ComplaintDismissalDto(dismissal.Id, c.Id, dismissal.Reason, user.DisplayName, dismissal.DecidedAt);
    }

    /// <summary>The decisions that the case is not a complaint, newest first (empty for a case the reader may not see).</summary>
    public async Task<IReadOnlyList<ComplaintDismissalDto>> DismissalsAsync(long caseId, CancellationToken ct = default)
    {
        if (await VisibleCaseAsync(caseId, ct) is null)
        {
            return [];
        }

        var rows = await db.Set<ComplaintDismissal>().AsNoTracking().Where(d => d.CaseId == caseId).OrderByDescending(d => d.DecidedAt).ToListAsync(ct);
        var names = await StaffNamesAsync(rows.Select(d => d.DecidedById), ct);
        return [.. rows.Select(d => new ComplaintDismissalDto(d.Id, d.CaseId, d.Reason, d.DecidedById is { } s ? names.GetValueOrDefault(s) : null, d.DecidedAt))];
    }

    /// <summary>Recodes the complaint (with a reason, recorded beside the audit entry of the change).</summary>
    public async Task<Outcome<ComplaintDto>> ClassifyAsync(long id, ComplaintClassificationRequest r, CancellationToken ct = default)
    {
        var loaded = await LoadForChangeAsync(id, ct);
        if (loaded.Error is { } notFound)
        {
            return notFound;
        }

        var (complaint, c) = loaded.Value;
        if (r.Version is { } expected && complaint.Version != expected)
        {
            return Problems.StaleVersion();
        }

        var errors = new Dictionary<string, string[]>();
        Text(errors, "reason", r.Reason, 1000, required: true, missing: "Say why the complaint is recoded. 请说明重新分类的原因。");
        var taxonomy = await taxonomies.CurrentAsync(ct);
        var codes = taxonomies.Check(taxonomy, errors, r.Nature, r.JrtChannel, r.JrtBusiness, r.JrtCause, r.FcaProductGroup, fcaRequired: complaint.Regime == Sla.SlaPresets.FcaCode);
        if (errors.Count > 0)
        {
            return new ComplaintInvalid(errors);
        }

        var from = complaint.CodeLine;
        complaint.TaxonomyId = taxonomy.Id;
        (complaint.Nature, complaint.JrtChannel, complaint.JrtBusiness, complaint.JrtCause, complaint.FcaProductGroup) =
            (codes.Nature, codes.JrtChannel, codes.JrtBusiness, codes.JrtCause, codes.FcaProductGroup);
        db.Add(new ComplaintRecoding
        {
            ComplaintId = complaint.Id, FromCodes = from, ToCodes = complaint.CodeLine, Reason = r.Reason!.Trim(), RecodedById = user.StaffId, RecodedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        return await GetAsync(id, ct);
    }

    public async Task<Outcome<ComplaintDto>> GetAsync(long id, CancellationToken ct = default)
    {
        var loaded = await LoadAsync(id, ct, tracked: false);
        if (loaded.Error is { } notFound)
        {
            return notFound;
        }

        var (complaint, c) = loaded.Value;
        var codes = await db.Set<ComplaintCode>().AsNoTracking().Where(x => x.TaxonomyId == complaint.TaxonomyId).ToListAsync(ct);
        var taxonomyNumber = await db.Set<ComplaintTaxonomy>().Where(t => t.Id == complaint.TaxonomyId).Select(t => t.Number).SingleAsync(ct);
        var own = new (ComplaintCodeSet Set, string? Code)[]
        {
            (ComplaintCodeSet.Nature, complaint.Nature), (ComplaintCodeSet.JrtChannel, complaint.JrtChannel), (ComplaintCodeSet.JrtBusiness, complaint.JrtBusiness),
            (ComplaintCodeSet.JrtCause, complaint.JrtCause), (ComplaintCodeSet.FcaProductGroup, complaint.FcaProductGroup),
        };
        var coded = own.Where(o => o.Code is not null)
            .Select(o => codes.FirstOrDefault(x => x.CodeSet == o.Set && x.Code == o.Code) is { } k
                ? new ComplaintCodeDto(k.CodeSet, k.Code, k.Name, k.NameEn) : new ComplaintCodeDto(o.Set, o.Code!, o.Code!, o.Code!))
            .ToList();
        var product = complaint.ProductId is { } pid ? await db.Set<Product>().AsNoTracking().Where(p => p.Id == pid).Select(p => new { p.Name, p.NameEn }).SingleOrDefaultAsync(ct) : null;
        var recodings = await db.Set<ComplaintRecoding>().AsNoTracking().Where(x => x.ComplaintId == id).OrderBy(x => x.RecodedAt).ThenBy(x => x.Id).ToListAsync(ct);
        var names = await StaffNamesAsync([complaint.SubjectStaffId, complaint.SellerStaffId, .. recodings.Select(x => x.RecodedById)], ct);
        var recused = await ComplaintRecusal.RecusedAsync(db, complaint, ct);
        return new ComplaintDto(
            complaint.Id, c.Id, c.Reference, c.Status, c.BranchId, c.AssigneeId, c.Version, complaint.ComplainantKind, complaint.RepresentativeName, complaint.ProofNote,
            complaint.WhatHappened, complaint.WhatTheyWant, complaint.AmountInDispute, complaint.Currency, complaint.ProductId, product?.Name, product?.NameEn,
            complaint.Channel, complaint.ReceivedAt, complaint.Regime, taxonomyNumber, coded,
            complaint.SubjectStaffId, complaint.SubjectStaffId is { } s1 ? names.GetValueOrDefault(s1) : null,
            complaint.SellerStaffId, complaint.SellerStaffId is { } s2 ? names.GetValueOrDefault(s2) : null,
            await deadlines.ForAsync(c.BranchId, complaint.Regime, complaint.ReceivedAt, ct), recused,
            [.. recodings.Select(x => new ComplaintRecodingDto(x.FromCodes, x.ToCodes, x.Reason, x.RecodedById is { } s ? names.GetValueOrDefault(s) : null, x.RecodedAt))],
            complaint.RootCause, complaint.Outcome, complaint.OutcomeAt, await ComplaintRedress.OfAsync(db, id, ct),
            complaint.Version, complaint.CreatedAt, await ComplaintProcess.OfAsync(db, complaint, c, await TimeZoneOfBranchAsync(c.BranchId, ct), time.GetUtcNow(), ct));
    }

    /// <summary>The complaint recorded on a case the reader may see, if any.</summary>
    public async Task<long?> IdOfCaseAsync(long caseId, CancellationToken ct = default) =>
        await VisibleCaseAsync(caseId, ct) is null ? null : await db.Set<Complaint>().Where(x => x.CaseId == caseId).Select(x => (long?)x.Id).SingleOrDefaultAsync(ct);

    /// <summary>
    /// Complaints on the cases the reader may see, by regulatory deadline (none last) then newest, at most <paramref name="limit"/>;
    /// and the open complaint-kind cases still without a record (waiting for intake). With <paramref name="filter"/> (the dashboard's
    /// drill-downs): only the complaints it selects, of the reader's own branches (all with institution scope) — exactly those the
    /// dashboard counts (<see cref="ComplaintListFilters"/>); a malformed filter is refused at its field.
    /// </summary>
    public async Task<Outcome<ComplaintList>> ListAsync(int limit = 100, ComplaintListFilter? filter = null, CancellationToken ct = default)
    {
        if (!user.Can(Permission.ComplaintsHandle))
        {
            return new ComplaintActionForbidden();
        }

        var viewer = await cases.ViewerAsync(ct);
        var visible = cases.Visible(viewer).AsNoTracking();
        IQueryable<ComplaintRow> selected;
        if (filter is null || filter.IsEmpty)
        {
            selected = from x in db.Set<Complaint>().AsNoTracking()
                       join c in visible on x.CaseId equals c.Id
                       select new ComplaintRow { Complaint = x, Case = c };
        }
        else
        {
            var filtered = await listFilters.ApplyAsync(await listFilters.ScopedAsync(ct), filter, time.GetUtcNow(), ct);
            if (filtered.Error is { } refused)
            {
                return refused;
            }

            selected = filtered.Value!;
        }

        var rows = await (from r in selected
                          join b in db.Set<Organisation.Branch>() on r.Case.BranchId equals b.Id
                          orderby r.Complaint.RegulatoryDueAt == null, r.Complaint.RegulatoryDueAt, r.Complaint.Id descending
                          select new ComplaintListItem(r.Complaint.Id, r.Case.Id, r.Case.Reference, r.Case.Status, r.Case.Subject, r.Complaint.ComplainantKind,
                              r.Complaint.AmountInDispute, r.Complaint.Currency, r.Complaint.ReceivedAt, r.Complaint.Regime, r.Complaint.Nature, r.Complaint.JrtCause,
                              r.Complaint.RegulatoryDueAt, b.TimeZone))
            .Take(Math.Clamp(limit, 1, 500)).ToListAsync(ct);
        var open = new[] { CaseStatus.Submitted, CaseStatus.UnderReview, CaseStatus.InProgress };
        var awaiting = await visible.Where(c => c.Kind == CaseKind.Complaint && open.Contains(c.Status) && !db.Set<Complaint>().Any(x => x.CaseId == c.Id))
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Take(50)
            .Select(c => new ComplaintAwaitingIntake(c.Id, c.Reference, c.Subject, c.CreatedAt)).ToListAsync(ct);
        return new ComplaintList(rows, awaiting);
    }

    /// <summary>The taxonomy codes in force, for forms and clients.</summary>
    public async Task<ComplaintTaxonomyDto> TaxonomyAsync(CancellationToken ct = default)
    {
        var t = await taxonomies.CurrentAsync(ct);
        return new ComplaintTaxonomyDto(t.Id, t.Number, t.PublishedOn, t.Citation,
            [.. t.Codes.OrderBy(c => c.CodeSet).ThenBy(c => c.Code, StringComparer.Ordinal).Select(c => new ComplaintCodeDto(c.CodeSet, c.Code, c.Name, c.NameEn, c.Retired))]);
    }

    /// <summary>The complaint and its case, within the reader's case scope (else not found).</summary>
    internal async Task<Outcome<(Complaint Complaint, Case Case)>> LoadAsync(long id, CancellationToken ct, bool tracked = true)
    {
        var query = tracked ? db.Set<Complaint>() : db.Set<Complaint>().AsNoTracking();
        var complaint = await query.SingleOrDefaultAsync(x => x.Id == id, ct);
        var c = complaint is null ? null : await VisibleCaseAsync(complaint.CaseId, ct);
        return c is null ? new ComplaintNotFound(id) : (complaint!, c);
    }

    /// <summary><see cref="LoadAsync"/> for a change: also refused (<see cref="ComplaintActionForbidden"/>) without ComplaintsHandle.</summary>
    internal async Task<Outcome<(Complaint Complaint, Case Case)>> LoadForChangeAsync(long id, CancellationToken ct, bool tracked = true)
    {
        var loaded = await LoadAsync(id, ct, tracked);
        return loaded.Succeeded && !user.Can(Permission.ComplaintsHandle) ? new ComplaintActionForbidden() : loaded;
    }

    internal async Task<Case?> VisibleCaseAsync(long caseId, CancellationToken ct)
    {
        var viewer = await cases.ViewerAsync(ct);
        return await cases.Visible(viewer).AsNoTracking().SingleOrDefaultAsync(c => c.Id == caseId, ct);
    }

    /// <summary>The IANA zone of a branch (pages show local times in it).</summary>
    public async Task<string> TimeZoneOfBranchAsync(long branchId, CancellationToken ct) =>
        await db.Set<Organisation.Branch>().AsNoTracking().Where(b => b.Id == branchId).Select(b => b.TimeZone).SingleOrDefaultAsync(ct) ?? "UTC";

    internal static bool ValidAmount(decimal amount) => amount >= 0 && amount <= MaxAmount && decimal.Round(amount, 2) == amount;

    private async Task<Dictionary<long, string>> StaffNamesAsync(IEnumerable<long?> ids, CancellationToken ct)
    {
        var wanted = ids.OfType<long>().Distinct().ToList();
        return wanted.Count == 0 ? [] : await db.Set<Staff>().AsNoTracking().Where(s => wanted.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.DisplayName, ct);
    }

    private async Task StaffExistsAsync(Dictionary<string, string[]> errors, string field, long? staffId, CancellationToken ct)
    {
        if (staffId is { } id && !await db.Set<Staff>().AnyAsync(s => s.Id == id, ct))
        {
            errors[field] = ["Choose a staff member. 请选择员工。"];
        }
    }

    private static void Text(Dictionary<string, string[]> errors, string field, string? value, int max, bool required, string? missing = null)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                errors[field] = [missing ?? "This field is required. 此项必填。"];
            }
        }
        else if (text.Length > max)
        {
            errors[field] = [FormattableString.Invariant($"Up to {max} characters. 不超过 {max} 字。")];
        }
    }
}
