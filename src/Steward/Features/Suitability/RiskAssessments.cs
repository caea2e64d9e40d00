using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Suitability;

public sealed record AssessmentSubmitRequest(int? QuestionnaireNumber, Dictionary<string, string>? Answers, bool CustomerPresent);

public sealed record AssessmentConfirmRequest(int? Version, bool Accept = true);

public sealed record AssessmentDto(
    long Id, long CustomerId, int QuestionnaireNumber, int Score, RiskTolerance ScoreLevel, RiskTolerance Level, RiskTolerance PreviousLevel,
    AssessmentChannel Channel, string? AssistedBy, bool CustomerPresent, AssessmentStatus Status, DateTimeOffset TakenAt, DateTimeOffset? ConfirmedAt,
    DateTimeOffset ValidUntil, bool IsCurrent, int Version, IReadOnlyDictionary<string, string> Answers);

public sealed record AssessmentLinkDto(string Url, DateTimeOffset ExpiresAt);

/// <summary>
/// Risk-tolerance assessments (《金融机构产品适当性管理办法》, NFRA 2025 No. 7): answered by the customer — at the counter on a
/// tablet, the staff member attesting that the customer is present, or online through a one-time link — never by staff alone.
/// At most <see cref="PerDay"/> a day (the home branch's local day) and <see cref="PerYear"/> in 12 months; the score and the
/// answers are kept with the questionnaire version; a customer without full civil capacity is C1 whatever the score; a result
/// that differs from the customer's level takes effect only when the customer confirms it.
/// </summary>
public sealed class RiskAssessments(StewardDbContext db, CurrentUser user, TimeProvider time, SuitabilityCatalog catalog)
{
    public const int PerDay = 2;
    public const int PerYear = 8;

    /// <summary>How long a link to the online questionnaire may be used.</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(72);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Outcome<IReadOnlyList<AssessmentDto>>> HistoryAsync(long customerId, CancellationToken ct = default)
    {
        var customer = await VisibleCustomerAsync(customerId, tracked: false, ct);
        if (customer is null)
        {
            return new SuitabilityCustomerNotFound(customerId);
        }

        var rows = await db.Set<RiskAssessment>().AsNoTracking().Where(a => a.CustomerId == customerId).OrderByDescending(a => a.TakenAt).ThenByDescending(a => a.Id).Take(50).ToListAsync(ct);
        return await ToDtosAsync(rows, ct);
    }

    public async Task<Outcome<AssessmentDto>> GetAsync(long id, CancellationToken ct = default)
    {
        var row = await db.Set<RiskAssessment>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        if (row is null || await VisibleCustomerAsync(row.CustomerId, tracked: false, ct) is null)
        {
            return new AssessmentNotFound(id);
        }

        return (await ToDtosAsync([row], ct))[0];
    }

    /// <summary>An assessment at the counter: the staff member (SuitabilityCheck) attests that the customer is present and answered.</summary>
    public async Task<Outcome<AssessmentDto>> SubmitAtCounterAsync(long customerId, AssessmentSubmitRequest r, CancellationToken ct = default)
    {
        var customer = await VisibleCustomerAsync(customerId, tracked: true, ct);
        if (customer is null)
        {
            return new SuitabilityCustomerNotFound(customerId);
        }

        if (!user.Can(Permission.SuitabilityCheck))
        {
            return new SuitabilityForbidden();
        }

        var outcome = await SubmitAsync(customer, r, AssessmentChannel.Counter, user.StaffId, requirePresence: true, ct);
        return outcome.Succeeded ? (await ToDtosAsync([outcome.Value], ct))[0] : outcome.Error;
    }

    /// <summary>The customer's confirmation (or refusal) of a changed result; at the counter, recorded by the staff member with the customer.</summary>
    public async Task<Outcome<AssessmentDto>> ConfirmAtCounterAsync(long id, AssessmentConfirmRequest r, CancellationToken ct = default)
    {
        var row = await db.Set<RiskAssessment>().SingleOrDefaultAsync(a => a.Id == id, ct);
        var customer = row is null ? null : await VisibleCustomerAsync(row.CustomerId, tracked: true, ct);
        if (row is null || customer is null)
        {
            return new AssessmentNotFound(id);
        }

        if (!user.Can(Permission.SuitabilityCheck))
        {
            return new SuitabilityForbidden();
        }

        var done = await ConfirmAsync(row, customer, r, ct);
        return done.Succeeded ? (await ToDtosAsync([row], ct))[0] : done.Error;
    }

    /// <summary>A one-time link for the customer to answer online, valid <see cref="LinkLifetime"/>; only its SHA-256 is stored.</summary>
    public async Task<Outcome<AssessmentLinkDto>> CreateLinkAsync(long customerId, string baseUrl, CancellationToken ct = default)
    {
        var customer = await VisibleCustomerAsync(customerId, tracked: false, ct);
        if (customer is null)
        {
            return new SuitabilityCustomerNotFound(customerId);
        }

        if (!user.Can(Permission.SuitabilityCheck))
        {
            return new SuitabilityForbidden();
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var link = new AssessmentLink
        {
            CustomerId = customerId, TokenHash = Hash(token), CreatedById = user.StaffId!.Value, CreatedAt = time.GetUtcNow(), ExpiresAt = time.GetUtcNow() + LinkLifetime,
        };
        db.Add(link);
        await db.SaveChangesAsync(ct);
        return new AssessmentLinkDto(baseUrl.TrimEnd('/') + "/Public/Assessment?t=" + token, link.ExpiresAt);
    }

    /// <summary>What the public page shows for a link: the customer's masked name and, once answered, the assessment.</summary>
    public async Task<Outcome<(string Name, AssessmentDto? Assessment)>> ForLinkAsync(string? token, CancellationToken ct = default)
    {
        var link = await LinkAsync(token, ct);
        if (link is null)
        {
            return new AssessmentLinkInvalid();
        }

        var name = await db.Set<Customer>().AsNoTracking().Where(c => c.Id == link.CustomerId).Select(c => c.Name).SingleAsync(ct);
        var assessment = link.AssessmentId is { } id ? await db.Set<RiskAssessment>().AsNoTracking().SingleAsync(a => a.Id == id, ct) : null;
        return (Platform.Security.Mask.Name(name), assessment is null ? null : (await ToDtosAsync([assessment], ct))[0]);
    }

    public async Task<Outcome<AssessmentDto>> SubmitOnlineAsync(string? token, AssessmentSubmitRequest r, CancellationToken ct = default)
    {
        var link = await LinkAsync(token, ct, tracked: true);
        if (link is null || link.AssessmentId is not null)
        {
            return new AssessmentLinkInvalid();
        }

        var customer = await db.Set<Customer>().SingleAsync(c => c.Id == link.CustomerId, ct);
        var outcome = await SubmitAsync(customer, r, AssessmentChannel.Online, link.CreatedById, requirePresence: false, ct, link);
        return outcome.Succeeded ? (await ToDtosAsync([outcome.Value], ct))[0] : outcome.Error;
    }

    public async Task<Outcome<AssessmentDto>> ConfirmOnlineAsync(string? token, AssessmentConfirmRequest r, CancellationToken ct = default)
    {
        var link = await LinkAsync(token, ct);
        if (link?.AssessmentId is not { } id)
        {
            return new AssessmentLinkInvalid();
        }

        var row = await db.Set<RiskAssessment>().SingleAsync(a => a.Id == id, ct);
        var customer = await db.Set<Customer>().SingleAsync(c => c.Id == row.CustomerId, ct);
        var done = await ConfirmAsync(row, customer, r, ct);
        return done.Succeeded ? (await ToDtosAsync([row], ct))[0] : done.Error;
    }

    /// <summary>The time zone of the customer's home branch: the pages show times in it.</summary>
    public Task<string?> ZoneOfAsync(long customerId, CancellationToken ct = default) =>
        db.Set<Customer>().Where(c => c.Id == customerId).Join(db.Set<Branch>(), c => c.HomeBranchId, b => b.Id, (c, b) => b.TimeZone).Select(z => (string?)z).SingleOrDefaultAsync(ct);

    /// <summary>The assessment that governs the customer's level now: the newest confirmed one (it may have expired; the check says so).</summary>
    public Task<RiskAssessment?> GoverningAsync(long customerId, CancellationToken ct = default) =>
        db.Set<RiskAssessment>().AsNoTracking().Where(a => a.CustomerId == customerId && a.Status == AssessmentStatus.Confirmed)
            .OrderByDescending(a => a.TakenAt).ThenByDescending(a => a.Id).FirstOrDefaultAsync(ct);

    /// <summary>The score of the answers, or the field errors: every question answered with one of its options, no unknown question.</summary>
    public static Outcome<int> Score(QuestionnaireContent questionnaire, IReadOnlyDictionary<string, string>? answers)
    {
        var errors = new Dictionary<string, string[]>();
        answers ??= new Dictionary<string, string>();
        var score = 0;
        foreach (var q in questionnaire.Questions)
        {
            if (!answers.TryGetValue(q.Id, out var chosen) || string.IsNullOrWhiteSpace(chosen))
            {
                errors["answers." + q.Id] = ["Answer this question. 请回答此题。"];
            }
            else if (q.Options.FirstOrDefault(o => o.Id == chosen) is { } option)
            {
                score += option.Score;
            }
            else
            {
                errors["answers." + q.Id] = ["Choose one of the options of this question. 请从本题的选项中选择。"];
            }
        }

        foreach (var unknown in answers.Keys.Where(k => questionnaire.Questions.All(q => q.Id != k)))
        {
            errors["answers." + unknown] = ["There is no such question in this questionnaire. 问卷中没有这道题。"];
        }

        return errors.Count > 0 ? new SuitabilityInvalid(errors) : score;
    }

    private async Task<Outcome<RiskAssessment>> SubmitAsync(
        Customer customer, AssessmentSubmitRequest r, AssessmentChannel channel, long? assistedBy, bool requirePresence, CancellationToken ct, AssessmentLink? link = null)
    {
        var questionnaire = await catalog.CurrentQuestionnaireAsync(ct);
        if (r.QuestionnaireNumber is { } asked && asked != questionnaire.Number)
        {
            return new QuestionnaireChanged(questionnaire.Number);
        }

        var scored = Score(questionnaire.Content, r.Answers);
        if (requirePresence && !r.CustomerPresent)
        {
            var errors = scored.Succeeded ? new Dictionary<string, string[]>() : new Dictionary<string, string[]>(((InvalidError)scored.Error).Fields!);
            errors["customerPresent"] = ["The customer answers the questionnaire themselves, in person: confirm that they are here. 风险测评须由客户本人现场作答，请确认客户在场。"];
            return new SuitabilityInvalid(errors);
        }

        if (!scored.Succeeded)
        {
            return scored.Error;
        }

        // The limits count every assessment taken, confirmed or not; the day is the home branch's.
        var now = time.GetUtcNow();
        var zone = await db.Set<Branch>().Where(b => b.Id == customer.HomeBranchId).Select(b => b.TimeZone).SingleAsync(ct);
        var (dayStart, dayEnd) = LocalDay(now, zone);
        var yearAgo = now.AddMonths(-12);
        var taken = await db.Set<RiskAssessment>().Where(a => a.CustomerId == customer.Id && a.TakenAt > yearAgo).Select(a => a.TakenAt).ToListAsync(ct);
        if (taken.Count(t => t >= dayStart && t < dayEnd) >= PerDay)
        {
            return new AssessmentDailyLimit(PerDay);
        }

        if (taken.Count >= PerYear)
        {
            return new AssessmentYearlyLimit(PerYear);
        }

        var rules = await catalog.CurrentRulesAsync(ct);
        var scoreLevel = questionnaire.Content.LevelOf(scored.Value);
        var level = customer.HasLimitedCapacity ? RiskTolerance.C1 : scoreLevel;
        var waiting = await db.Set<RiskAssessment>().Where(a => a.CustomerId == customer.Id && a.Status == AssessmentStatus.AwaitingConfirmation).ToListAsync(ct);
        waiting.ForEach(a => a.Status = AssessmentStatus.Superseded);
        var unchanged = level == customer.RiskTolerance;
        var row = new RiskAssessment
        {
            CustomerId = customer.Id,
            BranchId = customer.HomeBranchId,
            QuestionnaireNumber = questionnaire.Number,
            AnswersJson = JsonSerializer.Serialize(r.Answers, Json),
            Score = scored.Value,
            ScoreLevel = scoreLevel,
            Level = level,
            PreviousLevel = customer.RiskTolerance,
            Channel = channel,
            AssistedById = assistedBy,
            CustomerPresent = requirePresence && r.CustomerPresent,
            Status = unchanged ? AssessmentStatus.Confirmed : AssessmentStatus.AwaitingConfirmation,
            TakenAt = now,
            ConfirmedAt = unchanged ? now : null,
            ValidUntil = now.AddMonths(rules.Rules.AssessmentValidMonths),
        };
        db.Add(row);
        if (link is null)
        {
            await db.SaveChangesAsync(ct);
            return row;
        }

        // A one-time link: the assessment and the link's use are one transaction, and the use is a compare-and-set on
        // assessment_id (a concurrency token), so a double-submitted form (two taps, two tabs) stores one assessment.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
            link.AssessmentId = row.Id;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return row;
        }
        catch (DbUpdateConcurrencyException)
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return new AssessmentLinkInvalid();
        }
    }

    private async Task<Outcome<bool>> ConfirmAsync(RiskAssessment row, Customer customer, AssessmentConfirmRequest r, CancellationToken ct)
    {
        if (row.Status != AssessmentStatus.AwaitingConfirmation)
        {
            return new AssessmentNotAwaiting();
        }

        if (r.Version != row.Version)
        {
            return Problems.StaleVersion();
        }

        row.Status = r.Accept ? AssessmentStatus.Confirmed : AssessmentStatus.Declined;
        row.ConfirmedAt = time.GetUtcNow();
        if (r.Accept)
        {
            customer.RiskTolerance = row.Level;
        }

        await db.SaveChangesAsync(ct);
        return true;
    }

    private async Task<AssessmentLink?> LinkAsync(string? token, CancellationToken ct, bool tracked = false)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return null;
        }

        var hash = Hash(token.Trim());
        var links = tracked ? db.Set<AssessmentLink>() : db.Set<AssessmentLink>().AsNoTracking();
        var link = await links.SingleOrDefaultAsync(l => l.TokenHash == hash, ct);
        return link is null || link.ExpiresAt <= time.GetUtcNow() ? null : link;
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private async Task<List<AssessmentDto>> ToDtosAsync(IReadOnlyList<RiskAssessment> rows, CancellationToken ct)
    {
        var staffIds = rows.Select(a => a.AssistedById).OfType<long>().Distinct().ToList();
        var names = await db.Set<Staff>().AsNoTracking().Where(s => staffIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.DisplayName, ct);
        var governing = rows.Count == 0 ? null : await GoverningAsync(rows[0].CustomerId, ct);
        var now = time.GetUtcNow();
        return [.. rows.Select(a => new AssessmentDto(
            a.Id, a.CustomerId, a.QuestionnaireNumber, a.Score, a.ScoreLevel, a.Level, a.PreviousLevel, a.Channel,
            a.AssistedById is { } s ? names.GetValueOrDefault(s) : null, a.CustomerPresent, a.Status, a.TakenAt, a.ConfirmedAt, a.ValidUntil,
            governing?.Id == a.Id && a.ValidUntil > now, a.Version,
            JsonSerializer.Deserialize<Dictionary<string, string>>(a.AnswersJson, Json) ?? []))];
    }

    private async Task<Customer?> VisibleCustomerAsync(long id, bool tracked, CancellationToken ct) =>
        await CustomerDirectory.Within(tracked ? db.Set<Customer>() : db.Set<Customer>().AsNoTracking(), user.HasInstitutionScope, user.BranchIds)
            .SingleOrDefaultAsync(c => c.Id == id, ct);

    /// <summary>The UTC bounds of the local calendar day that contains <paramref name="instant"/> in <paramref name="zoneId"/>.</summary>
    internal static (DateTimeOffset Start, DateTimeOffset End) LocalDay(DateTimeOffset instant, string? zoneId)
    {
        var zone = (zoneId is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId)) ?? DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
        var date = Instant.FromDateTimeOffset(instant).InZone(zone).Date;
        return (zone.AtStartOfDay(date).ToDateTimeOffset(), zone.AtStartOfDay(date.PlusDays(1)).ToDateTimeOffset());
    }
}
