using System.Globalization;
using System.Text;

namespace Steward.Bench.Data;

/// <summary>A generated case text: the topic's search words are guaranteed to occur in it.</summary>
public sealed record CaseText(string Topic, string Subject, string Description, bool Chinese);

/// <summary>
/// Realistic Chinese and English customer-service texts (case subject, description, reply) built from
/// word lists per banking topic, so that search scenarios have real words to find: 信用卡, 转账, 理财,
/// 挂失, 利率, "transfer", "mortgage", "statement" … Repeatable: the same <see cref="Random"/> sequence
/// gives the same texts.
/// </summary>
public static class CaseTextGenerator
{
    public sealed record Topic(string Key, string[] ZhWords, string[] EnWords, string[] ZhSubjects, string[] EnSubjects, string[] ZhDetails, string[] EnDetails);

    /// <summary>The topics and their words, e.g. for search scenarios that need a term that occurs.</summary>
    public static IReadOnlyList<Topic> Topics { get; } =
    [
        new("credit-card",
            ["信用卡", "年费", "分期", "额度", "账单", "还款", "积分"],
            ["credit card", "annual fee", "instalment", "credit limit", "statement", "repayment", "reward points"],
            ["信用卡年费扣收有异议", "申请信用卡临时额度调整", "信用卡账单分期手续费咨询", "信用卡积分未到账", "信用卡还款后额度未恢复"],
            ["Dispute about the credit card annual fee", "Request a temporary credit limit increase", "Question on instalment fees on my statement", "Reward points missing on my credit card", "Credit limit not restored after repayment"],
            ["客户称{date}收到的账单中有一笔{amount}的年费，但办卡时承诺首年免年费。", "客户尾号{card}的信用卡本期账单金额为{amount}，申请分十二期还款，询问手续费。", "客户于{date}已全额还款{amount}，但可用额度至今未恢复。"],
            ["The customer says the statement of {date} shows an annual fee of {amount}, although the first year was promised free.", "The customer's card ending {card} has a statement balance of {amount} and asks to repay it in 12 instalments.", "The customer repaid {amount} in full on {date}, but the available credit limit has not been restored."]),
        new("transfer",
            ["转账", "汇款", "跨行", "到账", "手续费", "收款人"],
            ["transfer", "remittance", "interbank", "payee", "fee", "SWIFT"],
            ["跨行转账未到账", "转账手续费收取有误", "汇款被退回原因查询", "手机银行转账限额调整", "转错收款人申请追回"],
            ["Interbank transfer has not arrived", "Wrong fee charged on a transfer", "Why was my remittance returned?", "Raise my mobile banking transfer limit", "Transfer sent to the wrong payee"],
            ["客户于{date}通过手机银行向他行账户转账{amount}，对方至今未到账。", "客户称转账{amount}被收取了手续费，但其账户享受免费转账。", "客户转账时输错收款人账号，金额{amount}，请求协助追回。"],
            ["On {date} the customer made an interbank transfer of {amount} in the mobile app and the payee has not received it.", "The customer was charged a fee on a transfer of {amount} although the account includes free transfers.", "The customer entered the wrong payee account number for a transfer of {amount} and asks us to recover it."]),
        new("wealth",
            ["理财", "收益", "赎回", "净值", "风险评估", "基金"],
            ["wealth management", "return", "redemption", "net asset value", "risk assessment", "fund"],
            ["理财产品实际收益低于预期", "理财产品赎回资金未到账", "风险评估结果与购买产品不匹配", "基金净值下跌要求解释", "理财经理销售时未充分揭示风险"],
            ["Wealth product return below the expected rate", "Redemption proceeds not received", "Risk assessment does not match the product sold", "Explain the fall in the fund's net asset value", "Risks not explained when the product was sold"],
            ["客户购买的理财产品到期收益为{amount}，低于宣传的预期年化收益率。", "客户于{date}申请赎回理财产品{amount}，资金尚未到账。", "客户风险评估为C2，但理财经理推荐了R4级基金，投入{amount}。"],
            ["The customer's wealth management product paid {amount}, below the advertised expected annual return.", "The customer asked on {date} to redeem {amount} from a wealth product and has not received the money.", "The customer was assessed C2 but was sold an R4 fund for {amount}."]),
        new("lost-card",
            ["挂失", "补卡", "冻结", "丢失", "盗刷", "借记卡"],
            ["lost card", "replacement card", "freeze", "stolen", "unauthorised transaction", "debit card"],
            ["借记卡丢失申请挂失", "挂失后补卡进度查询", "银行卡被盗刷申请冻结", "挂失前发生可疑交易", "解除挂失后仍无法使用"],
            ["Report a lost debit card", "Where is my replacement card?", "Freeze my card after unauthorised transactions", "Suspicious payments before I reported the loss", "Card still blocked after the loss report was lifted"],
            ["客户尾号{card}的借记卡于{date}丢失，已电话挂失，申请补卡。", "客户发现尾号{card}的银行卡有一笔{amount}的陌生交易，要求立即冻结。", "客户挂失前被盗刷{amount}，申请调查并退款。"],
            ["The customer lost the debit card ending {card} on {date}, reported it by phone and asks for a replacement card.", "The customer sees an unknown payment of {amount} on the card ending {card} and asks us to freeze it.", "{amount} was taken from the card before the loss was reported; the customer asks for an investigation and a refund."]),
        new("mortgage",
            ["利率", "房贷", "提前还款", "贷款", "月供", "LPR"],
            ["mortgage", "interest rate", "early repayment", "loan", "monthly payment", "LPR"],
            ["房贷利率未按LPR调整", "申请提前还款", "月供扣款金额有误", "贷款结清证明开具", "房贷利率下调咨询"],
            ["Mortgage interest rate not adjusted to the LPR", "Apply for early repayment of my mortgage", "Wrong monthly payment taken", "Certificate that my loan is repaid", "Can my mortgage rate be lowered?"],
            ["客户房贷剩余本金{amount}，认为{date}起利率应随LPR下调。", "客户申请提前还款{amount}，询问是否收取违约金。", "客户本月月供被多扣{amount}，要求退还。"],
            ["The customer's mortgage has {amount} outstanding and the rate should have followed the LPR from {date}.", "The customer wants to make an early repayment of {amount} and asks whether a fee applies.", "This month's mortgage payment was {amount} too high and the customer asks for a refund."]),
        new("statement",
            ["对账单", "流水", "明细", "账户", "证明"],
            ["statement", "transaction history", "account", "certificate", "balance"],
            ["申请开具银行流水", "对账单金额与实际不符", "账户明细缺少交易记录", "存款证明开具", "电子对账单未收到"],
            ["Request a transaction history for my account", "Statement amount does not match", "A transaction is missing from my account history", "Need a certificate of deposit balance", "Electronic statement not received"],
            ["客户办理签证需要近六个月的银行流水，申请加盖公章。", "客户称{date}的对账单余额与实际余额相差{amount}。", "客户电子对账单自{date}起未再收到。"],
            ["The customer needs six months of transaction history, stamped, for a visa application.", "The customer says the statement of {date} differs from the real balance by {amount}.", "The customer has not received an electronic statement since {date}."]),
        new("mobile",
            ["手机银行", "登录", "验证码", "密码", "网点"],
            ["mobile banking", "login", "verification code", "password", "branch"],
            ["手机银行无法登录", "收不到短信验证码", "登录密码锁定", "网点排队时间过长", "手机银行转账失败"],
            ["Cannot log in to mobile banking", "No verification code by text message", "Login password locked", "Long queue at the branch", "Mobile banking payment failed"],
            ["客户自{date}起手机银行登录时提示系统繁忙。", "客户在网点排队超过一小时，对服务不满。", "客户手机银行转账{amount}失败但账户已扣款。"],
            ["Since {date} the mobile banking app says the system is busy when the customer logs in.", "The customer queued at the branch for more than an hour and is unhappy with the service.", "A mobile banking payment of {amount} failed but the account was debited."]),
    ];

    private static readonly string[] ZhOpenings = ["客户来电反映：", "客户到网点投诉：", "客户通过在线客服咨询：", "客户致信行长信箱：", "客户在手机银行留言："];
    private static readonly string[] EnOpenings = ["The customer phoned to say: ", "The customer came to the branch to complain: ", "Via online chat: ", "The customer wrote to the branch manager: ", "Message in the mobile app: "];
    private static readonly string[] ZhClosings = ["客户要求尽快处理并回复。", "客户情绪较激动，要求三日内给出答复。", "客户表示如不解决将向监管部门投诉。", "已安抚客户，承诺跟进。"];
    private static readonly string[] EnClosings = ["The customer asks for a quick answer.", "The customer is upset and wants a reply within three days.", "The customer will complain to the regulator if this is not resolved.", "We reassured the customer and promised to follow up."];
    private static readonly string[] ZhReplies = ["您好，关于您反映的{word}问题，我行已核实：{detail}我们将在{days}个工作日内处理完毕。", "尊敬的客户，您的{word}申请已受理，处理结果将通过短信通知您。", "经核查，该笔{word}相关款项{amount}已于{date}退回您的账户，请查收。"];
    private static readonly string[] EnReplies = ["Dear customer, about your {word} question: we have checked and {detail} We will finish within {days} working days.", "Your {word} request has been received; we will tell you the outcome by text message.", "We have refunded {amount} related to the {word} to your account on {date}."];

    public static CaseText Case(Random random, bool chinese)
    {
        var topic = Topics[random.Next(Topics.Count)];
        var subject = Pick(random, chinese ? topic.ZhSubjects : topic.EnSubjects);
        var words = chinese ? topic.ZhWords : topic.EnWords;
        var text = new StringBuilder();
        text.Append(Pick(random, chinese ? ZhOpenings : EnOpenings));
        var sentences = 1 + random.Next(2);
        for (var i = 0; i < sentences; i++)
        {
            text.Append(Fill(random, Pick(random, chinese ? topic.ZhDetails : topic.EnDetails), chinese));
            if (!chinese)
            {
                text.Append(' ');
            }
        }

        // Make sure the topic's words are there to be found, as a customer would name them.
        text.Append(chinese ? "关键词：" : "Keywords: ").Append(Pick(random, words)).Append(chinese ? "、" : ", ").Append(Pick(random, words)).Append(chinese ? "。" : ". ");
        text.Append(Pick(random, chinese ? ZhClosings : EnClosings));
        return new CaseText(topic.Key, subject, text.ToString(), chinese);
    }

    public static string Reply(Random random, bool chinese)
    {
        var topic = Topics[random.Next(Topics.Count)];
        var template = Pick(random, chinese ? ZhReplies : EnReplies);
        return Fill(random, template.Replace("{word}", Pick(random, chinese ? topic.ZhWords : topic.EnWords), StringComparison.Ordinal)
            .Replace("{detail}", Fill(random, Pick(random, chinese ? topic.ZhDetails : topic.EnDetails), chinese), StringComparison.Ordinal), chinese);
    }

    private static string Fill(Random random, string template, bool chinese)
    {
        var amount = random.Next(50, 500_000) + (random.Next(100) / 100m);
        var date = new DateOnly(2026, 1, 1).AddDays(random.Next(320));
        return template
            .Replace("{amount}", chinese ? "人民币" + amount.ToString("N2", CultureInfo.InvariantCulture) + "元" : "£" + amount.ToString("N2", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{date}", chinese ? date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture) : date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{card}", random.Next(1000, 10000).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{days}", (3 + random.Next(12)).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];
}
