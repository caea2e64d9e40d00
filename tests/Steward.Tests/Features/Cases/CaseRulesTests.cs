using Steward.Features.Cases;
using Steward.Features.Customers;

namespace Steward.Tests.Features.Cases;

public sealed class CaseRulesTests
{
    [Fact]
    public void IndexTokens_ChineseAndEnglish_GivesBigramsSingleCharactersAndLowerCaseWords()
    {
        Assert.Equal("投 诉 处 理 投诉 诉处 处理 fraud abc1", CaseSearchText.IndexTokens("投诉处理，Fraud! ＡＢＣ１"));
    }

    [Fact]
    public void QueryTokens_ChineseWord_GivesBigramsOnly_AndOneCharacterStaysSingle()
    {
        Assert.Equal(["信用", "用卡"], CaseSearchText.QueryTokens("信用卡"));
        Assert.Equal(["卡"], CaseSearchText.QueryTokens("卡"));
        Assert.Empty(CaseSearchText.QueryTokens(" \"*-- "));
    }

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\x\\报告.pdf", "报告.pdf")]
    [InlineData("con.txt", "_con.txt")]
    [InlineData("a\u0000b\u001fc.txt", "abc.txt")]
    [InlineData("...", "attachment")]
    [InlineData("report<1>?.pdf", "report1.pdf")]
    public void SanitizeFileName_RemovesPathsControlCharactersAndReservedNames(string input, string expected)
    {
        Assert.Equal(expected, AttachmentRules.SanitizeFileName(input));
    }

    [Fact]
    public void DetectContentType_ReadsTheBytesNotTheName()
    {
        Assert.Equal("application/pdf", AttachmentRules.DetectContentType("%PDF-1.7\n"u8));
        Assert.Equal("image/jpeg", AttachmentRules.DetectContentType(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }));
        Assert.Equal("text/plain", AttachmentRules.DetectContentType("客户来电记录\r\n"u8));
        Assert.Null(AttachmentRules.DetectContentType(new byte[] { 0x4D, 0x5A, 0x90, 0x00 }));
        Assert.Null(AttachmentRules.DetectContentType("PK\u0003\u0004 not a zip"u8));
    }

    private static readonly PriorityRule[] ShippedRules =
    [
        new() { Type = PriorityRuleType.KindMinimum, Kind = CaseKind.Complaint, Priority = CasePriority.High },
        new() { Type = PriorityRuleType.TierRaise, Tier = CustomerTier.Platinum, Steps = 1 },
        new() { Type = PriorityRuleType.TierRaise, Tier = CustomerTier.Private, Steps = 1 },
        new() { Type = PriorityRuleType.KeywordMinimum, Keyword = "监管", Priority = CasePriority.Urgent },
        new() { Type = PriorityRuleType.KeywordMinimum, Keyword = "fraud", Priority = CasePriority.Urgent },
    ];

    [Theory]
    [InlineData(CaseKind.Consultation, null, "开户", "Normal")]
    [InlineData(CaseKind.Complaint, null, "态度", "High")]
    [InlineData(CaseKind.Complaint, CustomerTier.Private, "态度", "Urgent")]
    [InlineData(CaseKind.Consultation, CustomerTier.Platinum, "开户", "High")]
    [InlineData(CaseKind.Consultation, CustomerTier.Gold, "我要向监管部门反映", "Urgent")]
    [InlineData(CaseKind.Suggestion, null, "Possible FRAUD on my card", "Urgent")]
    public void Evaluate_ShippedRules_GiveTheExpectedPriority(CaseKind kind, CustomerTier? tier, string text, string expected)
    {
        Assert.Equal(expected, PriorityRules.Evaluate(ShippedRules, kind, tier, "主题", text).ToString());
    }

    [Fact]
    public void Target_FollowsTheLifecycleTable()
    {
        Assert.Equal((CaseStatus.UnderReview, CaseWaiting.None), CaseLifecycle.Target(CaseStatus.Submitted, CaseWaiting.None, CaseAction.Review));
        Assert.Null(CaseLifecycle.Target(CaseStatus.Submitted, CaseWaiting.None, CaseAction.Resolve));
        Assert.Null(CaseLifecycle.Target(CaseStatus.InProgress, CaseWaiting.WaitingOnCustomer, CaseAction.Resolve));
        Assert.Equal((CaseStatus.InProgress, CaseWaiting.None), CaseLifecycle.Target(CaseStatus.InProgress, CaseWaiting.WaitingOnThirdParty, CaseAction.Resume));
        Assert.Null(CaseLifecycle.Target(CaseStatus.Closed, CaseWaiting.None, CaseAction.Cancel));
        Assert.Null(CaseLifecycle.Target(CaseStatus.Cancelled, CaseWaiting.None, CaseAction.Reopen));
    }
}
