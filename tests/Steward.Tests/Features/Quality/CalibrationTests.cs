using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Notifications;
using Steward.Features.Quality;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Quality;

/// <summary>
/// Calibration batches (issue 16, decision 0049). One app per database for the whole flow (the batches do not disturb each
/// other): Cohen's kappa of a two-inspector batch and Fleiss' kappa of a three-inspector batch against values worked out by
/// hand below; calibration scores appear in no staff member's reviews and open no rectification even on a failed critical
/// item; the drift alert goes out below the threshold and not above it; bad input refused with nothing stored; scores
/// hidden until one's own is in; one's own work refused; a non-inspector gets 403. Plus the kappa class against Wikipedia's
/// Fleiss' kappa example.
/// </summary>
public sealed class CalibrationTests
{
    // Two yes/no items of weight 50: "a" critical, "b" not.
    private static object Card(string code, string kind = "CaseHandling") => new
    {
        code, basedOn = (int?)null, name = "校准测试表", nameEn = "Calibration test card", subjectKind = kind,
        content = new
        {
            sections = new object[]
            {
                new
                {
                    id = "s1", title = "处理", titleEn = "Handling",
                    items = new object[]
                    {
                        new { id = "a", text = "核实身份", textEn = "Identity verified", scale = "YesNo", weight = 50, critical = true },
                        new { id = "b", text = "方案正确", textEn = "Correct", scale = "YesNo", weight = 50 },
                    },
                },
            },
        },
    };

    private static Task<HttpResponseMessage> ScoreAsync(HttpClient api, long batch, long caseId, int a, int b) =>
        api.PostJsonAsync($"/api/v1/qa/calibrations/{batch}/reviews", new
        {
            caseId, answers = new Dictionary<string, object> { ["a"] = new { value = a }, ["b"] = new { value = b } }, comment = "校准",
        });

    private static async Task<long> CreateAsync(HttpClient api, string name, IEnumerable<long> cases, params long[] inspectors)
    {
        var made = await (await api.PostJsonAsync("/api/v1/qa/calibrations", new
        {
            name, scorecard = "cal-card", cases = cases.Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray(), inspectorIds = inspectors,
        })).ShouldBeJsonAsync(HttpStatusCode.Created);
        return made.GetProperty("id").GetInt64();
    }

    private static JsonElement Item(JsonElement batch, string id) =>
        batch.GetProperty("agreement").GetProperty("items").EnumerateArray().Single(i => i.GetProperty("itemId").GetString() == id).GetProperty("agreement");

    [Theory, BothDatabases]
    public async Task Calibration_MeasuresKappaByHand_CountsNowhere_AlertsOnDrift_AndRefusesBadInput(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var team = await app.CreateTeamAsync(branch.Id);
        var agent = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var lead = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.TeamLead);
        var x = await app.CreateStaffAsync(branch.Id, StaffRole.QaInspector);
        var y = await app.CreateStaffAsync(branch.Id, StaffRole.QaInspector);
        var z = await app.CreateStaffAsync(branch.Id, StaffRole.QaInspector);
        var compliance = await app.CreateStaffAsync(branch.Id, StaffRole.Compliance);
        var agentApi = await app.ApiClientAsync(agent.Username);
        var cases = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            cases.Add((await StewardApp.CreateCaseAsync(agentApi, branchId: branch.Id)).GetProperty("id").GetInt64());
        }

        var xApi = await app.ApiClientAsync(x.Username);
        var yApi = await app.ApiClientAsync(y.Username);
        var zApi = await app.ApiClientAsync(z.Username);
        var complianceApi = await app.ApiClientAsync(compliance.Username);
        await (await xApi.PostJsonAsync("/api/v1/qa/scorecards", Card("cal-card"))).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await xApi.PostJsonAsync("/api/v1/qa/scorecards", Card("cal-counter", "CounterVisit"))).ShouldBeJsonAsync(HttpStatusCode.OK);

        // --- Bad input: refused at its field, nothing stored. A non-inspector: 403 on the API and the page. ---
        async Task<string[]> Refused(object body) =>
            [.. (await (await xApi.PostJsonAsync("/api/v1/qa/calibrations", body)).ShouldBeProblemAsync(HttpStatusCode.BadRequest))
                .GetProperty("errors").EnumerateObject().Select(p => p.Name).Order()];
        var c0 = cases[0].ToString(CultureInfo.InvariantCulture);
        Assert.Equal(["inspectorIds"], await Refused(new { name = "一人", scorecard = "cal-card", cases = new[] { c0 }, inspectorIds = new[] { x.Id } }));
        Assert.Equal(["cases"], await Refused(new { name = "无案件", scorecard = "cal-card", cases = Array.Empty<string>(), inspectorIds = new[] { x.Id, y.Id } }));
        Assert.Equal(["cases"], await Refused(new { name = "未知", scorecard = "cal-card", cases = new[] { "NO-SUCH-CASE" }, inspectorIds = new[] { x.Id, y.Id } }));
        Assert.Equal(["scorecard"], await Refused(new { name = "柜面表", scorecard = "cal-counter", cases = new[] { c0 }, inspectorIds = new[] { x.Id, y.Id } }));
        Assert.Equal(["inspectorIds"], await Refused(new { name = "非质检员", scorecard = "cal-card", cases = new[] { c0 }, inspectorIds = new[] { x.Id, lead.Id } }));
        Assert.Equal(["cases", "inspectorIds", "name"], await Refused(new { name = " ", scorecard = "cal-card", cases = Array.Empty<string>(), inspectorIds = Array.Empty<long>() }));
        var page = await PageClient.SignInAsync(app, x.Username, language: "zh-CN");
        var posted = await page.PostFormAsync("/Quality/Calibrations", new() { ["name"] = "页面", ["scorecard"] = "cal-card", ["cases"] = c0, ["inspectorIds"] = x.Id.ToString(CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Contains("请至少邀请两名质检员", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await (await agentApi.GetAsync("/api/v1/qa/calibrations")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await agentApi.PostJsonAsync("/api/v1/qa/calibrations", new { name = "坐席", scorecard = "cal-card", cases = new[] { c0 }, inspectorIds = new[] { x.Id, y.Id } }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var agentPage = await PageClient.SignInAsync(app, agent.Username);
        Assert.Equal(HttpStatusCode.Forbidden, (await agentPage.GetAsync("/Quality/Calibrations")).Status);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<QualityCalibration>().CountAsync()));

        // --- Cohen: inspectors X and Y over cases 1–5, items a and b (the answers as X, Y):
        //   c1 a 1,1  b 1,1 | c2 a 1,1  b 1,0 | c3 a 1,1  b 0,1 | c4 a 1,1  b 0,0 | c5 a 1,0  b 0,0
        // Overall, the 10 case × item pairs in a 2×2 table (yes = 100 %, no = 0 %):
        //              Y yes  Y no
        //     X yes      5      2     (7)
        //     X no       1      2     (3)
        //               (6)    (4)    N = 10
        //   p_o = (5 + 2) / 10 = 0.70; p_e = 0.7 × 0.6 + 0.3 × 0.4 = 0.42 + 0.12 = 0.54;
        //   κ = (0.70 − 0.54) / (1 − 0.54) = 0.16 / 0.46 = 0.347826 → 0.3478 (fair).
        // Item a: X yes 5/5, Y yes 4/5; p_o = 4/5 = 0.8; p_e = 1 × 0.8 + 0 × 0.2 = 0.8; κ = 0 / 0.2 = 0 (slight).
        // Item b: X 1,1,0,0,0; Y 1,0,1,0,0; p_o = 3/5 = 0.6; p_e = 0.4 × 0.4 + 0.6 × 0.6 = 0.52; κ = 0.08 / 0.48 = 0.1667.
        var cohen = await CreateAsync(xApi, "双人校准", cases.Take(5), x.Id, y.Id);
        int[][] xs = [[1, 1], [1, 1], [1, 0], [1, 0], [1, 0]];
        int[][] ys = [[1, 1], [1, 0], [1, 1], [1, 0], [0, 0]];
        for (var i = 0; i < 5; i++)
        {
            await (await ScoreAsync(xApi, cohen, cases[i], xs[i][0], xs[i][1])).ShouldBeJsonAsync(HttpStatusCode.OK);
        }

        // Y has not scored case 1: X's score of it is hidden from Y, and there is no agreement yet for Y; once Y scores it, Y sees it.
        var hidden = await (await yApi.GetAsync($"/api/v1/qa/calibrations/{cohen}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var firstCell = hidden.GetProperty("cases")[0].GetProperty("cells")[0];
        Assert.True(firstCell.GetProperty("submitted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, firstCell.GetProperty("score").ValueKind);
        Assert.Equal(JsonValueKind.Null, hidden.GetProperty("agreement").ValueKind);
        // Bad answers: refused at the item, nothing stored (a value off the yes/no scale).
        var off = await (await ScoreAsync(yApi, cohen, cases[0], 1, 3)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["answers.b"], off.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToArray());
        // Closing before every score is in: refused (5 of Y's are missing).
        var early = await (await xApi.PostAsync($"/api/v1/qa/calibrations/{cohen}/close", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("qa-calibration-incomplete", early.GetProperty("code").GetString());
        // Not invited: Z may not score it.
        Assert.Equal("qa-not-invited", (await (await ScoreAsync(zApi, cohen, cases[0], 1, 1)).ShouldBeProblemAsync(HttpStatusCode.Forbidden)).GetProperty("code").GetString());
        for (var i = 0; i < 5; i++)
        {
            var after = await (await ScoreAsync(yApi, cohen, cases[i], ys[i][0], ys[i][1])).ShouldBeJsonAsync(HttpStatusCode.OK);
            if (i == 0)
            {
                Assert.Equal(100m, after.GetProperty("cases")[0].GetProperty("cells")[0].GetProperty("score").GetDecimal());
            }
        }

        Assert.Equal("qa-calibration-scored", (await (await ScoreAsync(yApi, cohen, cases[0], 1, 1)).ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString());
        var closedCohen = await (await complianceApi.PostAsync($"/api/v1/qa/calibrations/{cohen}/close", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var overall = closedCohen.GetProperty("agreement").GetProperty("overall");
        Assert.Equal((0.3478m, 10, "Cohen", "Fair"), (overall.GetProperty("kappa").GetDecimal(), overall.GetProperty("n").GetInt32(), overall.GetProperty("method").GetString(), overall.GetProperty("band").GetString()));
        Assert.Equal((0m, 5, "Slight"), (Item(closedCohen, "a").GetProperty("kappa").GetDecimal(), Item(closedCohen, "a").GetProperty("n").GetInt32(), Item(closedCohen, "a").GetProperty("band").GetString()));
        Assert.Equal(0.1667m, Item(closedCohen, "b").GetProperty("kappa").GetDecimal());
        // Spread of the overall scores: case 5, X 50 (a yes, b no) and Y 0 (a no: a critical fail) → 50; case 1, both 100 → 0.
        Assert.Equal(0m, closedCohen.GetProperty("cases")[0].GetProperty("spread").GetDecimal());
        Assert.Equal(50m, closedCohen.GetProperty("cases")[4].GetProperty("spread").GetDecimal());
        Assert.True(closedCohen.GetProperty("drift").GetBoolean());

        // Nowhere counted: no review of the agent (as an inspector sees them and as the agent does), no rectification though
        // Y failed the critical item of case 5, and the agent was not told of a review.
        Assert.Equal(0, (await (await xApi.GetAsync($"/api/v1/qa/reviews?staffId={agent.Id}")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetArrayLength());
        Assert.Equal(0, (await (await agentApi.GetAsync("/api/v1/qa/reviews")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetArrayLength());
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<QualityReview>().CountAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<QualityRectification>().CountAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Notification>().CountAsync(n => n.StaffId == agent.Id && n.Kind.StartsWith("qa."))));
        Assert.Equal(10, await app.WithDbAsync(db => db.Set<QualityCalibrationReview>().CountAsync(r => r.CalibrationId == cohen)));
        // The drift alert (0.3478 < 0.6): every inspector and compliance, linking to the batch, which shows the warning.
        var cohenLink = $"/Quality/Calibrations/{cohen}";
        var alerted = await app.WithDbAsync(db => db.Set<Notification>().Where(n => n.Kind == "qa.calibration.drift" && n.Link == cohenLink).Select(n => n.StaffId).OrderBy(i => i).ToListAsync());
        Assert.Equal(new[] { x.Id, y.Id, z.Id, compliance.Id }.Order(), alerted);
        var (status, html) = await page.GetAsync(cohenLink);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("qa-drift", html, StringComparison.Ordinal);
        Assert.Contains("0.35", html, StringComparison.Ordinal);

        // --- Fleiss: compliance makes a batch of cases 1–4 for X, Y and Z. Item a: all three say yes on every case
        // (one category: p_e = 1, reported as 1). Item b (n = 3 raters, denominator n(n − 1) = 6):
        //   c1 yes,yes,yes → n_yes 3, n_no 0: P_1 = (9 + 0 − 3) / 6 = 1
        //   c2 yes,yes,no  → 2, 1:            P_2 = (4 + 1 − 3) / 6 = 1/3
        //   c3 no,no,no    → 0, 3:            P_3 = (0 + 9 − 3) / 6 = 1
        //   c4 yes,no,no   → 1, 2:            P_4 = (1 + 4 − 3) / 6 = 1/3
        //   P̄ = (1 + 1/3 + 1 + 1/3) / 4 = 2/3; p_yes = (3 + 2 + 0 + 1) / 12 = 0.5, p_no = 0.5; P̄_e = 0.25 + 0.25 = 0.5;
        //   κ = (2/3 − 0.5) / (1 − 0.5) = 0.3333 (fair).
        // Overall over the 8 case × item pairs: a's four rows P_i = 1; b's as above. P̄ = (4 + 1 + 1/3 + 1 + 1/3) / 8 = (20/3) / 8 = 0.8333;
        //   p_100 = (12 + 6) / 24 = 0.75, p_0 = 6 / 24 = 0.25; P̄_e = 0.5625 + 0.0625 = 0.625; κ = (0.8333 − 0.625) / 0.375 = 0.5556 (moderate).
        var fleiss = await CreateAsync(complianceApi, "三人校准", cases.Take(4), x.Id, y.Id, z.Id);
        int[][] b3 = [[1, 1, 1], [1, 1, 0], [0, 0, 0], [1, 0, 0]];
        HttpClient[] raters = [xApi, yApi, zApi];
        for (var i = 0; i < 4; i++)
        {
            for (var r = 0; r < 3; r++)
            {
                await (await ScoreAsync(raters[r], fleiss, cases[i], 1, b3[i][r])).ShouldBeJsonAsync(HttpStatusCode.OK);
            }
        }

        var closedFleiss = await (await xApi.PostAsync($"/api/v1/qa/calibrations/{fleiss}/close", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var a3 = Item(closedFleiss, "a");
        Assert.Equal((1m, true, "AlmostPerfect"), (a3.GetProperty("kappa").GetDecimal(), a3.GetProperty("oneCategory").GetBoolean(), a3.GetProperty("band").GetString()));
        Assert.Equal((0.3333m, "Fleiss", 3), (Item(closedFleiss, "b").GetProperty("kappa").GetDecimal(), Item(closedFleiss, "b").GetProperty("method").GetString(), Item(closedFleiss, "b").GetProperty("raters").GetInt32()));
        var overall3 = closedFleiss.GetProperty("agreement").GetProperty("overall");
        Assert.Equal((0.5556m, 8, "Moderate"), (overall3.GetProperty("kappa").GetDecimal(), overall3.GetProperty("n").GetInt32(), overall3.GetProperty("band").GetString()));

        // --- Above the threshold: X and Y agree on cases 5 and 6 (c5 a yes b yes; c6 a yes b no). Item b: p_o = 1, p_e = 0.5 → κ = 1;
        // overall: p_o = 1, p_e = (3/4)² + (1/4)² = 0.625 → κ = 1. No drift, no alert.
        var agreed = await CreateAsync(xApi, "一致", [cases[4], cases[5]], x.Id, y.Id);
        foreach (var api in new[] { xApi, yApi })
        {
            await (await ScoreAsync(api, agreed, cases[4], 1, 1)).ShouldBeJsonAsync(HttpStatusCode.OK);
            await (await ScoreAsync(api, agreed, cases[5], 1, 0)).ShouldBeJsonAsync(HttpStatusCode.OK);
        }

        var closedAgreed = await (await xApi.PostAsync($"/api/v1/qa/calibrations/{agreed}/close", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1m, closedAgreed.GetProperty("agreement").GetProperty("overall").GetProperty("kappa").GetDecimal());
        Assert.False(closedAgreed.GetProperty("drift").GetBoolean());
        var agreedLink = $"/Quality/Calibrations/{agreed}";
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Notification>().CountAsync(n => n.Kind == "qa.calibration.drift" && n.Link == agreedLink)));
        Assert.DoesNotContain("qa-drift", (await page.GetAsync(agreedLink)).Html, StringComparison.Ordinal);
        await (await ScoreAsync(xApi, agreed, cases[4], 1, 1)).ShouldBeProblemAsync(HttpStatusCode.Conflict);

        // --- One's own work: Z invited to a batch of case 6, then adds a note to it: Z's score is refused. Inviting Z to a new
        // batch of case 6 is refused at inspectorIds.
        var own = await CreateAsync(xApi, "本人", [cases[5]], x.Id, z.Id);
        // X scores it on the review form in calibration mode: back to the batch, stored with it, not as a review.
        var c5 = cases[5].ToString(CultureInfo.InvariantCulture);
        var form = await page.PostFormAsync($"/Quality/Review?caseId={c5}&calibration={own}", new()
        {
            ["caseId"] = c5, ["calibration"] = own.ToString(CultureInfo.InvariantCulture), ["scorecard"] = "cal-card", ["a.a"] = "1", ["a.b"] = "0",
        });
        Assert.Equal(HttpStatusCode.Redirect, form.StatusCode);
        Assert.Equal($"/Quality/Calibrations/{own}", form.Headers.Location?.OriginalString);
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<QualityCalibrationReview>().CountAsync(r => r.CalibrationId == own && r.InspectorId == x.Id)));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<QualityReview>().CountAsync()));
        await (await zApi.PostJsonAsync($"/api/v1/cases/{cases[5]}/notes", new { body = "校准前的备注。" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("qa-own-work", (await (await ScoreAsync(zApi, own, cases[5], 1, 1)).ShouldBeProblemAsync(HttpStatusCode.Forbidden)).GetProperty("code").GetString());
        Assert.Equal(["inspectorIds"], await Refused(new { name = "本人2", scorecard = "cal-card", cases = new[] { cases[5].ToString(CultureInfo.InvariantCulture) }, inspectorIds = new[] { x.Id, z.Id } }));
        Assert.Equal(4, await app.WithDbAsync(db => db.Set<QualityCalibration>().CountAsync()));
        Assert.Equal(4, (await (await complianceApi.GetAsync("/api/v1/qa/calibrations")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetArrayLength());
        Assert.True((await app.VerifyAuditAsync()).Intact);
        Assert.NotEmpty(await app.AuditEntriesAsync("QualityCalibration", cohen.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// Wikipedia, "Fleiss' kappa", worked example (10 subjects, 14 raters, 5 categories; https://en.wikipedia.org/wiki/Fleiss%27_kappa):
    /// P̄ = 0.378, P̄_e = 0.213, κ ≈ 0.210. And Cohen's with p_e = 1 (both raters always "yes"): agreement 1, flagged.
    /// </summary>
    [Fact]
    public void Kappa_MatchesTheTextbookExamples()
    {
        int[][] table =
        [
            [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
        ];
        var k = QualityKappa.Fleiss([.. table.Select(r => (IReadOnlyList<int>)r)]);
        Assert.Equal(0.378, Math.Round(k.Observed, 3));
        Assert.Equal(0.213, Math.Round(k.Expected, 3));
        Assert.Equal(0.210, Math.Round(k.Kappa, 3));
        Assert.Equal(KappaBand.Fair, k.Band); // 0.2099…: 0.21 to two decimals, "fair" (0.21–0.40)

        var same = QualityKappa.Cohen([("yes", "yes"), ("yes", "yes"), ("yes", "yes")]);
        Assert.Equal((1d, true), (same.Kappa, same.OneCategory));
        // Bands (Landis & Koch): below 0 poor; 0.41–0.60 moderate; 0.81 almost perfect.
        Assert.Equal([KappaBand.Poor, KappaBand.Moderate, KappaBand.Substantial, KappaBand.AlmostPerfect],
            new[] { -0.1, 0.5, 0.61, 0.81 }.Select(QualityKappa.BandOf).ToArray());
    }
}
