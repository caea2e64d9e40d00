using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;

namespace Steward.Features.Sla;

/// <summary>A standard as shipped: code, names, citation, non-deadline rules and targets.</summary>
public sealed record StandardPreset(
    string Code,
    string Name,
    string NameEn,
    SlaStandardKind Kind,
    string? Jurisdiction,
    DateTimeOffset EffectiveFrom,
    string Citation,
    string RulesZh,
    string RulesEn,
    IReadOnlyList<SlaRule> Rules);

/// <summary>
/// The standards Steward ships: the institution's own (from the seed documents) and three regulatory presets.
/// They are written to the database on first start (<see cref="SlaSeeder"/>) and are data from then on: administrators
/// change them by creating new versions. The texts below are summaries of the cited sources, not quotations.
/// </summary>
public static class SlaPresets
{
    public const string InstitutionCode = "INSTITUTION";
    public const string PrcCode = "CN-CBIRC-2020-3";
    public const string FcaCode = "UK-FCA-DISP";
    public const string CfpbCode = "US-CFPB";

    private const string Customer = SlaPauseReasons.WaitingOnCustomer;
    private const string ThirdParty = SlaPauseReasons.WaitingOnThirdParty;
    private const string Appraisal = SlaPauseReasons.ExternalAppraisal;

    /// <summary>Fresh copies of every shipped standard (new entity instances on each call).</summary>
    public static IReadOnlyList<StandardPreset> Create() => [Institution(), Prc(), Fca(), Cfpb()];

    /// <summary>
    /// The institution's own standard. Seed 003 §2.2.3: respond to feedback within 24 h, an improvement plan within
    /// 72 h; 003 §5.2: respond to a complaint within 24 h, resolution tracked against a 30-day benchmark. The other
    /// targets are Steward's defaults for a retail bank.
    /// </summary>
    public static StandardPreset Institution() => new(
        InstitutionCode,
        "本机构服务标准",
        "Institution service standard",
        SlaStandardKind.Institution,
        null,
        new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime(),
        "种子文件 003 §2.2.3：客户反馈 24 小时内响应，72 小时内提出改进方案；003 §5.2：投诉 24 小时内响应，以 30 天为解决时限基准。\n"
            + "Seed 003 §2.2.3: respond to customer feedback within 24 hours and propose an improvement plan within 72 hours; "
            + "003 §5.2: respond to a complaint within 24 hours, resolution tracked against a 30-day benchmark.",
        "紧急案件首次响应 2 个工作小时；投诉解决期限可延长 30 天，须经审批并告知客户。",
        "Urgent cases: first response within 2 business hours. Complaint resolution may be extended by up to 30 days with approval and notice to the customer.",
        [
            // Catch-all defaults (any kind, priority, tier and channel).
            Rule(null, null, SlaTargetType.FirstResponse, 8, SlaUnit.BusinessHours),
            Rule(null, null, SlaTargetType.NextResponse, 16, SlaUnit.BusinessHours, pause: [Customer]),
            Rule(null, null, SlaTargetType.Resolution, 5, SlaUnit.BusinessDays, pause: [Customer, ThirdParty]),
            Rule(null, "High", SlaTargetType.FirstResponse, 4, SlaUnit.BusinessHours),
            Rule(null, "Urgent", SlaTargetType.FirstResponse, 2, SlaUnit.BusinessHours),
            Rule(null, "Urgent", SlaTargetType.NextResponse, 4, SlaUnit.BusinessHours, pause: [Customer]),
            Rule("Consultation", null, SlaTargetType.FirstResponse, 4, SlaUnit.BusinessHours),
            Rule("Consultation", null, SlaTargetType.Resolution, 2, SlaUnit.BusinessDays, pause: [Customer]),
            Rule("BusinessHandling", null, SlaTargetType.Resolution, 3, SlaUnit.BusinessDays, pause: [Customer, ThirdParty]),
            // 003 §2.2.3: feedback (suggestions, praise) answered within 24 h, improvement plan within 72 h.
            Rule("Suggestion", null, SlaTargetType.FirstResponse, 24, SlaUnit.CalendarHours, note: "003 §2.2.3"),
            Rule("Suggestion", null, SlaTargetType.Plan, 72, SlaUnit.CalendarHours, note: "003 §2.2.3"),
            Rule("Praise", null, SlaTargetType.FirstResponse, 24, SlaUnit.CalendarHours, note: "003 §2.2.3"),
            // 003 §5.2: complaints answered within 24 h, resolved against a 30-day benchmark; plan within 72 h (003 §2.2.3).
            Rule("Complaint", null, SlaTargetType.FirstResponse, 24, SlaUnit.CalendarHours, note: "003 §5.2"),
            Rule("Complaint", null, SlaTargetType.NextResponse, 1, SlaUnit.BusinessDays, pause: [Customer]),
            Rule("Complaint", null, SlaTargetType.Plan, 72, SlaUnit.CalendarHours, note: "003 §2.2.3"),
            Rule("Complaint", null, SlaTargetType.Resolution, 30, SlaUnit.CalendarDays, rollForward: true, pause: [Customer, ThirdParty],
                maxExtension: 30, approval: true, notice: true, note: "003 §5.2"),
            Rule("Complaint", "Urgent", SlaTargetType.FirstResponse, 2, SlaUnit.BusinessHours),
        ]);

    /// <summary>PRC: 银行业保险业消费投诉处理管理办法 (原中国银保监会令 2020 年第 3 号, in force 2020-03-01).</summary>
    public static StandardPreset Prc() => new(
        PrcCode,
        "银行业保险业消费投诉处理管理办法（原银保监会令 2020 年第 3 号）",
        "PRC: Measures for Handling Consumer Complaints in Banking and Insurance (CBIRC Order No. 3 of 2020)",
        SlaStandardKind.RegulatoryPreset,
        "CN",
        new DateTimeOffset(2020, 3, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime(),
        "《银行业保险业消费投诉处理管理办法》（中国银保监会令 2020 年第 3 号，2020 年 3 月 1 日起施行）："
            + "对于事实清楚、争议情况简单的消费投诉，应当自收到消费投诉之日起 15 日内作出处理决定并告知投诉人；情况复杂的可以延长至 30 日；"
            + "情况特别复杂或者有其他特殊原因的，经其上级机构或者总行、总公司高级管理人员审批并告知投诉人，可以再延长 30 日。"
            + "需外部机构进行鉴定、检测、评估等工作的，相关期间可以不计入投诉处理期限。"
            + "期间最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日（《民法典》第二百零三条）。\n"
            + "CBIRC Order No. 3 of 2020: decide within 15 days of receipt; complex cases up to 30 days; especially complex cases a further 30 days "
            + "with senior approval and notice to the complainant (60 days at most). Time for external appraisal, testing or assessment is not counted. "
            + "When the last day is a public holiday the period ends on the day after the holiday (Civil Code art. 203).",
        "1. 投诉人在处理期限内再次提出同一消费投诉的，合并处理，不另起时限。\n"
            + "2. 投诉人提出新的事实和理由的，处理期限自收到新的投诉材料之日起重新计算。\n"
            + "3. 延长：情况复杂的延长至 30 日；特别复杂的经上级机构或总行高管审批并告知投诉人，再延长 30 日，最长 60 日。\n"
            + "4. 外部鉴定、检测、评估期间暂停计时（暂停原因“外部鉴定、检测”），并应及时告知投诉人。",
        "1. A repeat of the same complaint within the handling period is merged into the open case; no new clock.\n"
            + "2. New facts and reasons restart the handling period from receipt of the new material.\n"
            + "3. Extensions: complex cases up to 30 days; especially complex cases a further 30 days with senior approval and notice to the complainant, 60 days at most.\n"
            + "4. External appraisal, testing or assessment pauses the clock (pause reason “External appraisal / testing”); tell the complainant.",
        [
            Rule("Complaint", null, SlaTargetType.Resolution, 15, SlaUnit.CalendarDays, rollForward: true, pause: [Appraisal],
                maxExtension: 45, approval: true, notice: true, note: StandardService.PrcExtensionNote),
        ]);

    /// <summary>UK: FCA Handbook DISP 1.5 (summary resolution), DISP 1.6 (final response within 8 weeks; payment services 1.6.2A).</summary>
    public static StandardPreset Fca() => new(
        FcaCode,
        "英国金融行为监管局 DISP 1.5/1.6 投诉处理时限",
        "UK FCA Handbook DISP 1.5 / 1.6 complaint time limits",
        SlaStandardKind.RegulatoryPreset,
        "GB",
        new DateTimeOffset(2018, 1, 13, 0, 0, 0, TimeSpan.Zero),
        "FCA Handbook DISP 1.5: a complaint resolved by close of business on the third business day following the day of receipt may be closed "
            + "with a summary resolution communication. DISP 1.6.2R: otherwise send a final response by the end of eight weeks after receipt. "
            + "DISP 1.6.2AR (payment services and e-money): final response within 15 business days of receipt; in exceptional situations a holding "
            + "reply and a final response within 35 business days.",
        "1. 收到后第 3 个营业日营业结束前解决的投诉，可发送简易解决通知（DISP 1.5）。\n"
            + "2. 其他投诉须在收到后 8 周内发出最终答复（DISP 1.6.2R）。\n"
            + "3. 支付服务和电子货币投诉：15 个营业日内最终答复；特殊情况须发出过渡答复，35 个营业日内最终答复（DISP 1.6.2AR）。第二部分按产品类别套用。",
        "1. Resolved by close of business on the third business day after receipt: a summary resolution communication suffices (DISP 1.5).\n"
            + "2. Otherwise a final response by the end of eight weeks after receipt (DISP 1.6.2R).\n"
            + "3. Payment services and e-money: final response within 15 business days; exceptionally a holding reply and a final response within 35 business days (DISP 1.6.2AR). Part 2 applies this by product category.",
        [
            Rule("Complaint", null, SlaTargetType.Resolution, 56, SlaUnit.CalendarDays, note: "DISP 1.6.2R: 8 weeks"),
        ]);

    /// <summary>US: CFPB company portal expectations (15 days to respond, 60 days to close when marked in progress).</summary>
    public static StandardPreset Cfpb() => new(
        CfpbCode,
        "美国消费者金融保护局（CFPB）投诉回复时限",
        "US CFPB complaint response timeliness",
        SlaStandardKind.RegulatoryPreset,
        "US",
        new DateTimeOffset(2011, 7, 21, 0, 0, 0, TimeSpan.FromHours(-4)).ToUniversalTime(),
        "CFPB complaint process: companies respond to complaints sent through the CFPB within 15 calendar days; a company that marks its "
            + "response as in progress provides a final response within 60 calendar days.",
        "1. 15 个日历日内回复。\n2. 标记为“处理中”的，60 个日历日内给出最终回复。",
        "1. Respond within 15 calendar days.\n2. When the response is marked in progress, send the final response within 60 calendar days.",
        [
            Rule("Complaint", null, SlaTargetType.FirstResponse, 15, SlaUnit.CalendarDays, note: "CFPB: company response"),
            Rule("Complaint", null, SlaTargetType.Resolution, 60, SlaUnit.CalendarDays, note: "CFPB: final response when in progress"),
        ]);

    private static SlaRule Rule(
        string? kind,
        string? priority,
        SlaTargetType type,
        int amount,
        SlaUnit unit,
        bool rollForward = false,
        string[]? pause = null,
        int? maxExtension = null,
        bool approval = false,
        bool notice = false,
        string? note = null) => new()
    {
        CaseKind = kind,
        Priority = priority,
        TargetType = type,
        Amount = amount,
        Unit = unit,
        RollForward = rollForward,
        PauseReasons = SlaPauseReasons.Format(pause ?? []),
        MaxExtension = maxExtension,
        ExtensionNeedsApproval = approval,
        ExtensionNoticeToCustomer = notice,
        Note = note,
    };
}
