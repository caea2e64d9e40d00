using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Suitability;

public sealed record QuestionnaireDto(int Number, DateTimeOffset PublishedAt, QuestionnaireContent Content);

public sealed record QuestionnairePublishRequest(int? BasedOn, QuestionnaireContent? Content);

public sealed record RuleSetDto(int Number, DateTimeOffset CreatedAt, string? Note, SuitabilityRuleContent Rules);

public sealed record RuleSetPublishRequest(int? BasedOn, SuitabilityRuleContent? Rules, string? Note);

/// <summary>
/// The versions of the questionnaire and of the suitability rules. Neither is ever edited in place: publishing adds the
/// next number (based on the current one — a stale base is 409), and the first read publishes version 1 from the
/// defaults (<see cref="DefaultQuestionnaire"/>, <see cref="SuitabilityRuleContent.Default"/>).
/// </summary>
public sealed class SuitabilityCatalog(StewardDbContext db, CurrentUser user, TimeProvider time)
{
    private static readonly UniqueIndex QuestionnaireNumber = new("risk_questionnaires", "ix_risk_questionnaires_number", "number");
    private static readonly UniqueIndex RuleSetNumber = new("suitability_rule_sets", "ix_suitability_rule_sets_number", "number");

    public async Task<QuestionnaireDto> CurrentQuestionnaireAsync(CancellationToken ct = default)
    {
        var row = await db.Set<RiskQuestionnaire>().AsNoTracking().OrderByDescending(q => q.Number).FirstOrDefaultAsync(ct)
            ?? await FirstAsync(new RiskQuestionnaire { Number = 1, ContentJson = DefaultQuestionnaire.Content.ToJson(), PublishedAt = time.GetUtcNow() }, QuestionnaireNumber, ct);
        return new QuestionnaireDto(row.Number, row.PublishedAt, QuestionnaireContent.Parse(row.ContentJson));
    }

    public async Task<Outcome<QuestionnaireDto>> QuestionnaireAsync(int number, CancellationToken ct = default)
    {
        await CurrentQuestionnaireAsync(ct);
        var row = await db.Set<RiskQuestionnaire>().AsNoTracking().SingleOrDefaultAsync(q => q.Number == number, ct);
        return row is null ? new QuestionnaireNotFound(number) : new QuestionnaireDto(row.Number, row.PublishedAt, QuestionnaireContent.Parse(row.ContentJson));
    }

    public async Task<Outcome<QuestionnaireDto>> PublishQuestionnaireAsync(QuestionnairePublishRequest r, CancellationToken ct = default)
    {
        if (!user.Can(Permission.SuitabilityRulesManage))
        {
            return new SuitabilityForbidden();
        }

        var errors = QuestionnaireContent.Check(r.Content);
        if (errors.Count > 0)
        {
            return new SuitabilityInvalid(errors);
        }

        var current = await CurrentQuestionnaireAsync(ct);
        if (r.BasedOn != current.Number)
        {
            return Problems.StaleVersion();
        }

        var row = new RiskQuestionnaire { Number = current.Number + 1, ContentJson = r.Content!.ToJson(), PublishedById = user.StaffId, PublishedAt = time.GetUtcNow() };
        db.Add(row);
        if (!await TrySaveAsync(row, QuestionnaireNumber, ct))
        {
            return Problems.StaleVersion();
        }

        return new QuestionnaireDto(row.Number, row.PublishedAt, r.Content);
    }

    public async Task<RuleSetDto> CurrentRulesAsync(CancellationToken ct = default)
    {
        var row = await db.Set<SuitabilityRuleSet>().AsNoTracking().OrderByDescending(q => q.Number).FirstOrDefaultAsync(ct)
            ?? await FirstAsync(new SuitabilityRuleSet { Number = 1, ContentJson = SuitabilityRuleContent.Default.ToJson(), CreatedAt = time.GetUtcNow() }, RuleSetNumber, ct);
        return ToDto(row);
    }

    public async Task<Outcome<RuleSetDto>> RulesAsync(int number, CancellationToken ct = default)
    {
        await CurrentRulesAsync(ct);
        var row = await db.Set<SuitabilityRuleSet>().AsNoTracking().SingleOrDefaultAsync(q => q.Number == number, ct);
        return row is null ? new RuleSetNotFound(number) : ToDto(row);
    }

    public async Task<IReadOnlyList<RuleSetDto>> RuleHistoryAsync(CancellationToken ct = default)
    {
        await CurrentRulesAsync(ct);
        var rows = await db.Set<SuitabilityRuleSet>().AsNoTracking().OrderByDescending(q => q.Number).Take(50).ToListAsync(ct);
        return [.. rows.Select(ToDto)];
    }

    public async Task<Outcome<RuleSetDto>> PublishRulesAsync(RuleSetPublishRequest r, CancellationToken ct = default)
    {
        if (!user.Can(Permission.SuitabilityRulesManage))
        {
            return new SuitabilityForbidden();
        }

        var errors = SuitabilityRuleContent.Check(r.Rules);
        var note = r.Note?.Trim();
        if (note is { Length: > 400 })
        {
            errors["note"] = ["Up to 400 characters. 不超过 400 字。"];
        }

        if (errors.Count > 0)
        {
            return new SuitabilityInvalid(errors);
        }

        var current = await CurrentRulesAsync(ct);
        if (r.BasedOn != current.Number)
        {
            return Problems.StaleVersion();
        }

        var row = new SuitabilityRuleSet
        {
            Number = current.Number + 1, ContentJson = r.Rules!.ToJson(), Note = string.IsNullOrEmpty(note) ? null : note, CreatedById = user.StaffId, CreatedAt = time.GetUtcNow(),
        };
        db.Add(row);
        return await TrySaveAsync(row, RuleSetNumber, ct) ? ToDto(row) : Problems.StaleVersion();
    }

    private static RuleSetDto ToDto(SuitabilityRuleSet row) => new(row.Number, row.CreatedAt, row.Note, SuitabilityRuleContent.Parse(row.ContentJson));

    /// <summary>Publishes version 1; when another request published it first, reads theirs.</summary>
    private async Task<T> FirstAsync<T>(T row, UniqueIndex index, CancellationToken ct)
        where T : class
    {
        db.Add(row);
        if (await TrySaveAsync(row, index, ct))
        {
            return row;
        }

        return await db.Set<T>().AsNoTracking().Where(x => EF.Property<int>(x, "Number") == 1).SingleAsync(ct);
    }

    /// <summary>Saves the new version; false (and the row forgotten) when another request took its number first.</summary>
    private async Task<bool> TrySaveAsync(object row, UniqueIndex index, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (index.IsViolatedBy(e))
        {
            db.Entry(row).State = EntityState.Detached;
            return false;
        }
    }
}
