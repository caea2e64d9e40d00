using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>
/// A version of a letter template (Liquid, rendered by Fluid) for one kind and language. Versions are never edited: publishing
/// makes the next number, and a stored letter records the <see cref="Code"/> it was rendered from, so a new version never
/// changes a letter already issued. Version 1 of each is the text Steward shipped in code (migration 0029).
/// </summary>
public sealed class ComplaintLetterTemplate : IAuditable
{
    public long Id { get; set; }

    public ComplaintLetterKind Kind { get; set; }

    /// <summary><c>zh-CN</c> or <c>en</c>, as the letters have it.</summary>
    public string Language { get; set; } = "";

    public int Version { get; set; }

    public string Body { get; set; } = "";

    /// <summary>What changed and why (optional).</summary>
    public string? Note { get; set; }

    public long? PublishedById { get; set; }

    public DateTimeOffset PublishedAt { get; set; }

    /// <summary>The code a letter records, <c>kind.language.vN</c>: <c>acknowledgment.zh.v1</c>, <c>final-response.en.v2</c>.</summary>
    public string Code => ComplaintLetterTemplates.CodeOf(Kind, Language, Version);
}

internal sealed class ComplaintLetterTemplateConfiguration : IEntityTypeConfiguration<ComplaintLetterTemplate>
{
    public void Configure(EntityTypeBuilder<ComplaintLetterTemplate> builder)
    {
        builder.ToTable("complaint_letter_templates");
        builder.HasIndex(t => new { t.Kind, t.Language, t.Version }).IsUnique();
        builder.Property(t => t.Language).HasMaxLength(10);
        builder.Property(t => t.Body).HasMaxLength(20000);
        builder.Property(t => t.Note).HasMaxLength(1000);
        builder.Ignore(t => t.Code);
        builder.HasOne<Staff>().WithMany().HasForeignKey(t => t.PublishedById).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>A new version of the template of <see cref="Kind"/> in <see cref="Language"/>, based on version <see cref="BasedOn"/> (the one in force).</summary>
public sealed record ComplaintLetterTemplatePublishRequest(ComplaintLetterKind? Kind, string? Language, int? BasedOn, string? Body, string? Note);

public sealed record ComplaintLetterTemplateDto(
    long Id, ComplaintLetterKind Kind, string Language, int Version, string Code, string Body, string? Note, long? PublishedById, DateTimeOffset PublishedAt);

public sealed record ComplaintLetterTemplateNotFound(string Kind, string Language, int Version) : NotFoundError(
    "letter-template-not-found", "No such letter template 函件模板不存在",
    FormattableString.Invariant($"There is no version {Version} of the {Kind} template in {Language}. 函件模板（{Kind}，{Language}）没有第 {Version} 版。"));

/// <summary>
/// The letter templates as data: the version in force per kind and language, their history, and publishing a new version
/// (compliance, <see cref="Permission.ComplaintsOversee"/>). A template is refused on publish when it does not parse, uses a
/// variable the letters do not supply, or leaves out a statement the regulation requires (<see cref="ComplaintLetterTemplateCheck"/>).
/// </summary>
public sealed class ComplaintLetterTemplates(StewardDbContext db, CurrentUser user, TimeProvider time)
{
    /// <summary><c>zh-CN</c> (also <c>zh</c>) or <c>en</c>; anything else is null.</summary>
    public static string? LanguageOf(string? language) => Cultures.Of(language);

    public static string CodeOf(ComplaintLetterKind kind, string language, int version) => FormattableString.Invariant(
        $"{(kind == ComplaintLetterKind.Acknowledgment ? "acknowledgment" : "final-response")}.{(language == Cultures.English ? "en" : "zh")}.v{version}");

    /// <summary>The version in force (the highest number) of the template of a kind and language.</summary>
    public async Task<ComplaintLetterTemplate> InForceAsync(ComplaintLetterKind kind, string language, CancellationToken ct) =>
        await db.Set<ComplaintLetterTemplate>().AsNoTracking().Where(t => t.Kind == kind && t.Language == language).OrderByDescending(t => t.Version).FirstOrDefaultAsync(ct)
            ?? throw new InvalidOperationException("No complaint letter template for " + kind + " in " + language + ": migration 0029 seeds version 1.");

    /// <summary>The version in force of every kind and language: acknowledgment zh-CN, en, then final response zh-CN, en.</summary>
    public async Task<IReadOnlyList<ComplaintLetterTemplateDto>> InForceAsync(CancellationToken ct = default)
    {
        var all = await db.Set<ComplaintLetterTemplate>().AsNoTracking().ToListAsync(ct);
        return [.. all.GroupBy(t => (t.Kind, t.Language)).Select(g => g.MaxBy(t => t.Version)!)
            .OrderBy(t => t.Kind).ThenBy(t => t.Language == Cultures.English).Select(ToDto)];
    }

    /// <summary>Every version of one template, newest first.</summary>
    public async Task<IReadOnlyList<ComplaintLetterTemplateDto>> HistoryAsync(ComplaintLetterKind kind, string language, CancellationToken ct = default) =>
        (await db.Set<ComplaintLetterTemplate>().AsNoTracking().Where(t => t.Kind == kind && t.Language == language).OrderByDescending(t => t.Version).ToListAsync(ct))
        .Select(ToDto).ToList();

    public async Task<Outcome<ComplaintLetterTemplateDto>> GetAsync(string? kind, string? language, int version, CancellationToken ct = default)
    {
        var (k, l) = (Enum.TryParse<ComplaintLetterKind>(kind, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : (ComplaintLetterKind?)null, LanguageOf(language));
        var t = k is null || l is null ? null
            : await db.Set<ComplaintLetterTemplate>().AsNoTracking().SingleOrDefaultAsync(t => t.Kind == k && t.Language == l && t.Version == version, ct);
        return t is null ? new ComplaintLetterTemplateNotFound(kind ?? "", language ?? "", version) : ToDto(t);
    }

    public async Task<Outcome<ComplaintLetterTemplateDto>> PublishAsync(ComplaintLetterTemplatePublishRequest r, CancellationToken ct = default)
    {
        if (!user.Can(Permission.ComplaintsOversee))
        {
            return new ComplaintActionForbidden();
        }

        var errors = new Dictionary<string, string[]>();
        if (r.Kind is null || !Enum.IsDefined(r.Kind.Value))
        {
            errors["kind"] = ["Choose the letter: Acknowledgment or FinalResponse. 请选择函件类型。"];
        }

        var language = LanguageOf(r.Language);
        if (language is null)
        {
            errors["language"] = ["Choose Chinese (zh-CN) or English (en). 请选择中文（zh-CN）或英文（en）。"];
        }

        var note = r.Note?.Trim();
        if (note is { Length: > 1000 })
        {
            errors["note"] = ["At most 1,000 characters. 最多 1000 个字符。"];
        }

        if (errors.Count == 0)
        {
            var problems = ComplaintLetterTemplateCheck.Problems(r.Kind!.Value, language!, r.Body);
            if (problems.Count > 0)
            {
                errors["body"] = [.. problems];
            }
        }

        ComplaintLetterTemplate? current = null;
        if (errors.Count == 0)
        {
            current = await InForceAsync(r.Kind!.Value, language!, ct);
            if (r.BasedOn is null)
            {
                errors["basedOn"] = [FormattableString.Invariant($"Send the version the new text is based on ({current.Version}). 请提供新文本所依据的版本号（{current.Version}）。")];
            }
            else if (r.BasedOn != current.Version)
            {
                return Problems.StaleVersion();
            }
        }

        if (errors.Count > 0)
        {
            return new ComplaintInvalid(errors);
        }

        var template = new ComplaintLetterTemplate
        {
            Kind = current!.Kind, Language = current.Language, Version = current.Version + 1, Body = r.Body!.Trim(), Note = string.IsNullOrEmpty(note) ? null : note,
            PublishedById = user.StaffId, PublishedAt = time.GetUtcNow(),
        };
        db.Add(template);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another version with this number published meanwhile (the unique index): nothing stored.
            db.Entry(template).State = EntityState.Detached;
            return Problems.StaleVersion();
        }

        return ToDto(template);
    }

    private static ComplaintLetterTemplateDto ToDto(ComplaintLetterTemplate t) =>
        new(t.Id, t.Kind, t.Language, t.Version, t.Code, t.Body, t.Note, t.PublishedById, t.PublishedAt);
}
