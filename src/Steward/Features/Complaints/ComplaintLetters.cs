using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>Which letter, in which language (<c>zh-CN</c> or <c>en</c>; none: the customer's, see <see cref="CustomerLanguages"/>).</summary>
public sealed record ComplaintLetterRequest(ComplaintLetterKind? Kind, string? Language);

public sealed record ComplaintLetterDto(long Id, long ComplaintId, long CaseId, ComplaintLetterKind Kind, string Language, string Template, int Number, string Body, DateTimeOffset CreatedAt);

/// <summary>A final response before the complaint has its outcome.</summary>
public sealed record LetterBeforeOutcome() : ConflictError(
    "letter-before-outcome", "No outcome yet 尚未作出处理结论", "Record the outcome before the final response letter. 请先作出处理结论，再出具最终答复函。");

public sealed record ComplaintLetterNotFound(long Id) : NotFoundError(
    "letter-not-found", "No such letter 函件不存在", FormattableString.Invariant($"Letter {Id} does not exist. 函件不存在。"));

/// <summary>
/// Renders a complaint's letters from the template version in force (<see cref="ComplaintLetterTemplates"/>) with Fluid (values
/// HTML-encoded) and stores each with the case, stamped with its number and the template's code (<c>kind.language.vN</c>); a
/// letter is never re-rendered, so a later template version leaves it as issued. Dates are the branch's local dates.
/// </summary>
public sealed class ComplaintLetters(StewardDbContext db, CurrentUser user, ComplaintService complaints, ComplaintLetterTemplates templates, TimeProvider time)
{
    /// <summary>The language a letter is offered in: the complainant's stated one, else the branch regime's.</summary>
    public async Task<string> LanguageOfCustomerAsync(ComplaintDto complaint, CancellationToken ct = default) => await CustomerLanguages.ForAsync(
        db, await db.Set<Case>().AsNoTracking().Where(c => c.Id == complaint.CaseId).Select(c => c.CustomerId).SingleOrDefaultAsync(ct), complaint.BranchId, ct);

    public async Task<Outcome<ComplaintLetterDto>> CreateAsync(long id, ComplaintLetterRequest r, CancellationToken ct = default)
    {
        var loaded = await complaints.GetAsync(id, ct);
        if (loaded.Error is { } notFound)
        {
            return notFound;
        }

        if (!user.Can(Permission.ComplaintsHandle))
        {
            return new ComplaintActionForbidden();
        }

        var complaint = loaded.Value!;
        var errors = new Dictionary<string, string[]>();
        if (r.Kind is null)
        {
            errors["kind"] = ["Choose the letter. 请选择函件类型。"];
        }

        var language = string.IsNullOrWhiteSpace(r.Language) ? await LanguageOfCustomerAsync(complaint, ct) : ComplaintLetterTemplates.LanguageOf(r.Language);
        if (language is null)
        {
            errors["language"] = ["Choose Chinese (zh-CN) or English (en). 请选择中文（zh-CN）或英文（en）。"];
        }

        if (errors.Count > 0)
        {
            return new ComplaintInvalid(errors);
        }

        var kind = r.Kind!.Value;
        if (kind == ComplaintLetterKind.FinalResponse && complaint.Outcome is null)
        {
            return new LetterBeforeOutcome();
        }

        var template = await templates.InForceAsync(kind, language!, ct);
        var body = ComplaintLetterTemplateCheck.Render(template.Body, await ValuesAsync(complaint, language!, ct));
        var number = 1 + await db.Set<ComplaintLetter>().Where(x => x.ComplaintId == id && x.Kind == kind && x.Language == language).CountAsync(ct);
        var letter = new ComplaintLetter
        {
            ComplaintId = id, CaseId = complaint.CaseId, Kind = kind, Language = language!, Template = template.Code, Number = number, Body = body,
            CreatedById = user.StaffId, CreatedAt = time.GetUtcNow(),
        };
        db.Add(letter);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same letter's number taken by a concurrent request (the unique index): nothing stored, try again.
            db.Entry(letter).State = EntityState.Detached;
            return Problems.StaleVersion();
        }

        return ToDto(letter);
    }

    public async Task<Outcome<IReadOnlyList<ComplaintLetterDto>>> ListAsync(long id, CancellationToken ct = default)
    {
        var loaded = await complaints.LoadAsync(id, ct, tracked: false);
        if (loaded.Error is { } notFound)
        {
            return notFound;
        }

        var rows = await db.Set<ComplaintLetter>().AsNoTracking().Where(x => x.ComplaintId == id).OrderBy(x => x.Id).ToListAsync(ct);
        return rows.Select(ToDto).ToList();
    }

    public async Task<Outcome<ComplaintLetterDto>> GetAsync(long id, long letterId, CancellationToken ct = default)
    {
        var loaded = await complaints.LoadAsync(id, ct, tracked: false);
        if (loaded.Error is { } notFound)
        {
            return notFound;
        }

        var letter = await db.Set<ComplaintLetter>().AsNoTracking().SingleOrDefaultAsync(x => x.Id == letterId && x.ComplaintId == id, ct);
        return letter is null ? new ComplaintLetterNotFound(letterId) : ToDto(letter);
    }

    /// <summary>The values of <see cref="ComplaintLetterTemplateCheck.Variables"/> for this complaint, in the letter's language.</summary>
    private async Task<Dictionary<string, string>> ValuesAsync(ComplaintDto complaint, string language, CancellationToken ct)
    {
        var en = language == Cultures.English;
        var culture = CultureInfo.GetCultureInfo(language);
        var c = await db.Set<Case>().AsNoTracking().Where(x => x.Id == complaint.CaseId).Select(x => new { x.CustomerId, x.ContactName, x.BranchId }).SingleAsync(ct);
        var customer = c.CustomerId is { } cid ? await db.Set<Customer>().AsNoTracking().Where(x => x.Id == cid).Select(x => x.Name).SingleOrDefaultAsync(ct) : null;
        var branch = await db.Set<Branch>().AsNoTracking().Where(b => b.Id == c.BranchId).Select(b => new { b.Name, b.NameEn, b.TimeZone }).SingleAsync(ct);
        var institution = await db.Set<Institution>().AsNoTracking().Select(i => new { i.Name, i.NameEn }).FirstOrDefaultAsync(ct);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(branch.TimeZone);
        string Day(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone).ToString(en ? "d MMMM yyyy" : "yyyy年M月d日", culture);
        string Text(string key) => JsonStringLocalizerFactory.Text(language, key);
        var deadline = complaint.Deadlines.LastOrDefault(d => d.Kind is ComplaintDeadlines.Decision or ComplaintDeadlines.FinalResponse);
        var remedies = string.Join(en ? "; " : "；", complaint.Remedies.Where(x => x.Status == RemedyStatus.Approved).Select(x =>
            Text("enum.RemedyKind." + x.Kind) + (x.Amount is { } a ? " " + x.Currency + " " + a.ToString("N2", CultureInfo.InvariantCulture) : "")));
        var values = new Dictionary<string, string>
        {
            ["institution"] = (en ? institution?.NameEn : institution?.Name) ?? "",
            ["branch"] = en ? branch.NameEn : branch.Name,
            ["reference"] = complaint.CaseReference,
            ["today"] = Day(time.GetUtcNow()),
            ["complainant"] = complaint.RepresentativeName ?? customer ?? c.ContactName ?? "",
            ["received_on"] = Day(complaint.ReceivedAt),
            ["what_happened"] = complaint.WhatHappened,
            ["what_they_want"] = complaint.WhatTheyWant,
            ["deadline"] = deadline is null ? "" : deadline.LastDay.ToString(en ? "d MMMM yyyy" : "yyyy年M月d日", culture),
            ["regime"] = complaint.Regime is null ? "" : Text("complaint.regime." + complaint.Regime),
            ["regime_code"] = complaint.Regime ?? "",
            ["outcome"] = complaint.Outcome is { } o ? Text("enum.ComplaintOutcome." + o) : "",
            ["root_cause"] = complaint.RootCause ?? "",
            ["remedies"] = remedies,
        };
        return values;
    }

    private static ComplaintLetterDto ToDto(ComplaintLetter x) => new(x.Id, x.ComplaintId, x.CaseId, x.Kind, x.Language, x.Template, x.Number, x.Body, x.CreatedAt);
}
