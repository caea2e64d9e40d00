using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Holdings;
using Steward.Features.Products;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Holdings;

/// <summary>The holdings import page (/Holdings/Import): upload, the result with refused rows, the same file again, an empty file, who may see it.</summary>
public sealed class HoldingImportPagesTests
{
    private static async Task<HttpResponseMessage> UploadAsync(PageClient pages, string fileName, string content)
    {
        var token = await pages.TokenAsync("/Holdings/Import");
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(content));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        return await pages.Http.PostAsync("/Holdings/Import", form);
    }

    [Theory, BothDatabases]
    public async Task ImportPage_UploadsThroughTheImporter_ShowsRefusedRows_AndKnowsTheSameFileAgain(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var office = await app.CreateStaffAsync(branch.Id, StaffRole.BackOffice);
        var pages = await PageClient.SignInAsync(app, office.Username, language: "en");
        var customer = await app.CreateCustomerAsync(branch.Id);
        var code = app.Unique("FND-P");
        await app.WithDbAsync(async db =>
        {
            db.Add(new Product { Code = code, Name = "测试基金", NameEn = "Test fund", Category = ProductCategory.Fund, IssuerRiskLevel = ProductRiskLevel.R2, DistributorRiskLevel = ProductRiskLevel.R2, RiskLevel = ProductRiskLevel.R2 });
            await db.SaveChangesAsync();
        });

        // Line 2 good, line 3 an unknown customer.
        var csv = $"customer_reference,product_code,balance,currency,as_of\n{customer.Reference},{code},1000.00,CNY,2026-11-20\nC-NOBODY,{code},5,CNY,2026-11-20\n";
        var posted = await UploadAsync(pages, "core.csv", csv);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var (status, html) = await pages.GetAsync(posted.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, status);
        html = WebUtility.HtmlDecode(html);
        Assert.Contains("2 rows: 1 accepted, 1 rejected", html);
        Assert.Matches("<td class=\"mono\">3</td><td class=\"mono\" lang=\"\">customer_reference</td><td>No customer has the reference C-NOBODY", html);
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Holding>().CountAsync()));
        Assert.Contains("data-testid=\"recent-imports\"", html);

        // The same content under another name: recognised, nothing written.
        var again = await UploadAsync(pages, "renamed.csv", csv);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("This file was already imported on", await again.Content.ReadAsStringAsync());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<HoldingImport>().CountAsync()));

        // An empty file and a file that is not CSV or JSON: refused at the field.
        var empty = await UploadAsync(pages, "empty.csv", "");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Matches("id=\"file-error\"[^>]*>Choose a CSV or JSON file that is not empty", await empty.Content.ReadAsStringAsync());
        var wrongColumns = await UploadAsync(pages, "wrong.csv", "a,b\n1,2\n");
        Assert.Equal(HttpStatusCode.BadRequest, wrongColumns.StatusCode);
        Assert.Contains("id=\"file-error\"", await wrongColumns.Content.ReadAsStringAsync());

        // An agent has no HoldingsImport: no page, no menu entry.
        var agent = await PageClient.SignInAsync(app, (await app.CreateStaffAsync(branch.Id, StaffRole.Agent)).Username, language: "en");
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/Holdings/Import")).Status);
        Assert.DoesNotContain("href=\"/Holdings/Import\"", (await agent.GetAsync("/Cases")).Html);
        Assert.Contains("href=\"/Holdings/Import\"", (await pages.GetAsync("/Cases")).Html);
    }
}
