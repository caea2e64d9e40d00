using System.Globalization;
using Steward.Features.Sla.Deadlines;

namespace Steward.Features.Sla;

/// <summary>Validation of a new version's rules, with messages in the caller's language where the string tables have them, and the shipped notes.</summary>
public sealed partial class StandardService
{
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
                errors[f] = [DuplicateRuleMessage(first, rule, CultureInfo.CurrentUICulture.Name)];
                continue;
            }

            seen[key] = i;
            rules.Add(rule);
        }

        return rules;
    }

    /// <summary>Shipped notes are string-table keys (<c>sla.note.*</c>), shown in the reader's language; notes typed by people are kept as typed.</summary>
    public const string ShippedNote = "sla.note.shippedPreset";

    /// <summary>The PRC preset's complaint rule note (15 days; complex 30; especially complex a further 30).</summary>
    public const string PrcExtensionNote = "sla.note.prcComplaintExtension";

    /// <summary>A note in the reader's language when it is a shipped key, else as stored.</summary>
    internal static string? NoteText(string? note) =>
        note is not null && note.StartsWith("sla.note.", StringComparison.Ordinal) ? ExplanationText.Text(CultureInfo.CurrentUICulture.Name, note) : note;

    /// <summary>"Same case kind, priority, tier, channel and target type as rule 1 (Complaint / * / * / * · Resolution)", in <paramref name="language"/>.</summary>
    internal static string DuplicateRuleMessage(int first, SlaRule rule, string language) => string.Format(
        CultureInfo.InvariantCulture,
        ExplanationText.Text(language, "sla.std.error.duplicateRule"),
        first + 1,
        SlaDimensions.MatchText(StandardResolver.Describe(rule), language),
        ExplanationText.Text(language, "sla.target." + rule.TargetType));

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
}
