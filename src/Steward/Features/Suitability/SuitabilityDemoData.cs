using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Features.Products;
using Steward.Features.Qualifications;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;

namespace Steward.Features.Suitability;

/// <summary>
/// The demo's risk assessments and suitability decisions: every assessed customer has the assessment that gave their level
/// (answered at the counter or online, up to 15 months ago, so some have expired), a few wait for the customer's
/// confirmation, and a handful of decisions show each outcome — a pass acknowledged, a block with its reasons, a sale after
/// the special warning, and an older customer's high-risk purchase waiting for a second reviewer. Decisions are made by the
/// same <see cref="SuitabilityEvaluator"/> under rule set 1, from the seeded facts.
/// </summary>
public static class SuitabilityDemoData
{
    /// <summary>The first this many individual customers are assessed.</summary>
    public const int Assessed = 400;

    /// <summary>Answers to questionnaire version 1 that score into each level (totals in brackets).</summary>
    private static readonly Dictionary<RiskTolerance, Dictionary<string, string>> AnswersFor = new()
    {
        [RiskTolerance.C1] = Answers("a", "a", "a", "a", "a", "a", "a", "a"), // 8+2+2+0+1+2+2+0 = 17
        [RiskTolerance.C2] = Answers("b", "b", "a", "b", "b", "b", "b", "a"), // 36
        [RiskTolerance.C3] = Answers("b", "c", "b", "c", "b", "c", "c", "b"), // 60
        [RiskTolerance.C4] = Answers("b", "d", "c", "c", "c", "c", "c", "c"), // 10+12+10+8+9+9+9+10 = 77
        [RiskTolerance.C5] = Answers("b", "d", "d", "d", "d", "d", "d", "d"), // 10+12+12+12+12+12+12+16 = 98
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task SeedAsync(StewardDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var questionnaire = DefaultQuestionnaire.Content;
        var rules = SuitabilityRuleContent.Default;
        db.Add(new RiskQuestionnaire { Number = 1, ContentJson = questionnaire.ToJson(), PublishedAt = now.AddDays(-500) });
        db.Add(new SuitabilityRuleSet { Number = 1, ContentJson = rules.ToJson(), CreatedAt = now.AddDays(-500), Note = "《证券期货投资者适当性管理办法》《金融机构产品适当性管理办法》" });
        var customers = await db.Set<Customer>().AsNoTracking().Where(c => c.RiskTolerance != RiskTolerance.Unassessed).OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.HomeBranchId, c.RiskTolerance, c.HasLimitedCapacity }).ToListAsync(ct);
        var agents = await db.Set<Staff>().AsNoTracking().Where(s => s.Roles.Any(r => r.Role == StaffRole.Agent)).OrderBy(s => s.Id)
            .Select(s => new { s.Id, s.HomeBranchId }).ToListAsync(ct);
        foreach (var (c, i) in customers.Select((c, i) => (c, i)))
        {
            var answers = AnswersFor[c.HasLimitedCapacity ? RiskTolerance.C1 : c.RiskTolerance];
            var score = RiskAssessments.Score(questionnaire, answers).Value;
            var taken = now.AddDays(-(i * 37 % 450)).AddHours(-(i % 7));
            var online = i % 4 == 0;
            db.Add(new RiskAssessment
            {
                CustomerId = c.Id, BranchId = c.HomeBranchId, QuestionnaireNumber = 1, AnswersJson = JsonSerializer.Serialize(answers, Json), Score = score,
                ScoreLevel = questionnaire.LevelOf(score), Level = c.RiskTolerance, PreviousLevel = RiskTolerance.Unassessed,
                Channel = online ? AssessmentChannel.Online : AssessmentChannel.Counter, AssistedById = agents.FirstOrDefault(a => a.HomeBranchId == c.HomeBranchId)?.Id,
                CustomerPresent = !online, Status = AssessmentStatus.Confirmed, TakenAt = taken, ConfirmedAt = taken.AddMinutes(3), ValidUntil = taken.AddMonths(rules.AssessmentValidMonths),
            });
            if (i % 40 == 7 && c.RiskTolerance < RiskTolerance.C5 && !c.HasLimitedCapacity)
            {
                // A newer answer that raises the level, waiting for the customer to confirm it.
                var higher = c.RiskTolerance + 1;
                var newer = AnswersFor[higher];
                var newerScore = RiskAssessments.Score(questionnaire, newer).Value;
                db.Add(new RiskAssessment
                {
                    CustomerId = c.Id, BranchId = c.HomeBranchId, QuestionnaireNumber = 1, AnswersJson = JsonSerializer.Serialize(newer, Json), Score = newerScore,
                    ScoreLevel = higher, Level = higher, PreviousLevel = c.RiskTolerance, Channel = AssessmentChannel.Online, CustomerPresent = false,
                    Status = AssessmentStatus.AwaitingConfirmation, TakenAt = now.AddHours(-5), ValidUntil = now.AddHours(-5).AddMonths(rules.AssessmentValidMonths),
                });
            }
        }

        await db.SaveChangesAsync(ct);
        await DecisionsAsync(db, now, rules, ct);
    }

    /// <summary>One decision of each kind for the first customers of branches that have an agent.</summary>
    private static async Task DecisionsAsync(StewardDbContext db, DateTimeOffset now, SuitabilityRuleContent rules, CancellationToken ct)
    {
        var products = await db.Set<Product>().AsNoTracking().Include(p => p.Documents).ToDictionaryAsync(p => p.Code, StringComparer.Ordinal, ct);
        var today = QualificationRegistry.LocalDate(now, "Asia/Shanghai");
        var registry = new QualificationRegistry(db, TimeProvider.System);
        var current = await db.Set<RiskAssessment>().AsNoTracking().Where(a => a.Status == AssessmentStatus.Confirmed && a.ValidUntil > now)
            .Join(db.Set<Customer>(), a => a.CustomerId, c => c.Id, (a, c) => new { Assessment = a, Customer = c })
            .Where(x => x.Customer.KycStatus == KycStatus.Verified && x.Customer.Kind == CustomerKind.Individual && !x.Customer.HasLimitedCapacity && x.Customer.DeclaredAssets != null)
            .OrderBy(x => x.Customer.Id).Take(400).ToListAsync(ct);
        var agents = await db.Set<Staff>().AsNoTracking().Where(s => s.Roles.Any(r => r.Role == StaffRole.Agent)).OrderBy(s => s.Id).ToListAsync(ct);
        if (agents.Count == 0 || !products.ContainsKey("WM-180"))
        {
            return;
        }

        async Task AddAsync(RiskAssessment a, Customer c, string code, SuitabilityAction action, decimal amount, bool insists, bool acknowledge, int hoursAgo)
        {
            var p = products[code];
            // The branch's first agent who holds the product's qualification today (or the first agent, who then is refused).
            var staff = agents.FirstOrDefault(s => s.HomeBranchId == c.HomeBranchId) ?? agents[0];
            var qualified = p.RequiredQualificationTypeId is null;
            string? qualification = null;
            if (p.RequiredQualificationTypeId is { } type)
            {
                qualification = await db.Set<QualificationType>().Where(t => t.Id == type).Select(t => t.Code).SingleAsync(ct);
                foreach (var candidate in agents.Where(s => s.HomeBranchId == c.HomeBranchId))
                {
                    if (await registry.HoldsValidAsync(candidate.Id, type, today, ct))
                    {
                        (staff, qualified) = (candidate, true);
                        break;
                    }
                }
            }

            var at = now.AddHours(-hoursAgo);
            var inputs = new SuitabilityInputs(
                at, today, action, amount, insists, false, p.RecordedSalesRequired ? "SR-" + c.Reference : null,
                new CustomerFacts(a.Level, a.Id, a.QuestionnaireNumber, a.Score, a.TakenAt, c.KycStatus, c.BirthDate, c.HasLimitedCapacity, c.DeclaredAssets),
                ProductFacts.Of(p, qualification),
                staff.Id, qualified);
            var verdict = SuitabilityEvaluator.Evaluate(inputs, rules);
            var acknowledged = acknowledge && verdict.Outcome != SuitabilityOutcome.Block;
            db.Add(new SuitabilityDecision
            {
                CustomerId = c.Id, BranchId = c.HomeBranchId, ProductId = p.Id, StaffId = staff.Id, Action = action, Amount = amount, RuleSetNumber = 1,
                InputsJson = inputs.ToJson(), Outcome = verdict.Outcome, FindingsJson = JsonSerializer.Serialize(verdict.Findings, QuestionnaireContent.Json),
                Status = verdict.Outcome == SuitabilityOutcome.Block ? DecisionStatus.Blocked
                    : !acknowledged ? DecisionStatus.AwaitingAcknowledgment : verdict.NeedsReview ? DecisionStatus.AwaitingReview : DecisionStatus.Cleared,
                NeedsReview = verdict.NeedsReview, CoolingOffHours = verdict.CoolingOffHours, RecordingReference = inputs.RecordingReference,
                WarningText = verdict.Outcome == SuitabilityOutcome.ProceedAfterWarning
                    ? JsonStringLocalizerFactory.Text(Cultures.Chinese, "suit.warning.text", p.Name, p.RiskLevel.ToString(), a.Level.ToString())
                    : null,
                DisclosureTitle = verdict.Outcome == SuitabilityOutcome.Block ? null : p.Documents.FirstOrDefault(d => d.Kind == ProductDocumentKind.RiskDisclosure)?.Title ?? JsonStringLocalizerFactory.Text(Cultures.Chinese, "suit.disclosure.terms"),
                AcknowledgedAt = acknowledged ? at.AddMinutes(6) : null, AcknowledgmentRecordedById = acknowledged ? staff.Id : null,
                ProceedFrom = acknowledged ? at.AddMinutes(6).AddHours(verdict.CoolingOffHours) : null, CreatedAt = at, UpdatedAt = at,
            });
        }

        var byLevel = current.GroupBy(x => x.Assessment.Level).ToDictionary(g => g.Key, g => g.ToList());
        if (byLevel.TryGetValue(RiskTolerance.C3, out var c3) && c3.Count > 0)
        {
            await AddAsync(c3[0].Assessment, c3[0].Customer, "FND-MIX", SuitabilityAction.Recommend, 50_000m, false, true, 30);
        }

        if (byLevel.TryGetValue(RiskTolerance.C2, out var c2) && c2.Count > 1)
        {
            await AddAsync(c2[0].Assessment, c2[0].Customer, "FND-EQ", SuitabilityAction.Recommend, 20_000m, false, false, 26);
            await AddAsync(c2[1].Assessment, c2[1].Customer, "WM-EQ", SuitabilityAction.Sell, Math.Min(50_000m, c2[1].Customer.DeclaredAssets!.Value * 0.4m), true, true, 20);
        }

        var elder = current.FirstOrDefault(x => x.Assessment.Level >= RiskTolerance.C4 && x.Customer.BirthDate is { } b && SuitabilityEvaluator.AgeOn(b, today) >= rules.ElderlyAge);
        if (elder is not null)
        {
            await AddAsync(elder.Assessment, elder.Customer, "FND-EQ", SuitabilityAction.Sell, Math.Min(30_000m, elder.Customer.DeclaredAssets!.Value * 0.4m), false, true, 3);
        }

        await db.SaveChangesAsync(ct);
    }

    private static Dictionary<string, string> Answers(params string[] options) =>
        new[] { "age", "income", "assets", "experience", "knowledge", "goal", "horizon", "loss" }.Zip(options).ToDictionary(p => p.First, p => p.Second);
}
