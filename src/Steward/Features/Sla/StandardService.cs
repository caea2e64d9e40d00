using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Api;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Features.Sla;

/// <summary>
/// Service standards as data: list, read and version them, choose the regulatory preset, and resolve the targets that
/// apply to a case (<see cref="ResolveTargetsAsync"/>).
/// </summary>
/// <remarks>
/// <para><b>Versions.</b> A standard's content is a list of immutable versions, each in force from its effective-from
/// instant until the next one's. A new version is made from the current one with edited rules; its effective-from may
/// not be in the past nor before the latest existing version's (history is never rewritten). Creating one bumps the
/// standard's row version, so a second administrator editing from the same base gets 409.</para>
/// <para><b>Layers.</b> The institution's own standard applies to every case. The selected regulatory preset (at most
/// one) applies to complaints only and is <i>added</i>, never merged: for a complaint the resolution lists the
/// institution's targets (internal service targets, usually stricter) and, as separate entries with
/// <see cref="SlaLayer.Regulatory"/>, the regulator's. Part 2 runs a clock for each; a regulatory clock's breach is a
/// regulatory breach. Selecting another preset (or none) takes effect at once for new resolutions.</para>
/// <para><b>Regimes per branch.</b> A branch may have its own regulatory preset (<see cref="Organisation.Branch.RegulatoryStandardId"/>):
/// a case resolved for that branch gets that preset instead of the institution's; a branch without one gets the
/// institution's (decision 0016).</para>
/// </remarks>
public sealed partial class StandardService(StewardDbContext db, TimeProvider time, IAuditActorAccessor actor, SlaStandardsCache cache)
{
    public static readonly OffsetDateTimePattern InstantInput = OffsetDateTimePattern.ExtendedIso;

    public async Task<IReadOnlyList<StandardDto>> ListAsync(CancellationToken ct = default)
    {
        var standards = await db.Set<SlaStandard>().AsNoTracking().Include(s => s.Versions).ThenInclude(v => v.Rules)
            .AsSplitQuery().OrderBy(s => s.Kind).ThenBy(s => s.Code).ToListAsync(ct);
        var selected = await SelectedIdAsync(ct);
        return [.. standards.Select(s => ToDto(s, selected))];
    }

    public async Task<StandardDto?> FindAsync(long id, CancellationToken ct = default)
    {
        var standard = await db.Set<SlaStandard>().AsNoTracking().Include(s => s.Versions).ThenInclude(v => v.Rules)
            .AsSplitQuery().SingleOrDefaultAsync(s => s.Id == id, ct);
        return standard is null ? null : ToDto(standard, await SelectedIdAsync(ct));
    }

    /// <summary>One version with its rules; <paramref name="number"/> null = the version in force now.</summary>
    public async Task<StandardVersionDto?> VersionAsync(long standardId, int? number, CancellationToken ct = default)
    {
        var standard = await db.Set<SlaStandard>().AsNoTracking().Include(s => s.Versions).ThenInclude(v => v.Rules)
            .AsSplitQuery().SingleOrDefaultAsync(s => s.Id == standardId, ct);
        if (standard is null)
        {
            return null;
        }

        var version = number is { } n ? standard.Versions.FirstOrDefault(v => v.Number == n)
            : StandardResolver.InForce(standard.Versions, time.GetUtcNow()) ?? standard.Versions.OrderBy(v => v.Number).LastOrDefault();
        return version is null ? null : ToDto(standard, version);
    }

    /// <summary>Adds a version made of <paramref name="input"/> (citation and rules text default to the latest version's).</summary>
    public async Task<Outcome<StandardVersionDto>> CreateVersionAsync(long standardId, NewStandardVersionInput input, CancellationToken ct = default)
    {
        var standard = await db.Set<SlaStandard>().Include(s => s.Versions).SingleOrDefaultAsync(s => s.Id == standardId, ct);
        if (standard is null)
        {
            return new StandardNotFound(standardId);
        }

        var errors = new Dictionary<string, string[]>();
        var now = time.GetUtcNow();
        var latest = standard.Versions.OrderBy(v => v.Number).LastOrDefault();
        DateTimeOffset effectiveFrom = default;
        var parsed = InstantInput.Parse(input.EffectiveFrom?.Trim() ?? "");
        if (!parsed.Success)
        {
            errors["effectiveFrom"] = ["An instant with offset is required, e.g. 2026-12-01T00:00:00+08:00. 须为带时区偏移的时间。"];
        }
        else if (BusinessDates.Check(parsed.Value, "effectiveFrom", errors))
        {
            effectiveFrom = parsed.Value.ToDateTimeOffset().ToUniversalTime();
            if (effectiveFrom < now)
            {
                errors["effectiveFrom"] = ["The effective-from instant cannot be in the past. 生效时间不能早于当前时间。"];
            }
            else if (latest is not null && effectiveFrom < latest.EffectiveFrom)
            {
                errors["effectiveFrom"] = [$"Version {latest.Number} takes effect later ({latest.EffectiveFrom:O}); a new version cannot take effect before it. 不得早于最新版本的生效时间。"];
            }
        }

        var rules = ValidateRules(input.Rules, errors);
        Check(errors, "changeNote", input.ChangeNote, 400);
        Check(errors, "citation", input.Citation, 4000);
        Check(errors, "rulesZh", input.RulesZh, 4000);
        Check(errors, "rulesEn", input.RulesEn, 4000);
        if (errors.Count > 0)
        {
            return CalendarService.Invalid(errors);
        }

        if (input.Version != standard.Version)
        {
            return Problems.StaleVersion();
        }

        db.Entry(standard).Property(nameof(IVersioned.Version)).OriginalValue = input.Version;
        db.Entry(standard).Property(s => s.Version).IsModified = true;
        var version = new SlaStandardVersion
        {
            StandardId = standard.Id,
            Number = (latest?.Number ?? 0) + 1,
            EffectiveFrom = effectiveFrom,
            Citation = input.Citation?.Trim() ?? latest?.Citation ?? "",
            RulesZh = input.RulesZh?.Trim() ?? latest?.RulesZh ?? "",
            RulesEn = input.RulesEn?.Trim() ?? latest?.RulesEn ?? "",
            ChangeNote = string.IsNullOrWhiteSpace(input.ChangeNote) ? null : input.ChangeNote.Trim(),
            CreatedBy = actor.Current.Name,
            Rules = rules!,
        };
        standard.Versions.Add(version);
        await db.SaveChangesAsync(ct);
        return (await VersionAsync(standard.Id, version.Number, ct))!;
    }

    public async Task<IReadOnlyList<PresetDto>> PresetsAsync(CancellationToken ct = default)
    {
        var selected = await SelectedIdAsync(ct);
        var now = time.GetUtcNow();
        var presets = await db.Set<SlaStandard>().AsNoTracking().Where(s => s.Kind == SlaStandardKind.RegulatoryPreset)
            .Include(s => s.Versions).OrderBy(s => s.Code).ToListAsync(ct);
        var own = await db.Set<Organisation.Branch>().AsNoTracking().Where(b => b.RegulatoryStandardId != null)
            .OrderBy(b => b.Code).Select(b => new { b.Code, b.RegulatoryStandardId }).ToListAsync(ct);
        return [.. presets.Where(s => s.Versions.Count > 0).Select(s =>
        {
            var inForce = StandardResolver.InForce(s.Versions, now);
            var shown = inForce ?? s.Versions.MaxBy(v => v.Number)!;
            return new PresetDto(s.Id, s.Code, s.Name, s.NameEn, s.Jurisdiction, s.Id == selected, inForce?.Number, shown.Citation, shown.RulesZh, shown.RulesEn,
                [.. own.Where(b => b.RegulatoryStandardId == s.Id).Select(b => b.Code)]);
        })];
    }

    public async Task<PresetSelectionDto> SelectionAsync(CancellationToken ct = default)
    {
        var settings = await SettingsAsync(ct);
        var code = settings.RegulatoryStandardId is { } id
            ? await db.Set<SlaStandard>().Where(s => s.Id == id).Select(s => s.Code).SingleOrDefaultAsync(ct)
            : null;
        return new PresetSelectionDto(settings.RegulatoryStandardId, code, settings.Version);
    }

    /// <summary>Chooses the regulatory preset in force for complaints (null = none).</summary>
    public async Task<Outcome<PresetSelectionDto>> SelectPresetAsync(long? standardId, int? expectedVersion, CancellationToken ct = default)
    {
        if (standardId is { } id && !await db.Set<SlaStandard>().AnyAsync(s => s.Id == id && s.Kind == SlaStandardKind.RegulatoryPreset, ct))
        {
            return CalendarService.Invalid("standardId", $"{id} is not a regulatory preset. 不是监管预设标准。");
        }

        var settings = await SettingsAsync(ct);
        if (expectedVersion is { } expected)
        {
            if (expected != settings.Version)
            {
                return Problems.StaleVersion();
            }

            db.Entry(settings).Property(nameof(IVersioned.Version)).OriginalValue = expected;
        }

        settings.RegulatoryStandardId = standardId;
        db.Entry(settings).Property(s => s.Version).IsModified = true;
        await db.SaveChangesAsync(ct);
        return await SelectionAsync(ct);
    }

    /// <summary>
    /// The targets that apply to a case at <paramref name="at"/>: per target type the best rule (see
    /// <see cref="StandardResolver"/>) of the institution standard's version in force, and for complaints also of the
    /// regulatory preset's version in force: the one of <paramref name="branchId"/> when that branch has its own, else the
    /// institution's. Dimension values are the names in <see cref="SlaDimensions"/> (case-insensitive); an unknown value
    /// or branch is a validation error.
    /// </summary>
    public async Task<Outcome<SlaResolution>> ResolveTargetsAsync(
        string kind, string priority, string tier, string channel, Instant at, long? branchId = null, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        var criteria = new CaseCriteria(
            Dimension(errors, "kind", SlaDimensions.CaseKinds, kind),
            Dimension(errors, "priority", SlaDimensions.Priorities, priority),
            Dimension(errors, "tier", SlaDimensions.CustomerTiers, tier),
            Dimension(errors, "channel", SlaDimensions.Channels, channel));
        if (errors.Count > 0)
        {
            return CalendarService.Invalid(errors);
        }

        var when = at.ToDateTimeOffset();
        var (selected, branchKnown, all) = await StandardsAsync(branchId, ct);
        if (!branchKnown)
        {
            return CalendarService.Invalid("branchId", $"Branch {branchId} does not exist. 分支机构不存在。");
        }

        var targets = new List<ResolvedTarget>();
        foreach (var standard in all.Where(s => s.Kind == SlaStandardKind.Institution || s.Id == selected).OrderBy(s => s.Kind))
        {
            var layer = standard.Kind == SlaStandardKind.Institution ? SlaLayer.Institution : SlaLayer.Regulatory;
            if (layer == SlaLayer.Regulatory && criteria.CaseKind != SlaDimensions.Complaint)
            {
                continue;
            }

            if (StandardResolver.InForce(standard.Versions, when) is not { } version)
            {
                continue;
            }

            foreach (var (rule, specificity) in StandardResolver.Resolve(version.Rules, criteria))
            {
                targets.Add(new ResolvedTarget(
                    rule.TargetType,
                    layer,
                    new SlaTarget(rule.Amount, rule.Unit, rule.RollForward),
                    [rule.WarningPercent1, rule.WarningPercent2],
                    SlaPauseReasons.Parse(rule.PauseReasons),
                    rule.MaxExtension,
                    rule.ExtensionNeedsApproval,
                    rule.ExtensionNoticeToCustomer,
                    new RuleSource(standard.Id, standard.Code, version.Id, version.Number, version.EffectiveFrom, rule.Id, StandardResolver.Describe(rule), specificity)));
            }
        }

        return new SlaResolution(criteria, when, targets);
    }

    internal async Task<SlaSettings> SettingsAsync(CancellationToken ct)
    {
        var settings = await db.Set<SlaSettings>().SingleOrDefaultAsync(s => s.Scope == SlaSettings.InstitutionScope, ct);
        if (settings is null)
        {
            settings = new SlaSettings();
            db.Add(settings);
            await db.SaveChangesAsync(ct);
        }

        return settings;
    }

    /// <summary>
    /// The regulatory preset in force for <paramref name="branchId"/> (its own, else the institution's; without a branch
    /// the institution's) and every standard with all its versions and rules, from <see cref="SlaStandardsCache"/> when
    /// the stamp read first (one query, which also reads the branch's preset) is the one they were loaded under; else
    /// loaded and cached. Read-only: the entities are shared between requests. <c>BranchKnown</c> is false when
    /// <paramref name="branchId"/> names no branch.
    /// </summary>
    private async Task<(long? Selected, bool BranchKnown, IReadOnlyList<SlaStandard> Standards)> StandardsAsync(long? branchId, CancellationToken ct)
    {
        var branch = branchId ?? 0;
        var row = (await db.Database.SqlQuery<StampRow>($"""
            SELECT (SELECT regulatory_standard_id FROM sla_settings WHERE scope = {SlaSettings.InstitutionScope}) AS "Selected",
                   (SELECT regulatory_standard_id FROM branches WHERE id = {branch}) AS "BranchSelected",
                   (SELECT count(*) FROM branches WHERE id = {branch}) AS "BranchFound",
                   (SELECT count(*) FROM sla_standards) AS "Count",
                   (SELECT coalesce(max(id), 0) FROM sla_standards) AS "LastId",
                   (SELECT coalesce(sum(version), 0) FROM sla_standards) AS "Versions"
            """).ToListAsync(ct)).Single();
        var selected = branchId is null ? row.Selected : row.BranchSelected ?? row.Selected;
        var known = branchId is null || row.BranchFound > 0;
        var stamp = new SlaStandardsStamp(row.Selected, row.Count, row.LastId, row.Versions);
        if (cache.Find(stamp) is { } cached)
        {
            return (selected, known, cached);
        }

        var loaded = await db.Set<SlaStandard>().AsNoTracking().Include(s => s.Versions).ThenInclude(v => v.Rules).AsSplitQuery().ToListAsync(ct);
        cache.Store(stamp, loaded);
        return (selected, known, loaded);
    }

    internal sealed record StampRow(long? Selected, long? BranchSelected, long BranchFound, long Count, long LastId, long Versions);

    private async Task<long?> SelectedIdAsync(CancellationToken ct) =>
        await db.Set<SlaSettings>().AsNoTracking().Where(s => s.Scope == SlaSettings.InstitutionScope).Select(s => s.RegulatoryStandardId).SingleOrDefaultAsync(ct);

    private StandardDto ToDto(SlaStandard s, long? selected)
    {
        var inForce = StandardResolver.InForce(s.Versions, time.GetUtcNow());
        return new StandardDto(
            s.Id, s.Code, s.Name, s.NameEn, s.Kind, s.Jurisdiction, s.Id == selected || s.Kind == SlaStandardKind.Institution, inForce?.Number,
            [.. s.Versions.OrderByDescending(v => v.Number).Select(v => new StandardVersionSummaryDto(
                v.Id, v.Number, v.EffectiveFrom, NoteText(v.ChangeNote), v.CreatedBy, v.CreatedAt, v.Rules.Count, v.Id == inForce?.Id))],
            s.Version);
    }

    internal static SlaRuleDto ToDto(SlaRule r) => new(
        r.Id, r.CaseKind, r.Priority, r.CustomerTier, r.Channel, r.TargetType, r.Amount, r.Unit, r.RollForward,
        r.WarningPercent1, r.WarningPercent2, SlaPauseReasons.Parse(r.PauseReasons), r.MaxExtension, r.ExtensionNeedsApproval,
        r.ExtensionNoticeToCustomer, NoteText(r.Note), StandardResolver.Describe(r), StandardResolver.Specificity(r));

    private static StandardVersionDto ToDto(SlaStandard s, SlaStandardVersion v) => new(
        s.Id, s.Code, v.Id, v.Number, v.EffectiveFrom, v.Citation, v.RulesZh, v.RulesEn, NoteText(v.ChangeNote), v.CreatedBy,
        [.. v.Rules.OrderBy(r => r.TargetType).ThenByDescending(StandardResolver.Specificity).ThenBy(r => r.Id).Select(ToDto)]);
}
