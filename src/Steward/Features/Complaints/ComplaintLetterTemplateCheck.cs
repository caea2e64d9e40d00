using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Ast;
using Fluid.Values;
using Steward.Features.Sla;
using Steward.Platform.Localization;

namespace Steward.Features.Complaints;

/// <summary>A value a letter template may use, with what it holds in both languages.</summary>
public sealed record ComplaintLetterVariable(string Name, string Description, string DescriptionEn);

/// <summary>A statement the regulation requires in a letter, checked when a template is published.</summary>
public sealed record ComplaintLetterStatement(string Id, ComplaintLetterKind Kind, string? Regime, string Description, string DescriptionEn);

/// <summary>
/// Parsing, checking and rendering of the letter templates (Liquid by Fluid, every value HTML-encoded, Chinese kept as
/// characters). A template is publishable when (1) Fluid parses it — an unknown tag or a broken one is Fluid's parse error,
/// quoted; (2) every variable it reads is one the letters supply (<see cref="Variables"/>; names it assigns or loops over
/// itself are its own), found by an <see cref="AstVisitor"/> over its member expressions; (3) rendered with sample values
/// under each regime, it states what the regulation requires (<see cref="Statements"/>).
/// </summary>
/// <remarks>
/// The statements: a final response gives the decision and its reasons (CBIRC 2020 No. 3 art. 19: 告知处理决定；DISP 1.6.2R(1)(a));
/// under PRC rules it tells the complainant how to ask for a review (核查) within 30 days of the decision (CBIRC 2020 No. 3
/// art. 21); under FCA rules it states the right to refer the complaint to the Financial Ombudsman Service within six months
/// (DISP 1.6.2R(1)(f), DISP 1 Annex 3R). An acknowledgment quotes the case reference. CFPB branches use the PRC branch of a
/// template (there is no regulatory wording check for them).
/// </remarks>
public static class ComplaintLetterTemplateCheck
{
    public const int MaxLength = 20000;

    private static readonly FluidParser Parser = new();

    /// <summary>HTML encoding of the values that keeps Chinese as characters (markup characters are still encoded).</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static readonly IReadOnlyList<ComplaintLetterVariable> Variables =
    [
        new("institution", "机构名称", "The institution's name"),
        new("branch", "网点名称", "The branch's name"),
        new("reference", "案件编号", "The case reference"),
        new("today", "函件日期（网点当地日期）", "The letter's date (the branch's local day)"),
        new("complainant", "投诉人（代理人或继承人，否则客户或联系人）", "The complainant (the agent or heir, else the customer or contact)"),
        new("received_on", "收到投诉的日期", "The day the complaint was received"),
        new("what_happened", "投诉人反映的情况", "What happened, as the complainant told it"),
        new("what_they_want", "投诉人的诉求", "What the complainant wants"),
        new("deadline", "监管规定的处理期限（无则为空）", "The regulatory decision deadline (empty when none)"),
        new("regime", "监管制度名称", "The regime's name"),
        new("regime_code", "监管制度代码（CN-CBIRC-2020-3、UK-FCA-DISP、US-CFPB）", "The regime's code (CN-CBIRC-2020-3, UK-FCA-DISP, US-CFPB)"),
        new("outcome", "处理结论", "The decision (outcome)"),
        new("root_cause", "原因（根本原因）", "Why (the root cause)"),
        new("remedies", "已批准的补救措施（无则为空）", "The approved remedies (empty when none)"),
    ];

    public static readonly IReadOnlyList<ComplaintLetterStatement> Statements =
    [
        new("reference", ComplaintLetterKind.Acknowledgment, null, "案件编号（{{ reference }}）", "the case reference ({{ reference }})"),
        new("decision", ComplaintLetterKind.FinalResponse, null, "处理决定（{{ outcome }}）及其原因（{{ root_cause }}）", "the decision ({{ outcome }}) and its reasons ({{ root_cause }})"),
        new("review", ComplaintLetterKind.FinalResponse, SlaPresets.PrcCode,
            "自收到处理决定之日起 30 日内向上一级机构申请核查的权利（如“30 日内……申请核查”）",
            "how to ask for a review within 30 days of the decision (e.g. \"review … within 30 days\")"),
        new("ombudsman", ComplaintLetterKind.FinalResponse, SlaPresets.FcaCode,
            "自答复之日起六个月内将投诉提交金融申诉专员服务机构（Financial Ombudsman Service）的权利",
            "the right to refer the complaint to the Financial Ombudsman Service within six months"),
    ];

    private static readonly HashSet<string> Known = [.. Variables.Select(v => v.Name)];

    /// <summary>Why a template cannot be published, in "English 中文" sentences; empty when it can.</summary>
    public static IReadOnlyList<string> Problems(ComplaintLetterKind kind, string language, string? body)
    {
        var text = body?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return ["Enter the template's text. 请填写模板内容。"];
        }

        if (text.Length > MaxLength)
        {
            return [FormattableString.Invariant($"At most {MaxLength:N0} characters. 最多 {MaxLength} 个字符。")];
        }

        if (!Parser.TryParse(text, out var template, out var error))
        {
            return [$"The template does not parse: {error}. 模板语法有误：{error}。"];
        }

        var unknown = Unknown(template);
        if (unknown.Count > 0)
        {
            var known = string.Join(", ", Variables.Select(v => v.Name));
            return [.. unknown.Select(name =>
                $"Unknown variable \"{name}\": a letter can use {known}. 未知变量“{name}”：函件可使用的变量为 {known}。")];
        }

        var problems = new List<string>();
        foreach (var regime in new[] { SlaPresets.PrcCode, SlaPresets.FcaCode })
        {
            var rendered = Flatten(Render(template, Samples(regime)));
            foreach (var s in Statements.Where(s => s.Kind == kind && (s.Regime is null || s.Regime == regime)))
            {
                if (!States(s.Id, language, rendered))
                {
                    var missing = s.Regime is null
                        ? $"The letter must state {s.DescriptionEn}. 函件须写明{s.Description}。"
                        : $"Under {Regime(s.Regime, en: true)} the letter must state {s.DescriptionEn}. 在{Regime(s.Regime, en: false)}下，函件须写明{s.Description}。";
                    if (!problems.Contains(missing))
                    {
                        problems.Add(missing);
                    }
                }
            }
        }

        return problems;
    }

    /// <summary>Renders a template already checked (every value encoded). A template that no longer parses is a bug, not bad input.</summary>
    public static string Render(string body, IReadOnlyDictionary<string, string> values) =>
        Parser.TryParse(body, out var template, out var error)
            ? Render(template, values)
            : throw new InvalidOperationException("A published complaint letter template does not parse: " + error);

    private static string Render(IFluidTemplate template, IReadOnlyDictionary<string, string> values)
    {
        var context = new TemplateContext();
        foreach (var (name, value) in values)
        {
            context.SetValue(name, StringValue.Create(value));
        }

        return template.Render(context, Encoder).Trim();
    }

    /// <summary>Sample values, one marker per variable, so a statement can be found by the marker of the variable it needs.</summary>
    private static Dictionary<string, string> Samples(string regime)
    {
        var values = Variables.ToDictionary(v => v.Name, Marker);
        values["regime_code"] = regime;
        return values;
    }

    private static string Marker(ComplaintLetterVariable v) => "[[" + v.Name + "]]";

    private static bool States(string statement, string language, string text)
    {
        var en = language == Cultures.English;
        bool Has(params string[] any) => any.Any(a => text.Contains(a, StringComparison.OrdinalIgnoreCase));
        return statement switch
        {
            "reference" => Has("[[reference]]"),
            "decision" => Has("[[outcome]]") && Has("[[root_cause]]"),
            "review" => en ? Has("review") && Has("30 days", "thirty days") : Has("核查", "复核") && Has("30 日", "30日", "三十日"),
            "ombudsman" => en
                ? Has("Financial Ombudsman") && Has("six months", "6 months")
                : Has("金融申诉专员", "Financial Ombudsman") && Has("六个月", "6 个月", "6个月"),
            _ => false,
        };
    }

    /// <summary>The text a reader sees: tags dropped, entities of the sample values kept, white space collapsed.</summary>
    private static string Flatten(string html) => Regex.Replace(Regex.Replace(html, "<[^>]*>", " "), @"\s+", " ");

    private static string Regime(string code, bool en) => (code, en) switch
    {
        (SlaPresets.FcaCode, true) => "FCA rules (DISP 1.6)",
        (SlaPresets.FcaCode, false) => "英国 FCA 规则（DISP 1.6）",
        (_, true) => "PRC rules (CBIRC 2020 No. 3)",
        (_, false) => "《银行业保险业消费投诉处理管理办法》",
    };

    /// <summary>The variables read and not supplied, in order of first use.</summary>
    private static List<string> Unknown(IFluidTemplate template)
    {
        var visitor = new VariableVisitor();
        visitor.VisitTemplate(template);
        return [.. visitor.Read.Where(n => !Known.Contains(n) && !visitor.Own.Contains(n)).Distinct()];
    }

    /// <summary>Collects the first segment of every member expression, and the names the template defines itself.</summary>
    private sealed class VariableVisitor : AstVisitor
    {
        public List<string> Read { get; } = [];

        public HashSet<string> Own { get; } = ["forloop"];

        protected override Expression VisitMemberExpression(MemberExpression memberExpression)
        {
            if (memberExpression.Segments.FirstOrDefault() is IdentifierSegment first)
            {
                Read.Add(first.Identifier);
            }

            return base.VisitMemberExpression(memberExpression);
        }

        protected override Statement VisitAssignStatement(AssignStatement assignStatement)
        {
            Own.Add(assignStatement.Identifier);
            return base.VisitAssignStatement(assignStatement);
        }

        protected override Statement VisitCaptureStatement(CaptureStatement captureStatement)
        {
            Own.Add(captureStatement.Identifier);
            return base.VisitCaptureStatement(captureStatement);
        }

        protected override Statement VisitForStatement(ForStatement forStatement)
        {
            Own.Add(forStatement.Identifier);
            return base.VisitForStatement(forStatement);
        }
    }
}
