using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Steward.Features.Sla.Calendars;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Features.Sla;

public sealed record SlaRuleInput(
    string? CaseKind,
    string? Priority,
    string? CustomerTier,
    string? Channel,
    string? TargetType,
    int Amount,
    string? Unit,
    bool RollForward = false,
    int? WarningPercent1 = null,
    int? WarningPercent2 = null,
    IReadOnlyList<string>? PauseReasons = null,
    int? MaxExtension = null,
    bool ExtensionNeedsApproval = false,
    bool ExtensionNoticeToCustomer = false,
    string? Note = null);

public sealed record SlaRuleDto(
    long Id,
    string? CaseKind,
    string? Priority,
    string? CustomerTier,
    string? Channel,
    SlaTargetType TargetType,
    int Amount,
    SlaUnit Unit,
    bool RollForward,
    int WarningPercent1,
    int WarningPercent2,
    IReadOnlyList<string> PauseReasons,
    int? MaxExtension,
    bool ExtensionNeedsApproval,
    bool ExtensionNoticeToCustomer,
    string? Note,
    string Match,
    int Specificity);

/// <summary>A new version of a standard. <see cref="Version"/> is the standard's version the edit was based on.</summary>
public sealed record NewStandardVersionInput(
    int Version,
    string? EffectiveFrom,
    string? ChangeNote,
    IReadOnlyList<SlaRuleInput>? Rules,
    string? Citation = null,
    string? RulesZh = null,
    string? RulesEn = null);

public sealed record StandardVersionSummaryDto(long Id, int Number, DateTimeOffset EffectiveFrom, string? ChangeNote, string CreatedBy, DateTimeOffset CreatedAt, int RuleCount, bool InForce);

public sealed record StandardDto(
    long Id,
    string Code,
    string Name,
    string NameEn,
    SlaStandardKind Kind,
    string? Jurisdiction,
    bool Selected,
    int? InForceVersion,
    IReadOnlyList<StandardVersionSummaryDto> Versions,
    int Version);

public sealed record StandardVersionDto(
    long StandardId,
    string StandardCode,
    long Id,
    int Number,
    DateTimeOffset EffectiveFrom,
    string Citation,
    string RulesZh,
    string RulesEn,
    string? ChangeNote,
    string CreatedBy,
    IReadOnlyList<SlaRuleDto> Rules);

public sealed record PresetDto(long Id, string Code, string Name, string NameEn, string? Jurisdiction, bool Selected, int? InForceVersion, string Citation, string RulesZh, string RulesEn);

public sealed record PresetSelectionDto(long? RegulatoryStandardId, string? RegulatoryStandardCode, int Version);

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
/// </remarks>
public sealed class StandardService(StewardDbContext db, TimeProvider time, IAuditActorAccessor actor, SlaStandardsCache cache)
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
            return new NotFoundError("not-found", "No such standard 服务标准不存在", $"Standard {standardId} does not exist. 服务标准不存在。");
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
        else
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
        return [.. presets.Where(s => s.Versions.Count > 0).Select(s =>
        {
            var inForce = StandardResolver.InForce(s.Versions, now);
            var shown = inForce ?? s.Versions.MaxBy(v => v.Number)!;
            return new PresetDto(s.Id, s.Code, s.Name, s.NameEn, s.Jurisdiction, s.Id == selected, inForce?.Number, shown.Citation, shown.RulesZh, shown.RulesEn);
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
    /// selected regulatory preset's version in force. Dimension values are the names in <see cref="SlaDimensions"/>
    /// (case-insensitive); an unknown value is a validation error.
    /// </summary>
    public async Task<Outcome<SlaResolution>> ResolveTargetsAsync(string kind, string priority, string tier, string channel, Instant at, CancellationToken ct = default)
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
        var (selected, all) = await StandardsAsync(ct);
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
    /// The selected regulatory preset and every standard with all its versions and rules, from <see cref="SlaStandardsCache"/>
    /// when the stamp read first (one query) is the one they were loaded under; else loaded and cached. Read-only: the
    /// entities are shared between requests.
    /// </summary>
    private async Task<(long? Selected, IReadOnlyList<SlaStandard> Standards)> StandardsAsync(CancellationToken ct)
    {
        var stamp = (await db.Database.SqlQuery<SlaStandardsStamp>($"""
            SELECT (SELECT regulatory_standard_id FROM sla_settings WHERE scope = {SlaSettings.InstitutionScope}) AS "Selected",
                   (SELECT count(*) FROM sla_standards) AS "Count",
                   (SELECT coalesce(max(id), 0) FROM sla_standards) AS "LastId",
                   (SELECT coalesce(sum(version), 0) FROM sla_standards) AS "Versions"
            """).ToListAsync(ct)).Single();
        if (cache.Find(stamp) is { } cached)
        {
            return (stamp.Selected, cached);
        }

        var loaded = await db.Set<SlaStandard>().AsNoTracking().Include(s => s.Versions).ThenInclude(v => v.Rules).AsSplitQuery().ToListAsync(ct);
        cache.Store(stamp, loaded);
        return (stamp.Selected, loaded);
    }

    private async Task<long?> SelectedIdAsync(CancellationToken ct) =>
        await db.Set<SlaSettings>().AsNoTracking().Where(s => s.Scope == SlaSettings.InstitutionScope).Select(s => s.RegulatoryStandardId).SingleOrDefaultAsync(ct);

    private static List<SlaRule>? ValidateRules(IReadOnlyList<SlaRuleInput>? input, Dictionary<string, string[]> errors)
    {
        if (input is null || input.Count == 0)
        {
            errors["rules"] = ["A version needs at least one rule. 至少需要一条规则。"];
            return null;
        }

        var rules = new List<SlaRule>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < input.Count; i++)
        {
            var r = input[i];
            var f = string.Create(CultureInfo.InvariantCulture, $"rules[{i}]");
            if (r is null)
            {
                errors[f] = ["Empty rule. 空规则。"];
                continue;
            }

            var before = errors.Count;
            var rule = new SlaRule
            {
                CaseKind = Dimension(errors, f + ".caseKind", SlaDimensions.CaseKinds, r.CaseKind),
                Priority = Dimension(errors, f + ".priority", SlaDimensions.Priorities, r.Priority),
                CustomerTier = Dimension(errors, f + ".customerTier", SlaDimensions.CustomerTiers, r.CustomerTier),
                Channel = Dimension(errors, f + ".channel", SlaDimensions.Channels, r.Channel),
                Amount = r.Amount,
                RollForward = r.RollForward,
                WarningPercent1 = r.WarningPercent1 ?? 75,
                WarningPercent2 = r.WarningPercent2 ?? 90,
                MaxExtension = r.MaxExtension is 0 ? null : r.MaxExtension,
                ExtensionNeedsApproval = r.ExtensionNeedsApproval,
                ExtensionNoticeToCustomer = r.ExtensionNoticeToCustomer,
                Note = string.IsNullOrWhiteSpace(r.Note) ? null : r.Note.Trim(),
            };
            if (Enum.TryParse<SlaTargetType>(r.TargetType?.Trim(), ignoreCase: true, out var type) && Enum.IsDefined(type) && !int.TryParse(r.TargetType, CultureInfo.InvariantCulture, out _))
            {
                rule.TargetType = type;
            }
            else
            {
                errors[f + ".targetType"] = [$"'{r.TargetType}' is not a target type ({string.Join(", ", Enum.GetNames<SlaTargetType>())}). 目标类型无效。"];
            }

            if (ParseUnit(r.Unit) is { } unit)
            {
                rule.Unit = unit;
                if (r.RollForward && unit != SlaUnit.CalendarDays)
                {
                    errors[f + ".rollForward"] = ["Rolling forward applies to CalendarDays only. 顺延仅适用于自然日。"];
                }
            }
            else
            {
                errors[f + ".unit"] = [UnitMessage(r.Unit)];
            }

            if (r.Amount is < 1 or > 100_000)
            {
                errors[f + ".amount"] = ["The amount must be between 1 and 100000. 数值须在 1 到 100000 之间。"];
            }

            if (rule.WarningPercent1 is < 1 or > 99 || rule.WarningPercent2 is < 1 or > 99 || rule.WarningPercent1 >= rule.WarningPercent2)
            {
                errors[f + ".warningPercent1"] = ["Warnings are percentages 1–99, the first below the second. 预警百分比须在 1–99 之间，且第一档小于第二档。"];
            }

            var reasons = r.PauseReasons ?? [];
            var unknown = reasons.Where(p => !SlaPauseReasons.All.Contains(p)).ToList();
            if (unknown.Count > 0)
            {
                errors[f + ".pauseReasons"] = [$"Unknown pause reasons {string.Join(", ", unknown)} (known: {string.Join(", ", SlaPauseReasons.All)}). 暂停原因无效。"];
            }
            else
            {
                rule.PauseReasons = SlaPauseReasons.Format(reasons);
            }

            if (r.MaxExtension is < 0 or > 100_000)
            {
                errors[f + ".maxExtension"] = ["The maximum extension must be between 0 and 100000. 最长延期须在 0 到 100000 之间。"];
            }

            Check(errors, f + ".note", r.Note, 400);
            if (errors.Count != before)
            {
                continue;
            }

            var key = StandardResolver.Describe(rule) + " " + rule.TargetType;
            if (seen.TryGetValue(key, out var first))
            {
                errors[f] = [string.Create(CultureInfo.InvariantCulture, $"Same dimensions and target type as rules[{first}] ({key}). 与第 {first + 1} 条规则重复。")];
                continue;
            }

            seen[key] = i;
            rules.Add(rule);
        }

        return rules;
    }

    internal static SlaUnit? ParseUnit(string? text) =>
        Enum.TryParse<SlaUnit>(text?.Trim(), ignoreCase: true, out var unit) && Enum.IsDefined(unit) && !int.TryParse(text, CultureInfo.InvariantCulture, out _) ? unit : null;

    internal static string UnitMessage(string? text) =>
        $"'{text}' is not a unit ({string.Join(", ", Enum.GetNames<SlaUnit>())}). 时限单位无效。";

    private static string? Dimension(Dictionary<string, string[]> errors, string field, IReadOnlyList<string> allowed, string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim() == "*")
        {
            return null;
        }

        var known = SlaDimensions.Normalize(allowed, value);
        if (known is null)
        {
            errors[field] = [$"'{value}' is not one of {string.Join(", ", allowed)}. 取值无效。"];
        }

        return known;
    }

    private static void Check(Dictionary<string, string[]> errors, string field, string? value, int max)
    {
        if (value is not null && value.Trim().Length > max)
        {
            errors[field] = [string.Create(CultureInfo.InvariantCulture, $"Longer than {max} characters. 超过 {max} 个字符。")];
        }
    }

    private StandardDto ToDto(SlaStandard s, long? selected)
    {
        var inForce = StandardResolver.InForce(s.Versions, time.GetUtcNow());
        return new StandardDto(
            s.Id, s.Code, s.Name, s.NameEn, s.Kind, s.Jurisdiction, s.Id == selected || s.Kind == SlaStandardKind.Institution, inForce?.Number,
            [.. s.Versions.OrderByDescending(v => v.Number).Select(v => new StandardVersionSummaryDto(
                v.Id, v.Number, v.EffectiveFrom, v.ChangeNote, v.CreatedBy, v.CreatedAt, v.Rules.Count, v.Id == inForce?.Id))],
            s.Version);
    }

    internal static SlaRuleDto ToDto(SlaRule r) => new(
        r.Id, r.CaseKind, r.Priority, r.CustomerTier, r.Channel, r.TargetType, r.Amount, r.Unit, r.RollForward,
        r.WarningPercent1, r.WarningPercent2, SlaPauseReasons.Parse(r.PauseReasons), r.MaxExtension, r.ExtensionNeedsApproval,
        r.ExtensionNoticeToCustomer, r.Note, StandardResolver.Describe(r), StandardResolver.Specificity(r));

    private static StandardVersionDto ToDto(SlaStandard s, SlaStandardVersion v) => new(
        s.Id, s.Code, v.Id, v.Number, v.EffectiveFrom, v.Citation, v.RulesZh, v.RulesEn, v.ChangeNote, v.CreatedBy,
        [.. v.Rules.OrderBy(r => r.TargetType).ThenByDescending(StandardResolver.Specificity).ThenBy(r => r.Id).Select(ToDto)]);
}

/// <summary>What the standards' content is known by: every change made through Steward bumps a standard's version
/// (a new version), adds or removes a standard, or changes the selected preset.</summary>
public sealed record SlaStandardsStamp(long? Selected, long Count, long LastId, long Versions);

/// <summary>
/// The SLA standards with their versions and rules as last loaded, with the <see cref="SlaStandardsStamp"/> they were
/// loaded under. Safe across nodes: every resolution reads the stamp from the database, so a change on any node
/// applies to the next resolution everywhere.
/// </summary>
public sealed class SlaStandardsCache
{
    private volatile Entry? entry;

    public IReadOnlyList<SlaStandard>? Find(SlaStandardsStamp stamp) => entry is { } e && e.Stamp == stamp ? e.Standards : null;

    public void Store(SlaStandardsStamp stamp, IReadOnlyList<SlaStandard> standards) => entry = new Entry(stamp, standards);

    private sealed record Entry(SlaStandardsStamp Stamp, IReadOnlyList<SlaStandard> Standards);
}
