using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Customers;
using Steward.Platform.Database;
using Steward.Tests.Infrastructure;

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

    /// <summary>
    /// The nine rules the schema ships (migration 0002), read from the database, against priorities worked out by hand
    /// from their text: complaints at least High; Platinum and Private customers one step up; 投诉, 媒体, 监管, 诈骗,
    /// fraud and regulator (any case, subject or description) make a case Urgent.
    /// </summary>
    [Theory, BothDatabases]
    public async Task Evaluate_ShippedRules_GiveTheExpectedPriority(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var shipped = await app.WithDbAsync(db => db.Set<PriorityRule>().AsNoTracking().ToListAsync());
        (CaseKind Kind, CustomerTier? Tier, string Subject, string Text, CasePriority Expected)[] cases =
        [
            (CaseKind.Consultation, null, "主题", "开户", CasePriority.Normal),
            (CaseKind.Consultation, CustomerTier.Gold, "主题", "开户", CasePriority.Normal),
            (CaseKind.Complaint, null, "主题", "态度", CasePriority.High),
            (CaseKind.Complaint, CustomerTier.Private, "主题", "态度", CasePriority.Urgent),
            (CaseKind.Complaint, CustomerTier.Platinum, "主题", "态度", CasePriority.Urgent),
            (CaseKind.Consultation, CustomerTier.Platinum, "主题", "开户", CasePriority.High),
            (CaseKind.Suggestion, CustomerTier.Private, "主题", "开户", CasePriority.High),
            (CaseKind.Consultation, null, "我要投诉", "柜台排队太久", CasePriority.Urgent),
            (CaseKind.Suggestion, null, "主题", "已经联系了媒体", CasePriority.Urgent),
            (CaseKind.Consultation, CustomerTier.Gold, "主题", "我要向监管部门反映", CasePriority.Urgent),
            (CaseKind.Consultation, null, "主题", "接到疑似诈骗电话", CasePriority.Urgent),
            (CaseKind.Suggestion, null, "主题", "Possible FRAUD on my card", CasePriority.Urgent),
            (CaseKind.Consultation, null, "主题", "I will write to the Regulator", CasePriority.Urgent),
        ];

        Assert.Equal(9, shipped.Count);
        Assert.All(cases, c => Assert.Equal((c.Kind, c.Tier, c.Subject, c.Text, c.Expected), (c.Kind, c.Tier, c.Subject, c.Text, PriorityRules.Evaluate(shipped, c.Kind, c.Tier, c.Subject, c.Text))));
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
