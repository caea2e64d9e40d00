using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>A code of a set, with its names (to add it, or to rename it).</summary>
public sealed record ComplaintCodeChange(ComplaintCodeSet? CodeSet, string? Code, string? Name, string? NameEn);

/// <summary>A code of a set (to retire it).</summary>
public sealed record ComplaintCodeRef(ComplaintCodeSet? CodeSet, string? Code);

/// <summary>
/// A new taxonomy version: the changes to the version in force, which must be <see cref="BasedOn"/> (a version published
/// meanwhile makes the request stale, 409).
/// </summary>
public sealed record ComplaintTaxonomyPublishRequest(
    int? BasedOn, string? Citation, IReadOnlyList<ComplaintCodeChange>? Add, IReadOnlyList<ComplaintCodeChange>? Rename, IReadOnlyList<ComplaintCodeRef>? Retire);

public sealed record ComplaintTaxonomyVersionNotFound(int Number) : NotFoundError(
    "taxonomy-version-not-found", "No such classification version 分类版本不存在",
    FormattableString.Invariant($"Classification version {Number} does not exist. 分类第 {Number} 版不存在。"));

/// <summary>
/// Publishing a new version of the complaint classification (compliance: <see cref="Permission.ComplaintsOversee"/>). The new
/// version copies every code of the one in force, then adds, renames and retires as asked; nothing already coded changes,
/// because a complaint keeps the id of the version it was coded in. A retired code stays in the version (its names still show)
/// and is refused by <see cref="ComplaintTaxonomies.Check"/>. Everything is checked before anything is written; the version and
/// its codes are one save (audited, both entity types).
/// </summary>
public sealed class ComplaintTaxonomyVersions(StewardDbContext db, CurrentUser user, ComplaintTaxonomies taxonomies, TimeProvider time)
{
    /// <summary>The format of a code per set, as the seeded version 1 has them: JR/T 0169 A01 / A031, B05, C12; words for the rest.</summary>
    private static readonly Dictionary<ComplaintCodeSet, (Regex Pattern, string Example)> Formats = new()
    {
        [ComplaintCodeSet.Nature] = (new Regex("^[A-Z][A-Z_]{1,19}$"), "PRODUCT"),
        [ComplaintCodeSet.JrtChannel] = (new Regex("^A[0-9]{2,3}$"), "A01, A031"),
        [ComplaintCodeSet.JrtBusiness] = (new Regex("^B[0-9]{2}$"), "B05"),
        [ComplaintCodeSet.JrtCause] = (new Regex("^C[0-9]{2}$"), "C12"),
        [ComplaintCodeSet.FcaProductGroup] = (new Regex("^[A-Z][A-Z_]{1,19}$"), "BANKING"),
    };

    public async Task<Outcome<ComplaintTaxonomyDto>> GetAsync(int number, CancellationToken ct = default)
    {
        var t = await db.Set<ComplaintTaxonomy>().AsNoTracking().Include(x => x.Codes).SingleOrDefaultAsync(x => x.Number == number, ct);
        return t is null ? new ComplaintTaxonomyVersionNotFound(number) : ToDto(t);
    }

    public async Task<IReadOnlyList<ComplaintTaxonomyDto>> HistoryAsync(CancellationToken ct = default) =>
        (await db.Set<ComplaintTaxonomy>().AsNoTracking().OrderByDescending(t => t.Number).ToListAsync(ct)).Select(ToDto).ToList();

    public async Task<Outcome<ComplaintTaxonomyDto>> PublishAsync(ComplaintTaxonomyPublishRequest r, CancellationToken ct = default)
    {
        if (!user.Can(Permission.ComplaintsOversee))
        {
            return new ComplaintActionForbidden();
        }

        var current = await taxonomies.CurrentAsync(ct);
        var errors = new Dictionary<string, string[]>();
        if (r.BasedOn is null)
        {
            errors["basedOn"] = [FormattableString.Invariant($"Send the version the changes are based on ({current.Number}). 请提供修改所依据的版本号（{current.Number}）。")];
        }
        else if (r.BasedOn != current.Number)
        {
            return Problems.StaleVersion();
        }

        var citation = r.Citation?.Trim();
        if (citation is { Length: > 1000 })
        {
            errors["citation"] = ["At most 1,000 characters. 最多 1000 个字符。"];
        }

        var codes = current.Codes.Select(c => new ComplaintCode { CodeSet = c.CodeSet, Code = c.Code, Name = c.Name, NameEn = c.NameEn, Retired = c.Retired }).ToList();
        ComplaintCode? Find(ComplaintCodeSet set, string code) => codes.FirstOrDefault(c => c.CodeSet == set && c.Code == code);
        var changed = 0;

        foreach (var (a, i) in (r.Add ?? []).Select((a, i) => (a, i)))
        {
            var at = FormattableString.Invariant($"add[{i}]");
            if (Key(errors, at, a.CodeSet, a.Code) is not { } key || !Names(errors, at, a.Name, a.NameEn))
            {
                continue;
            }

            var (pattern, example) = Formats[key.Set];
            if (!pattern.IsMatch(key.Code))
            {
                errors[at + ".code"] = [FormattableString.Invariant(
                    $"\"{Shown(key.Code)}\" is not a code of {ComplaintTaxonomies.SetName(key.Set, en: true)} (like {example}). “{Shown(key.Code)}”不符合{ComplaintTaxonomies.SetName(key.Set, en: false)}代码格式（如 {example}）。")];
            }
            else if (Find(key.Set, key.Code) is not null)
            {
                errors[at + ".code"] = [FormattableString.Invariant(
                    $"{ComplaintTaxonomies.SetName(key.Set, en: true)} already has code \"{key.Code}\". 代码“{key.Code}”在{ComplaintTaxonomies.SetName(key.Set, en: false)}中已存在。")];
            }
            else
            {
                codes.Add(new ComplaintCode { CodeSet = key.Set, Code = key.Code, Name = a.Name!.Trim(), NameEn = a.NameEn!.Trim() });
                changed++;
            }
        }

        foreach (var (n, i) in (r.Rename ?? []).Select((n, i) => (n, i)))
        {
            var at = FormattableString.Invariant($"rename[{i}]");
            if (Key(errors, at, n.CodeSet, n.Code) is not { } key || !Names(errors, at, n.Name, n.NameEn))
            {
                continue;
            }

            if (Find(key.Set, key.Code) is not { } code)
            {
                errors[at + ".code"] = [NotInVersion(key, current.Number)];
            }
            else
            {
                (code.Name, code.NameEn) = (n.Name!.Trim(), n.NameEn!.Trim());
                changed++;
            }
        }

        foreach (var (x, i) in (r.Retire ?? []).Select((x, i) => (x, i)))
        {
            var at = FormattableString.Invariant($"retire[{i}]");
            if (Key(errors, at, x.CodeSet, x.Code) is not { } key)
            {
                continue;
            }

            if (Find(key.Set, key.Code) is not { } code)
            {
                errors[at + ".code"] = [NotInVersion(key, current.Number)];
            }
            else if (code.Retired)
            {
                errors[at + ".code"] = [FormattableString.Invariant($"Code \"{key.Code}\" is already retired. 代码“{key.Code}”已停用。")];
            }
            else
            {
                code.Retired = true;
                changed++;
            }
        }

        if (errors.Count == 0 && changed == 0)
        {
            errors["add"] = ["Add, rename or retire at least one code. 请至少新增、改名或停用一个代码。"];
        }

        if (errors.Count > 0)
        {
            return new ComplaintInvalid(errors);
        }

        var now = time.GetUtcNow();
        var version = new ComplaintTaxonomy
        {
            Number = current.Number + 1, PublishedOn = DateOnly.FromDateTime(now.UtcDateTime), Citation = string.IsNullOrEmpty(citation) ? current.Citation : citation, Codes = codes,
        };
        db.Add(version);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another version with this number published meanwhile (the unique index): nothing stored.
            db.Entry(version).State = EntityState.Detached;
            return Problems.StaleVersion();
        }

        return ToDto(version);
    }

    private static (ComplaintCodeSet Set, string Code)? Key(Dictionary<string, string[]> errors, string at, ComplaintCodeSet? set, string? code)
    {
        var ok = true;
        if (set is null || !Enum.IsDefined(set.Value))
        {
            errors[at + ".codeSet"] = ["Choose the code set: Nature, JrtChannel, JrtBusiness, JrtCause or FcaProductGroup. 请选择代码集。"];
            ok = false;
        }

        var trimmed = code?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(trimmed))
        {
            errors[at + ".code"] = ["Enter the code. 请填写代码。"];
            ok = false;
        }

        return ok ? (set!.Value, trimmed!) : null;
    }

    private static bool Names(Dictionary<string, string[]> errors, string at, string? name, string? nameEn)
    {
        var ok = true;
        foreach (var (field, value, missing) in new[]
                 {
                     (".name", name, "Enter the Chinese name. 请填写中文名称。"), (".nameEn", nameEn, "Enter the English name. 请填写英文名称。"),
                 })
        {
            var v = value?.Trim();
            if (string.IsNullOrEmpty(v))
            {
                errors[at + field] = [missing];
                ok = false;
            }
            else if (v.Length > 200)
            {
                errors[at + field] = ["At most 200 characters. 最多 200 个字符。"];
                ok = false;
            }
        }

        return ok;
    }

    private static string NotInVersion((ComplaintCodeSet Set, string Code) key, int number) => FormattableString.Invariant(
        $"Unknown code \"{Shown(key.Code)}\" in {ComplaintTaxonomies.SetName(key.Set, en: true)} (classification version {number}). 代码“{Shown(key.Code)}”不在{ComplaintTaxonomies.SetName(key.Set, en: false)}中（分类第 {number} 版）。");

    private static string Shown(string code) => code.Length > 20 ? code[..20] + "…" : code;

    private static ComplaintTaxonomyDto ToDto(ComplaintTaxonomy t) => new(t.Id, t.Number, t.PublishedOn, t.Citation,
        [.. t.Codes.OrderBy(c => c.CodeSet).ThenBy(c => c.Code, StringComparer.Ordinal).Select(c => new ComplaintCodeDto(c.CodeSet, c.Code, c.Name, c.NameEn, c.Retired))]);
}
