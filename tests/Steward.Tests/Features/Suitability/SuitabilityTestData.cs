using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Products;
using Steward.Features.Qualifications;
using Steward.Platform.Identity;
using Steward.Tests.Features.Customers;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Suitability;

/// <summary>
/// Answers to questionnaire version 1 with their totals worked out by hand from its option scores
/// (bands: C1 0–24, C2 25–44, C3 45–64, C4 65–81, C5 82+).
/// </summary>
internal static class SuitabilityTestData
{
    // 10 + 5 + 2 + 4 + 5 + 5 + 5 + 0 = 36 → C2.
    public static readonly Dictionary<string, string> C2 = new()
    {
        ["age"] = "b", ["income"] = "b", ["assets"] = "a", ["experience"] = "b", ["knowledge"] = "b", ["goal"] = "b", ["horizon"] = "b", ["loss"] = "a",
    };

    // 10 + 8 + 6 + 8 + 5 + 9 + 9 + 5 = 60 → C3.
    public static readonly Dictionary<string, string> C3 = new()
    {
        ["age"] = "b", ["income"] = "c", ["assets"] = "b", ["experience"] = "c", ["knowledge"] = "b", ["goal"] = "c", ["horizon"] = "c", ["loss"] = "b",
    };

    // 1 + 12 + 12 + 12 + 9 + 9 + 9 + 5 = 69 → C4.
    public static readonly Dictionary<string, string> C4 = new()
    {
        ["age"] = "e", ["income"] = "d", ["assets"] = "d", ["experience"] = "d", ["knowledge"] = "c", ["goal"] = "c", ["horizon"] = "c", ["loss"] = "b",
    };

    // 8 + 2 + 2 + 0 + 1 + 2 + 2 + 0 = 17 → C1.
    public static readonly Dictionary<string, string> C1 = new()
    {
        ["age"] = "a", ["income"] = "a", ["assets"] = "a", ["experience"] = "a", ["knowledge"] = "a", ["goal"] = "a", ["horizon"] = "a", ["loss"] = "a",
    };

    public static async Task<long> ProductAsync(StewardApp app, string code, ProductRiskLevel level, ProductCategory category = ProductCategory.WealthManagement,
        string? qualification = null, bool recorded = false, decimal? minimum = null) => await app.WithDbAsync(async db =>
    {
        var product = new Product
        {
            Code = code, Name = "测试产品" + code, NameEn = "Test product " + code, Category = category, IssuerRiskLevel = level, DistributorRiskLevel = level, RiskLevel = level,
            RecordedSalesRequired = recorded, MinimumAmount = minimum,
            RequiredQualificationTypeId = qualification is null ? null : await db.Set<QualificationType>().Where(t => t.Code == qualification).Select(t => t.Id).SingleAsync(),
        };
        db.Add(product);
        await db.SaveChangesAsync();
        return product.Id;
    });

    /// <summary>A verified individual customer (declared assets 850,000 CNY) opened by <paramref name="agent"/>, verified by a back-office colleague.</summary>
    public static async Task<long> VerifiedCustomerAsync(StewardApp app, long branchId, HttpClient agent, string idNumber = CustomerFileTests.Adult, string birthDate = "1985-07-15",
        string phone = "13912345678")
    {
        var created = await (await agent.PostJsonAsync("/api/v1/customers", CustomerFileTests.Individual(idNumber, birthDate, phone))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        var (_, backOffice) = await app.SignInAsync(branchId, StaffRole.BackOffice);
        await (await backOffice.PostJsonAsync($"/api/v1/customers/{id}/kyc/verify", new { version = created.GetProperty("version").GetInt32() })).ShouldBeJsonAsync(HttpStatusCode.OK);
        return id;
    }

    /// <summary>Takes an assessment at the counter and, if it waits for the customer, confirms it; returns the assessment.</summary>
    public static async Task<JsonElement> AssessAsync(HttpClient agent, long customerId, Dictionary<string, string> answers)
    {
        var taken = await (await agent.PostJsonAsync($"/api/v1/customers/{customerId}/risk-assessments", new { questionnaireNumber = 1, answers, customerPresent = true }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        if (taken.GetProperty("status").GetString() != "AwaitingConfirmation")
        {
            return taken;
        }

        return await (await agent.PostJsonAsync($"/api/v1/risk-assessments/{taken.GetProperty("id").GetInt64()}/confirm", new { version = taken.GetProperty("version").GetInt32(), accept = true }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    public static Task<HttpResponseMessage> CheckAsync(HttpClient client, long customerId, long productId, string action = "Recommend", decimal? amount = null,
        bool insists = false, string? recording = null) =>
        client.PostJsonAsync("/api/v1/suitability/checks", new { customerId, productId, action, amount, customerInsists = insists, recordingReference = recording });

    public static List<string> Codes(JsonElement decision) => [.. decision.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()!)];

    public static List<string> Args(JsonElement decision, string code) =>
        [.. decision.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("code").GetString() == code).GetProperty("args").EnumerateArray().Select(a => a.GetString()!)];
}
