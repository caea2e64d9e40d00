using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Sla;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Complaints;

/// <summary>Publishing a new complaint classification version: add, rename, retire; complaints already coded keep their version (issue 13).</summary>
public sealed class ComplaintTaxonomyVersionTests
{
    private static readonly DateTimeOffset MondayMorningShanghai = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    [Theory, BothDatabases]
    public async Task Publish_AddRenameRetire_MakesVersion2_AndRetiredCodeIsRefusedForRecoding(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(MondayMorningShanghai));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (_, compliance) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        var caseId = (await StewardApp.CreateCaseAsync(agent, subject: "手续费", kind: "Consultation")).GetProperty("id").GetInt64();
        var complaint = await (await agent.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = complaint.GetProperty("id").GetInt64();

        // An agent may read but not publish.
        await (await agent.PostJsonAsync("/api/v1/complaints/taxonomy", new { basedOn = 1, retire = new[] { new { codeSet = "JrtCause", code = "C05" } } }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        var published = await (await compliance.PostJsonAsync("/api/v1/complaints/taxonomy", new
        {
            basedOn = 1,
            add = new[] { new { codeSet = "JrtCause", code = "c13", name = "数据安全", nameEn = "Data security" } },
            rename = new[] { new { codeSet = "JrtBusiness", code = "B99", name = "其他业务类别", nameEn = "Other business" } },
            retire = new[] { new { codeSet = "JrtCause", code = "C05" } },
        })).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal((2, "2026-03-02"), (published.GetProperty("number").GetInt32(), published.GetProperty("publishedOn").GetString()));
        var codes = published.GetProperty("codes").EnumerateArray().ToDictionary(c => c.GetProperty("code").GetString()!);
        // Version 1 seeds 4 natures, 11 A, 7 B, 13 C and 5 FCA groups = 40 codes; one added = 41.
        Assert.Equal(41, codes.Count);
        Assert.Equal(("数据安全", "Data security", false), (codes["C13"].GetProperty("name").GetString(), codes["C13"].GetProperty("nameEn").GetString(), codes["C13"].GetProperty("retired").GetBoolean()));
        Assert.Equal(("其他业务类别", "Other business"), (codes["B99"].GetProperty("name").GetString(), codes["B99"].GetProperty("nameEn").GetString()));
        Assert.True(codes["C05"].GetProperty("retired").GetBoolean());

        // Version 1 is unchanged, and the complaint keeps it.
        var v1 = await (await agent.GetAsync("/api/v1/complaints/taxonomy/1")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var v1Codes = v1.GetProperty("codes").EnumerateArray().ToDictionary(c => c.GetProperty("code").GetString()!);
        Assert.Equal((40, false), (v1Codes.Count, v1Codes["C05"].GetProperty("retired").GetBoolean()));
        var again = await (await agent.GetAsync($"/api/v1/complaints/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, again.GetProperty("taxonomyNumber").GetInt32());
        var current = await (await agent.GetAsync("/api/v1/complaints/taxonomy")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, current.GetProperty("number").GetInt32());
        var history = await (await agent.GetAsync("/api/v1/complaints/taxonomy/versions")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal([2, 1], history.EnumerateArray().Select(v => v.GetProperty("number").GetInt32()));

        // Recoding to the retired cause is refused at its field (in the caller's language, Chinese); to the new one it is accepted, under version 2.
        var version = again.GetProperty("version").GetInt64();
        var retired = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/classification",
            new { nature = "PRODUCT", jrtChannel = "A01", jrtBusiness = "B99", jrtCause = "C05", reason = "复核", version })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("代码“C05”已在JR/T 0169 C 类（原因）中停用（分类第 2 版），请选择其他代码。",
            retired.GetProperty("errors").GetProperty("jrtCause")[0].GetString());
        var recoded = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/classification",
            new { nature = "PRODUCT", jrtChannel = "A01", jrtBusiness = "B99", jrtCause = "C13", reason = "复核", version })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, recoded.GetProperty("taxonomyNumber").GetInt32());

        // A new intake cannot use the retired code either.
        var other = (await StewardApp.CreateCaseAsync(agent, subject: "另一投诉", kind: "Consultation")).GetProperty("id").GetInt64();
        var refused = await (await agent.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(other))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(refused.GetProperty("errors").TryGetProperty("jrtCause", out _));

        // Audited: the version and each of its 41 codes.
        var audited = await app.WithDbAsync(db => db.Set<AuditEntry>().AsNoTracking().Where(e => e.EntityType == "ComplaintTaxonomy" || e.EntityType == "ComplaintCode")
            .GroupBy(e => e.EntityType).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));
        Assert.Equal((1, 41), (audited["ComplaintTaxonomy"], audited["ComplaintCode"]));
    }

    [Theory, BothDatabases]
    public async Task Publish_BadInput_IsRefusedAtEachField_AndNothingIsWritten(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(MondayMorningShanghai));
        var branch = await app.CreateBranchAsync();
        var (_, compliance) = await app.SignInAsync(branch.Id, StaffRole.Compliance);

        var problem = await (await compliance.PostJsonAsync("/api/v1/complaints/taxonomy", new
        {
            basedOn = 1,
            add = new object[]
            {
                new { codeSet = "JrtCause", code = "C01", name = "重复", nameEn = "Duplicate" },
                new { codeSet = "JrtBusiness", code = "X1", name = "格式", nameEn = "Format" },
                new { codeSet = "JrtChannel", code = "A06", name = "", nameEn = "No Chinese" },
                new { code = "C20", name = "无代码集", nameEn = "No set" },
            },
            retire = new[] { new { codeSet = "JrtCause", code = "C50" } },
        })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["add[0].code", "add[1].code", "add[2].name", "add[3].codeSet", "retire[0].code"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal("代码“C01”在JR/T 0169 C 类（原因）中已存在。", errors.GetProperty("add[0].code")[0].GetString());
        Assert.Equal("“X1”不符合JR/T 0169 B 类（业务类别）代码格式（如 B05）。", errors.GetProperty("add[1].code")[0].GetString());
        Assert.Equal("代码“C50”不在JR/T 0169 C 类（原因）中（分类第 1 版）。", errors.GetProperty("retire[0].code")[0].GetString());

        // A request based on an older version is stale; an unknown version is not found.
        await (await compliance.PostJsonAsync("/api/v1/complaints/taxonomy", new { basedOn = 0, retire = new[] { new { codeSet = "JrtCause", code = "C05" } } }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await compliance.GetAsync("/api/v1/complaints/taxonomy/7")).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var (versions, codes) = await app.WithDbAsync(async db => (await db.Set<Steward.Features.Complaints.ComplaintTaxonomy>().CountAsync(),
            await db.Set<Steward.Features.Complaints.ComplaintCode>().CountAsync()));
        Assert.Equal((1, 40), (versions, codes));
    }
}
