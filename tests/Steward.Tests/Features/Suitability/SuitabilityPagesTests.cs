using System.Net;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Suitability;

/// <summary>The questionnaire editor and the rules editor as forms: a mistake is named at its field and nothing is published; a good form publishes the next version.</summary>
public sealed class SuitabilityPagesTests
{
    [Theory, BothDatabases]
    public async Task QuestionnaireEditor_RefusesAMistakeAtItsField_ThenPublishesVersion2WithTheNewQuestion(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var admin = await app.CreateStaffAsync(branch.Id, StaffRole.Administrator);
        var pages = await PageClient.SignInAsync(app, admin.Username, language: "en");
        var (status, html) = await pages.GetAsync("/Suitability/Questionnaire");
        Assert.True(status == HttpStatusCode.OK, html[..Math.Min(3000, html.Length)]);
        Assert.Contains("How old are you?", html);

        // Version 1 as shown (8 questions), with a 9th typed into the empty row: first with a score that is not a number.
        var fields = new Dictionary<string, string> { ["Input.BasedOn"] = "1", ["Input.Title"] = "问卷", ["Input.TitleEn"] = "Questionnaire" };
        var v1 = Steward.Features.Suitability.DefaultQuestionnaire.Content;
        for (var i = 0; i < v1.Questions.Count; i++)
        {
            var q = v1.Questions[i];
            fields[$"Input.Questions[{i}].Id"] = q.Id;
            fields[$"Input.Questions[{i}].Text"] = q.Text;
            fields[$"Input.Questions[{i}].TextEn"] = q.TextEn;
            for (var j = 0; j < q.Options.Count; j++)
            {
                fields[$"Input.Questions[{i}].Options[{j}].Id"] = q.Options[j].Id;
                fields[$"Input.Questions[{i}].Options[{j}].Text"] = q.Options[j].Text;
                fields[$"Input.Questions[{i}].Options[{j}].TextEn"] = q.Options[j].TextEn;
                fields[$"Input.Questions[{i}].Options[{j}].Score"] = q.Options[j].Score.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        fields["Input.Questions[8].Id"] = "liquidity";
        fields["Input.Questions[8].Text"] = "您对资金流动性的要求？";
        fields["Input.Questions[8].TextEn"] = "How soon may you need the money?";
        fields["Input.Questions[8].Options[0].Id"] = "a";
        fields["Input.Questions[8].Options[0].Text"] = "随时";
        fields["Input.Questions[8].Options[0].TextEn"] = "At any time";
        fields["Input.Questions[8].Options[0].Score"] = "0";
        fields["Input.Questions[8].Options[1].Id"] = "b";
        fields["Input.Questions[8].Options[1].Text"] = "一年以后";
        fields["Input.Questions[8].Options[1].TextEn"] = "After a year";
        fields["Input.Questions[8].Options[1].Score"] = "200";
        foreach (var (level, min) in new[] { ("C1", "0"), ("C2", "25"), ("C3", "45"), ("C4", "65"), ("C5", "82") })
        {
            fields[$"Input.Bands[{level}]"] = min;
        }

        var refused = await pages.PostFormAsync("/Suitability/Questionnaire", fields);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        Assert.Contains("A score is from 0 to 100.", refusedHtml);
        Assert.Contains("id=\"questions[8].options[1]-error\"", refusedHtml);
        var api = await app.ApiClientAsync(admin.Username);
        Assert.Equal(1, (await (await api.GetAsync("/api/v1/risk-questionnaires/current")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("number").GetInt32());

        fields["Input.Questions[8].Options[1].Score"] = "6";
        var published = await pages.PostFormAsync("/Suitability/Questionnaire", fields);
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        var current = await (await api.GetAsync("/api/v1/risk-questionnaires/current")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, current.GetProperty("number").GetInt32());
        var questions = current.GetProperty("content").GetProperty("questions");
        Assert.Equal(9, questions.GetArrayLength());
        Assert.Equal("How soon may you need the money?", questions[8].GetProperty("textEn").GetString());
    }
}
