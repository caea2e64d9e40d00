using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Quality;

/// <summary>The scorecard versions: those in force, one scorecard's history, publishing the next version.</summary>
public sealed class QualityScorecards(StewardDbContext db, CurrentUser user, TimeProvider time)
{
    /// <summary>The version in force (the highest number) of every scorecard, by code.</summary>
    public async Task<IReadOnlyList<QaScorecardDto>> CurrentAsync(QaSubjectKind? kind = null, CancellationToken ct = default)
    {
        var query = db.Set<QualityScorecard>().AsNoTracking()
            .Where(s => s.Number == db.Set<QualityScorecard>().Where(x => x.Code == s.Code).Max(x => x.Number));
        if (kind is { } k)
        {
            query = query.Where(s => s.SubjectKind == k);
        }

        return [.. (await query.OrderBy(s => s.Code).ToListAsync(ct)).Select(ToDto)];
    }

    /// <summary>Every version of scorecard <paramref name="code"/>, newest first.</summary>
    public async Task<Outcome<IReadOnlyList<QaScorecardDto>>> HistoryAsync(string code, CancellationToken ct = default)
    {
        var rows = await db.Set<QualityScorecard>().AsNoTracking().Where(s => s.Code == code).OrderByDescending(s => s.Number).ToListAsync(ct);
        return rows.Count == 0 ? new QaScorecardNotFound(code) : rows.Select(ToDto).ToList();
    }

    public async Task<Outcome<QaScorecardDto>> PublishAsync(QaScorecardPublishRequest r, CancellationToken ct = default)
    {
        var errors = ScorecardContent.Check(r.Content);
        var code = r.Code?.Trim().ToLowerInvariant() ?? "";
        if (code.Length is 0 or > 40 || !code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            errors["code"] = ["Give the scorecard a code of lower-case letters, digits and - (at most 40). 请填写评分表代码（小写字母、数字和 -，最多 40 个字符）。"];
        }

        if (string.IsNullOrWhiteSpace(r.Name) || string.IsNullOrWhiteSpace(r.NameEn) || r.Name.Length > 200 || r.NameEn.Length > 200)
        {
            errors["name"] = ["Give the name in Chinese and in English (at most 200 characters each). 请填写中英文名称（各不超过 200 个字符）。"];
        }

        if (r.SubjectKind is not { } kind || !Enum.IsDefined(kind))
        {
            errors["subjectKind"] = ["Choose what the scorecard reviews. 请选择评分表的质检对象。"];
        }

        if (errors.Count > 0)
        {
            return new QaScorecardInvalid(errors);
        }

        var current = await db.Set<QualityScorecard>().Where(s => s.Code == code).MaxAsync(s => (int?)s.Number, ct);
        if (current != r.BasedOn)
        {
            return current is { } c ? new QaScorecardChanged(c) : new QaScorecardNotFound(code);
        }

        var row = new QualityScorecard
        {
            Code = code, Number = (current ?? 0) + 1, Name = r.Name!.Trim(), NameEn = r.NameEn!.Trim(), SubjectKind = r.SubjectKind!.Value,
            ContentJson = r.Content!.ToJson(), PublishedAt = time.GetUtcNow(), PublishedById = user.StaffId,
        };
        db.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two publishers of the same next number: the unique (code, number) lets one win.
            return new QaScorecardChanged(row.Number);
        }

        return ToDto(row);
    }

    internal static QaScorecardDto ToDto(QualityScorecard s) =>
        new(s.Id, s.Code, s.Number, s.Name, s.NameEn, s.SubjectKind, ScorecardContent.Parse(s.ContentJson), s.PublishedAt);
}
