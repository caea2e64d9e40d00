using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Features.Products;
using Steward.Features.Qualifications;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Suitability;

public sealed record SuitabilityCheckRequest(
    long? CustomerId, long? ProductId, SuitabilityAction? Action, decimal? Amount, bool CustomerInsists, bool GuardianConsent, string? RecordingReference);

public sealed record AcknowledgeRequest(int? Version, bool CustomerAcknowledged);

public sealed record ReviewRequest(int? Version, bool Approve, string? Note);

public sealed record ReplayRequest(int? RuleSetNumber);

public sealed record DecisionDto(
    long Id, long CustomerId, string CustomerReference, long ProductId, string ProductCode, string ProductName, string ProductNameEn, SuitabilityAction Action,
    decimal? Amount, int RuleSetNumber, SuitabilityOutcome Outcome, IReadOnlyList<SuitabilityFinding> Findings, DecisionStatus Status, bool NeedsReview,
    int CoolingOffHours, string? RecordingReference, string? WarningText, string? DisclosureTitle, DateTimeOffset? AcknowledgedAt, long StaffId, string? StaffName,
    long? ReviewerId, string? ReviewerName, DateTimeOffset? ReviewedAt, string? ReviewNote, DateTimeOffset? ProceedFrom, bool MayProceedNow, SuitabilityInputs Inputs,
    int Version, DateTimeOffset CreatedAt);

public sealed record ReplayDto(
    long DecisionId, int OriginalRuleSet, SuitabilityOutcome OriginalOutcome, IReadOnlyList<SuitabilityFinding> OriginalFindings,
    int RuleSet, SuitabilityOutcome Outcome, IReadOnlyList<SuitabilityFinding> Findings, bool Changed,
    IReadOnlyList<SuitabilityFinding> Added, IReadOnlyList<SuitabilityFinding> Removed);

/// <summary>
/// The suitability check (issue 12; 《证券期货投资者适当性管理办法》, 《金融机构产品适当性管理办法》): recommending or selling a product
/// runs <see cref="SuitabilityEvaluator"/> once over the facts as they are now and records one decision with those facts, the
/// rule set version and every finding. After a pass (or the customer's insistence, with the special warning) the customer
/// acknowledges the risk disclosure; a decision that needs a second reviewer waits for one who is not the seller, and may go
/// on after the cooling-off period. A decision can be replayed under any rule set version.
/// </summary>
public sealed class SuitabilityChecks(
    StewardDbContext db, CurrentUser user, TimeProvider time, SuitabilityCatalog catalog, RiskAssessments assessments, QualificationRegistry qualifications,
    IStringLocalizer<SharedResource> l)
{
    private static readonly JsonSerializerOptions Json = QuestionnaireContent.Json;

    public async Task<Outcome<DecisionDto>> CheckAsync(SuitabilityCheckRequest r, CancellationToken ct = default)
    {
        if (!user.Can(Permission.SuitabilityCheck) || user.StaffId is not { } staffId)
        {
            return new SuitabilityForbidden();
        }

        var errors = new Dictionary<string, string[]>();
        var customer = r.CustomerId is { } cid
            ? await CustomerDirectory.Within(db.Set<Customer>().AsNoTracking(), user.HasInstitutionScope, user.BranchIds).SingleOrDefaultAsync(c => c.Id == cid, ct)
            : null;
        if (customer is null)
        {
            errors["customerId"] = ["Choose a customer of your branches. 请选择您所在机构的客户。"];
        }

        var product = r.ProductId is { } pid ? await db.Set<Product>().AsNoTracking().Include(p => p.Documents).SingleOrDefaultAsync(p => p.Id == pid, ct) : null;
        if (product is null)
        {
            errors["productId"] = ["Choose a product from the catalogue. 请从产品目录中选择产品。"];
        }

        if (r.Action is null)
        {
            errors["action"] = ["Say whether you recommend or sell the product. 请选择推荐或销售。"];
        }

        if (r.Amount is { } a && (a <= 0 || a > 1_000_000_000_000m || decimal.Round(a, 2) != a))
        {
            errors["amount"] = ["An amount above 0 with at most two decimals. 金额应大于 0，最多两位小数。"];
        }

        if (r.Action == SuitabilityAction.Sell && r.Amount is null)
        {
            errors["amount"] = ["Give the amount of the sale. 请填写销售金额。"];
        }

        var recording = r.RecordingReference?.Trim();
        if (recording is { Length: > 100 })
        {
            errors["recordingReference"] = ["Up to 100 characters. 不超过 100 个字符。"];
        }

        if (errors.Count > 0)
        {
            return new SuitabilityInvalid(errors);
        }

        var zone = await db.Set<Branch>().Where(b => b.Id == customer!.HomeBranchId).Select(b => b.TimeZone).SingleAsync(ct);
        var now = time.GetUtcNow();
        var today = QualificationRegistry.LocalDate(now, zone);
        var governing = await assessments.GoverningAsync(customer!.Id, ct);
        string? qualificationCode = null;
        var qualified = true;
        if (product!.RequiredQualificationTypeId is { } typeId)
        {
            qualificationCode = await db.Set<QualificationType>().Where(t => t.Id == typeId).Select(t => t.Code).SingleOrDefaultAsync(ct);
            qualified = await qualifications.HoldsValidAsync(staffId, typeId, await qualifications.TodayAsync(staffId, ct), ct);
        }

        var inputs = new SuitabilityInputs(
            now, today, r.Action!.Value, r.Amount, r.CustomerInsists, r.GuardianConsent, string.IsNullOrEmpty(recording) ? null : recording,
            new CustomerFacts(
                governing?.Level ?? RiskTolerance.Unassessed, governing?.Id, governing?.QuestionnaireNumber, governing?.Score, governing?.TakenAt,
                customer.KycStatus, customer.BirthDate, customer.HasLimitedCapacity, customer.DeclaredAssets),
            ProductFacts.Of(product, qualificationCode),
            staffId, qualified);
        var rules = await catalog.CurrentRulesAsync(ct);
        var verdict = SuitabilityEvaluator.Evaluate(inputs, rules.Rules);
        var disclosure = product.Documents.FirstOrDefault(d => d.Kind == ProductDocumentKind.RiskDisclosure);
        var decision = new SuitabilityDecision
        {
            CustomerId = customer.Id,
            BranchId = customer.HomeBranchId,
            ProductId = product.Id,
            StaffId = staffId,
            Action = inputs.Action,
            Amount = inputs.Amount,
            RuleSetNumber = rules.Number,
            InputsJson = inputs.ToJson(),
            Outcome = verdict.Outcome,
            FindingsJson = JsonSerializer.Serialize(verdict.Findings, Json),
            Status = verdict.Outcome == SuitabilityOutcome.Block ? DecisionStatus.Blocked : DecisionStatus.AwaitingAcknowledgment,
            NeedsReview = verdict.NeedsReview,
            CoolingOffHours = verdict.CoolingOffHours,
            RecordingReference = inputs.RecordingReference,
            WarningText = verdict.Outcome == SuitabilityOutcome.ProceedAfterWarning
                ? l["suit.warning.text", ProductName(product), product.RiskLevel.ToString(), inputs.Customer.Level.ToString()].Value
                : null,
            DisclosureTitle = verdict.Outcome == SuitabilityOutcome.Block ? null
                : disclosure is null ? l["suit.disclosure.terms"].Value : Cultures.IsChinese(System.Globalization.CultureInfo.CurrentUICulture) || string.IsNullOrEmpty(disclosure.TitleEn) ? disclosure.Title : disclosure.TitleEn,
        };
        db.Add(decision);
        await db.SaveChangesAsync(ct);
        // Built from what is in hand: reading the decision back would cost four more round trips per check.
        return ToDto(decision, product, customer.Reference, user.DisplayName, null, verdict.Findings, inputs, time.GetUtcNow());
    }

    /// <summary>The customer acknowledged the risk disclosure (and the special warning, if one was shown): recorded by the staff member with them.</summary>
    public async Task<Outcome<DecisionDto>> AcknowledgeAsync(long id, AcknowledgeRequest r, CancellationToken ct = default)
    {
        var d = await VisibleAsync(id, tracked: true, ct);
        if (d is null)
        {
            return new DecisionNotFound(id);
        }

        if (!user.Can(Permission.SuitabilityCheck))
        {
            return new SuitabilityForbidden();
        }

        if (d.Status != DecisionStatus.AwaitingAcknowledgment)
        {
            return new DecisionNotAwaiting("acknowledgment");
        }

        if (!r.CustomerAcknowledged)
        {
            return new SuitabilityInvalid(new Dictionary<string, string[]>
            {
                ["customerAcknowledged"] = [d.WarningText is null
                    ? "The customer confirms that they have read the risk disclosure. 须由客户确认已阅读风险揭示。"
                    : "The customer confirms that they have read the special warning and the risk disclosure. 须由客户确认已阅读特别风险警示和风险揭示。"],
            });
        }

        if (r.Version != d.Version)
        {
            return Problems.StaleVersion();
        }

        var now = time.GetUtcNow();
        d.AcknowledgedAt = now;
        d.AcknowledgmentRecordedById = user.StaffId;
        d.Status = d.NeedsReview ? DecisionStatus.AwaitingReview : DecisionStatus.Cleared;
        d.ProceedFrom = now.AddHours(d.CoolingOffHours);
        await db.SaveChangesAsync(ct);
        return await GetAsync(id, ct);
    }

    /// <summary>The second review of a sale to a customer aged 65+ of a high-risk product: by someone with SuitabilityReview who did not run the check.</summary>
    public async Task<Outcome<DecisionDto>> ReviewAsync(long id, ReviewRequest r, CancellationToken ct = default)
    {
        var d = await VisibleAsync(id, tracked: true, ct);
        if (d is null)
        {
            return new DecisionNotFound(id);
        }

        if (!user.Can(Permission.SuitabilityReview))
        {
            return new SuitabilityForbidden();
        }

        if (d.Status != DecisionStatus.AwaitingReview)
        {
            return new DecisionNotAwaiting("review");
        }

        if (d.StaffId == user.StaffId)
        {
            return new ReviewerIsSeller();
        }

        var note = r.Note?.Trim();
        if ((!r.Approve && string.IsNullOrEmpty(note)) || note is { Length: > 400 })
        {
            return new SuitabilityInvalid(new Dictionary<string, string[]>
            {
                ["note"] = ["Say why the sale is refused (up to 400 characters). 请说明不同意的原因（不超过 400 字）。"],
            });
        }

        if (r.Version != d.Version)
        {
            return Problems.StaleVersion();
        }

        d.ReviewerId = user.StaffId;
        d.ReviewedAt = time.GetUtcNow();
        d.ReviewNote = string.IsNullOrEmpty(note) ? null : note;
        d.Status = r.Approve ? DecisionStatus.Cleared : DecisionStatus.RefusedOnReview;
        await db.SaveChangesAsync(ct);
        return await GetAsync(id, ct);
    }

    /// <summary>
    /// "Would this sale pass under these rules?": the stored inputs evaluated again under <paramref name="r"/>'s rule set (the
    /// current one when none is named), with the findings added and removed compared with the recorded decision.
    /// </summary>
    public async Task<Outcome<ReplayDto>> ReplayAsync(long id, ReplayRequest r, CancellationToken ct = default)
    {
        var d = await VisibleAsync(id, tracked: false, ct);
        if (d is null)
        {
            return new DecisionNotFound(id);
        }

        if (!user.Can(Permission.SuitabilityReview) && !user.Can(Permission.SuitabilityRulesManage))
        {
            return new SuitabilityForbidden();
        }

        var rules = r.RuleSetNumber is { } number ? await catalog.RulesAsync(number, ct) : await catalog.CurrentRulesAsync(ct);
        if (!rules.Succeeded)
        {
            return rules.Error;
        }

        var verdict = SuitabilityEvaluator.Evaluate(SuitabilityInputs.Parse(d.InputsJson), rules.Value.Rules);
        var original = Findings(d);
        var added = verdict.Findings.Where(f => !original.Any(o => Same(o, f))).ToList();
        var removed = original.Where(o => !verdict.Findings.Any(f => Same(o, f))).ToList();
        return new ReplayDto(d.Id, d.RuleSetNumber, d.Outcome, original, rules.Value.Number, verdict.Outcome, verdict.Findings,
            verdict.Outcome != d.Outcome || added.Count > 0 || removed.Count > 0, added, removed);
    }

    public async Task<Outcome<DecisionDto>> GetAsync(long id, CancellationToken ct = default)
    {
        var d = await VisibleAsync(id, tracked: false, ct);
        return d is null ? new DecisionNotFound(id) : (await ToDtosAsync([d], ct))[0];
    }

    public async Task<IReadOnlyList<DecisionDto>> ForCustomerAsync(long customerId, CancellationToken ct = default)
    {
        var rows = await Visible().Where(d => d.CustomerId == customerId).OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(50).ToListAsync(ct);
        return await ToDtosAsync(rows, ct);
    }

    /// <summary>Decisions waiting for a second reviewer in the caller's branches, oldest first.</summary>
    public async Task<IReadOnlyList<DecisionDto>> AwaitingReviewAsync(CancellationToken ct = default)
    {
        var rows = await Visible().Where(d => d.Status == DecisionStatus.AwaitingReview).OrderBy(d => d.CreatedAt).Take(100).ToListAsync(ct);
        return await ToDtosAsync(rows, ct);
    }

    private static bool Same(SuitabilityFinding a, SuitabilityFinding b) => a.Code == b.Code && a.Effect == b.Effect && a.Args.SequenceEqual(b.Args);

    private static List<SuitabilityFinding> Findings(SuitabilityDecision d) => JsonSerializer.Deserialize<List<SuitabilityFinding>>(d.FindingsJson, Json) ?? [];

    private static string ProductName(Product p) =>
        Cultures.IsChinese(System.Globalization.CultureInfo.CurrentUICulture) || string.IsNullOrEmpty(p.NameEn) ? p.Name : p.NameEn;

    private async Task<List<DecisionDto>> ToDtosAsync(IReadOnlyList<SuitabilityDecision> rows, CancellationToken ct)
    {
        var productIds = rows.Select(d => d.ProductId).Distinct().ToList();
        var products = await db.Set<Product>().AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var customerIds = rows.Select(d => d.CustomerId).Distinct().ToList();
        var references = await db.Set<Customer>().AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Reference, ct);
        var staffIds = rows.SelectMany(d => new[] { d.StaffId, d.ReviewerId ?? 0 }).Distinct().ToList();
        var names = await db.Set<Staff>().AsNoTracking().Where(s => staffIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.DisplayName, ct);
        var now = time.GetUtcNow();
        return [.. rows.Select(d => ToDto(
            d, products[d.ProductId], references.GetValueOrDefault(d.CustomerId, ""), names.GetValueOrDefault(d.StaffId),
            d.ReviewerId is { } rid ? names.GetValueOrDefault(rid) : null, Findings(d), SuitabilityInputs.Parse(d.InputsJson), now))];
    }

    private static DecisionDto ToDto(
        SuitabilityDecision d, Product p, string customerReference, string? staffName, string? reviewerName, IReadOnlyList<SuitabilityFinding> findings, SuitabilityInputs inputs,
        DateTimeOffset now) => new(
        d.Id, d.CustomerId, customerReference, d.ProductId, p.Code, p.Name, p.NameEn, d.Action, d.Amount, d.RuleSetNumber,
        d.Outcome, findings, d.Status, d.NeedsReview, d.CoolingOffHours, d.RecordingReference, d.WarningText, d.DisclosureTitle, d.AcknowledgedAt,
        d.StaffId, staffName, d.ReviewerId, reviewerName, d.ReviewedAt, d.ReviewNote,
        d.ProceedFrom, d.Status == DecisionStatus.Cleared && d.ProceedFrom <= now, inputs, d.Version, d.CreatedAt);

    private IQueryable<SuitabilityDecision> Visible(bool tracked = false)
    {
        var rows = tracked ? db.Set<SuitabilityDecision>() : db.Set<SuitabilityDecision>().AsNoTracking();
        if (user.HasInstitutionScope)
        {
            return rows;
        }

        var branches = user.BranchIds.ToList();
        return rows.Where(d => branches.Contains(d.BranchId));
    }

    private Task<SuitabilityDecision?> VisibleAsync(long id, bool tracked, CancellationToken ct) => Visible(tracked).SingleOrDefaultAsync(d => d.Id == id, ct);
}
