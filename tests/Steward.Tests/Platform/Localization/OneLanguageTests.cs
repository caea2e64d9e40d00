using System.Globalization;
using Steward.Platform.Localization;

namespace Steward.Tests.Platform.Localization;

public sealed class OneLanguageTests
{
    private static readonly CultureInfo Chinese = new("zh-CN");
    private static readonly CultureInfo English = new("en");

    [Theory]
    [InlineData("No such branch 分支机构不存在", "No such branch", "分支机构不存在")]
    [InlineData("Reload it and apply your change again. 请刷新后重新操作。", "Reload it and apply your change again.", "请刷新后重新操作。")]
    [InlineData("The request body is not valid JSON 请求体不是有效的 JSON", "The request body is not valid JSON", "请求体不是有效的 JSON")]
    [InlineData("There is no entry 12. 不存在第 12 条记录。", "There is no entry 12.", "不存在第 12 条记录。")]
    [InlineData("Every place at 11:00 is booked; choose another time. 11:00 的名额已约满。", "Every place at 11:00 is booked; choose another time.", "11:00 的名额已约满。")]
    [InlineData("The slot at 09:30 has already begun. 09:30 的时段已开始或已过。", "The slot at 09:30 has already begun.", "09:30 的时段已开始或已过。")]
    public void Pick_EnglishThenChinese_ShowsTheReadersHalf(string both, string english, string chinese)
    {
        Assert.Equal(english, OneLanguage.Pick(both, English));
        Assert.Equal(chinese, OneLanguage.Pick(both, Chinese));
    }

    [Theory]
    [InlineData("Notification 5 is not an unread notification of yours.")]
    [InlineData("请选择要延期的目标。")]
    [InlineData("")]
    public void Pick_OneLanguageOnly_ShowsItAsItIs(string text)
    {
        Assert.Equal(text, OneLanguage.Pick(text, English));
        Assert.Equal(text, OneLanguage.Pick(text, Chinese));
    }

    [Fact]
    public void Paragraphs_CitationWithTranslation_ShowsTheReadersParagraphs_AndAForeignOneAsItIs()
    {
        const string citation = "《民法典》第二百零三条：期间最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。\nCivil Code art. 203: a period ending on a public holiday ends the day after it.";
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = English;
            Assert.Equal([("en", "Civil Code art. 203: a period ending on a public holiday ends the day after it.")], OneLanguage.Paragraphs(citation));
            CultureInfo.CurrentUICulture = Chinese;
            Assert.Equal("zh-CN", Assert.Single(OneLanguage.Paragraphs(citation)).Language);
            Assert.Equal([("en", "FCA DISP 1.6.2: eight weeks.")], OneLanguage.Paragraphs("FCA DISP 1.6.2: eight weeks."));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
