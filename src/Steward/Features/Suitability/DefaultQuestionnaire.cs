using Steward.Features.Customers;

namespace Steward.Features.Suitability;

/// <summary>
/// Version 1 of the risk-tolerance questionnaire, published on first use: eight questions in the shape of the sample
/// questionnaires of 《证券期货投资者适当性管理办法》 practice (age, income, financial assets, experience, knowledge, goal, horizon,
/// loss tolerance). Scores run from 10 to 98; the bands: C1 below 25, C2 25–44, C3 45–64, C4 65–81, C5 from 82.
/// Administrators publish later versions; every assessment keeps the version it was answered on.
/// </summary>
public static class DefaultQuestionnaire
{
    public static QuestionnaireContent Content { get; } = new(
        "个人投资者风险承受能力评估问卷", "Individual investor risk-tolerance questionnaire",
        [
            Q("age", "您的年龄是？", "How old are you?",
                O("a", "18–30 岁", "18 to 30", 8), O("b", "31–50 岁", "31 to 50", 10), O("c", "51–60 岁", "51 to 60", 6),
                O("d", "61–65 岁", "61 to 65", 3), O("e", "65 岁以上", "Over 65", 1)),
            Q("income", "您的家庭年收入约为？", "What is your household's yearly income?",
                O("a", "10 万元以下", "Under CNY 100,000", 2), O("b", "10–30 万元", "CNY 100,000 to 300,000", 5),
                O("c", "30–100 万元", "CNY 300,000 to 1 million", 8), O("d", "100 万元以上", "Over CNY 1 million", 12)),
            Q("assets", "您可用于投资的金融资产约为？", "How much could you invest (financial assets)?",
                O("a", "50 万元以下", "Under CNY 500,000", 2), O("b", "50–300 万元", "CNY 500,000 to 3 million", 6),
                O("c", "300–1000 万元", "CNY 3 to 10 million", 10), O("d", "1000 万元以上", "Over CNY 10 million", 12)),
            Q("experience", "您的投资经验是？", "What is your investment experience?",
                O("a", "没有，只有存款", "None: only deposits", 0), O("b", "2 年以内，理财或债券", "Under 2 years: wealth products or bonds", 4),
                O("c", "2–5 年，基金或股票", "2 to 5 years: funds or shares", 8), O("d", "5 年以上，含期货或衍生品", "Over 5 years, including futures or derivatives", 12)),
            Q("knowledge", "您对金融产品的了解程度？", "How well do you know financial products?",
                O("a", "很少了解", "Very little", 1), O("b", "有一定了解", "Somewhat", 5), O("c", "比较了解", "Well", 9), O("d", "非常了解，有专业背景", "Very well, professionally", 12)),
            Q("goal", "您投资的主要目的是？", "What do you mainly invest for?",
                O("a", "保本保值", "To keep my capital safe", 2), O("b", "稳定收益", "A steady income", 5),
                O("c", "资产增值", "Growth", 9), O("d", "追求高收益，能承受高风险", "High returns, accepting high risk", 12)),
            Q("horizon", "您计划的投资期限是？", "How long do you plan to invest?",
                O("a", "1 年以内", "Under 1 year", 2), O("b", "1–3 年", "1 to 3 years", 5), O("c", "3–5 年", "3 to 5 years", 9), O("d", "5 年以上", "Over 5 years", 12)),
            Q("loss", "您能承受的最大投资亏损是？", "What is the largest loss you could bear?",
                O("a", "不能承受任何亏损", "No loss at all", 0), O("b", "10% 以内", "Up to 10%", 5),
                O("c", "10%–30%", "10% to 30%", 10), O("d", "30% 以上", "Over 30%", 16)),
        ],
        [
            new ScoreBand(RiskTolerance.C1, 0), new ScoreBand(RiskTolerance.C2, 25), new ScoreBand(RiskTolerance.C3, 45),
            new ScoreBand(RiskTolerance.C4, 65), new ScoreBand(RiskTolerance.C5, 82),
        ]);

    private static Question Q(string id, string text, string en, params QuestionOption[] options) => new(id, text, en, options);

    private static QuestionOption O(string id, string text, string en, int score) => new(id, text, en, score);
}
