using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Cases;
using Steward.Features.Customers.Documents;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Security;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Customers;

/// <summary>
/// Issue 12, "identity documents (type, number, issuing country, expiry) with uploads": further documents beside the file's
/// own, found by the customer search; scans stored sealed, opened only by those who may with a stated purpose (recorded),
/// refused at the field when wrong, and still opening after the personal-data key is rotated.
/// </summary>
public sealed class IdentityDocumentTests
{
    // A PNG's signature, then bytes that would be plainly visible if the file were stored as uploaded.
    private static readonly byte[] Scan = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. "IHDR-front-of-card-310115198507150016"u8];

    private static async Task<long> CreateCustomerAsync(HttpClient agent, object? file = null) =>
        (await (await agent.PostJsonAsync("/api/v1/customers", file ?? CustomerFileTests.Individual())).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, long customerId, byte[] bytes, string fileName, string? side = "Front", string? documentId = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        if (side is not null)
        {
            form.Add(new StringContent(side), "side");
        }

        if (documentId is not null)
        {
            form.Add(new StringContent(documentId), "documentId");
        }

        return client.PostAsync($"/api/v1/customers/{customerId}/identity-documents/scans", form);
    }

    private static string Field(JsonElement problem, string field) =>
        problem.GetProperty("errors").TryGetProperty(field, out var messages) ? messages[0].GetString()! : $"(no error at {field}: {problem})";

    [Theory, BothDatabases]
    public async Task AFurtherDocument_IsListedMaskedAfterTheFilesOwn_FoundBySearch_AndBadOnesAreRefusedAtTheField(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var other = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        agent.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var id = await CreateCustomerAsync(agent);

        var added = await (await agent.PostJsonAsync($"/api/v1/customers/{id}/identity-documents",
            new { type = "Passport", number = "e 1234 5678", issuingCountry = "cn", expiresOn = "2031-05-31", note = "出国留学用" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var documents = added.GetProperty("documents").EnumerateArray().ToList();
        Assert.Equal(2, documents.Count);
        // The file's own resident identity card first (no id), masked as 3101********0016; then the passport, masked, country upper case.
        Assert.Equal((JsonValueKind.Null, "PrcResidentId", "3101**********0016", "2036-07-01"),
            (documents[0].GetProperty("id").ValueKind, documents[0].GetProperty("type").GetString(), documents[0].GetProperty("number").GetString(), documents[0].GetProperty("expiresOn").GetString()));
        Assert.Equal(("Passport", "CN", "2031-05-31", "出国留学用", false), (documents[1].GetProperty("type").GetString(), documents[1].GetProperty("issuingCountry").GetString(),
            documents[1].GetProperty("expiresOn").GetString(), documents[1].GetProperty("note").GetString(), documents[1].GetProperty("expired").GetBoolean()));
        Assert.DoesNotContain("12345678", documents[1].GetProperty("number").GetString(), StringComparison.Ordinal);

        // The passport number, typed any way, finds the customer; nothing of it is stored in plain text.
        var found = await (await agent.GetAsync("/api/v1/customers?q=E12345678")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Contains(found.GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetInt64() == id);
        var stored = await app.WithDbAsync(db => db.Set<CustomerIdentityDocument>().SingleAsync(d => d.CustomerId == id));
        Assert.DoesNotContain("12345678", stored.NumberCipher, StringComparison.Ordinal);
        Assert.Equal("E12345678", app.Services.GetRequiredService<PersonalDataProtector>().Decrypt(stored.NumberCipher));

        // Wrong check digit (…0016 → …0017), the file's own number again, a business licence for a person, an expired
        // document, a note of 201 characters, a three-letter country: each refused at its field.
        foreach (var (body, field, says) in new (object, string, string)[]
        {
            (new { type = "PrcResidentId", number = "310115198507150017", issuingCountry = "CN" }, "number", "check digit"),
            (new { type = "PrcResidentId", number = CustomerFileTests.Adult, issuingCountry = "CN" }, "number", "already has"),
            (new { type = "Passport", number = "E12345678", issuingCountry = "CN" }, "number", "already has"),
            (new { type = "BusinessLicence", number = "91310000132200821H", issuingCountry = "CN" }, "type", "company"),
            (new { type = "Passport", number = "G87654321", issuingCountry = "CN", expiresOn = "2020-01-31" }, "expiresOn", "expired"),
            (new { type = "Passport", number = "G87654321", issuingCountry = "CN", note = new string('注', 201) }, "note", "200"),
            (new { type = "Passport", number = "G87654321", issuingCountry = "CHN" }, "issuingCountry", "2-letter"),
            (new { number = "G87654321", issuingCountry = "CN" }, "type", "kind"),
        })
        {
            var refused = await (await agent.PostJsonAsync($"/api/v1/customers/{id}/identity-documents", body)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            Assert.Contains(says, Field(refused, field), StringComparison.Ordinal);
        }

        Assert.Equal(1, await app.WithDbAsync(db => db.Set<CustomerIdentityDocument>().CountAsync(d => d.CustomerId == id)));

        // Another branch's agent neither sees nor adds; the passport is removed by the owner's agent.
        var (_, stranger) = await app.SignInAsync(other.Id, StaffRole.Agent);
        await (await stranger.GetAsync($"/api/v1/customers/{id}/identity-documents")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.PostJsonAsync($"/api/v1/customers/{id}/identity-documents", new { type = "Passport", number = "G87654321", issuingCountry = "CN" }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var after = await (await agent.DeleteAsync($"/api/v1/customers/{id}/identity-documents/{documents[1].GetProperty("id").GetInt64()}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Single(after.GetProperty("documents").EnumerateArray());
        var gone = await (await agent.GetAsync("/api/v1/customers?q=E12345678")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, gone.GetProperty("items").GetArrayLength());
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }

    [Theory, BothDatabases]
    public async Task AScan_IsStoredSealed_OpensOnlyWithAPurposeForThoseWhoMay_AndIsRecorded(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (office, backOffice) = await app.SignInAsync(branch.Id, StaffRole.BackOffice);
        agent.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        backOffice.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var id = await CreateCustomerAsync(agent);

        var listed = await (await UploadAsync(agent, id, Scan, "../身份证正面.png")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var scan = Assert.Single(listed.GetProperty("documents")[0].GetProperty("scans").EnumerateArray());
        Assert.Equal(("身份证正面.png", "image/png", (long)Scan.Length, "Front"),
            (scan.GetProperty("fileName").GetString(), scan.GetProperty("contentType").GetString(), scan.GetProperty("size").GetInt64(), scan.GetProperty("side").GetString()));
        var scanId = scan.GetProperty("id").GetInt64();

        // The stored bytes are not the file: no run of the card number in them, and 28 bytes longer (nonce and tag).
        var row = await app.WithDbAsync(db => db.Set<CustomerDocumentScan>().AsNoTracking().SingleAsync(s => s.Id == scanId));
        var blob = await app.WithDbAsync(db => db.Set<AttachmentBlob>().Where(b => b.Id == row.BlobId).Select(b => b.Data).SingleAsync());
        Assert.Equal(Scan.Length + 28, blob.Length);
        Assert.Equal(-1, blob.AsSpan().IndexOf("310115198507150016"u8));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Scan)), row.Sha256);

        // The agent may upload but not open; the back office (KYC verification) opens with a purpose, and it is recorded.
        var open = $"/api/v1/customers/{id}/identity-documents/scans/{scanId}/open";
        await (await agent.PostJsonAsync(open, new { purpose = "核对" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var noPurpose = await (await backOffice.PostJsonAsync(open, new { purpose = " " })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("State why", Field(noPurpose, "purpose"), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<PersonalDataAccess>().CountAsync(a => a.SubjectId == id && a.SubjectType == "Customer")));
        var opened = await backOffice.PostJsonAsync(open, new { purpose = "KYC 复核" });
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Equal("image/png", opened.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Scan, await opened.Content.ReadAsByteArrayAsync());
        var access = await app.WithDbAsync(db => db.Set<PersonalDataAccess>().SingleAsync(a => a.SubjectId == id && a.SubjectType == "Customer"));
        Assert.Equal((office.Id, $"KYC 复核 (scan {scanId}, API)"), (access.StaffId, access.Purpose));

        // A text file, no side, a document of another customer, a fifth scan of one document: refused at the field.
        var second = await CreateCustomerAsync(agent, CustomerFileTests.Individual(CustomerFileTests.Younger, "1990-02-28", "13700009999"));
        var passport = await (await agent.PostJsonAsync($"/api/v1/customers/{second}/identity-documents", new { type = "Passport", number = "E12345678", issuingCountry = "CN" }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        var passportId = passport.GetProperty("documents")[1].GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("PDF", Field(await (await UploadAsync(agent, id, "just some text"u8.ToArray(), "scan.txt")).ShouldBeProblemAsync(HttpStatusCode.BadRequest), "file"), StringComparison.Ordinal);
        await (await UploadAsync(agent, id, Scan, "a.png", side: null)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("this customer", Field(await (await UploadAsync(agent, id, Scan, "a.png", documentId: passportId)).ShouldBeProblemAsync(HttpStatusCode.BadRequest), "documentId"),
            StringComparison.Ordinal);
        foreach (var side in new[] { "Back", "Other", "Other" })
        {
            await (await UploadAsync(agent, id, Scan, side + ".png", side)).ShouldBeJsonAsync(HttpStatusCode.OK);
        }

        Assert.Contains("at most 4", Field(await (await UploadAsync(agent, id, Scan, "fifth.png", "Other")).ShouldBeProblemAsync(HttpStatusCode.BadRequest), "documentId"),
            StringComparison.Ordinal);
        Assert.Equal(4, await app.WithDbAsync(db => db.Set<CustomerDocumentScan>().CountAsync(s => s.CustomerId == id)));

        // Removed: the row and its bytes are gone.
        await (await agent.DeleteAsync($"/api/v1/customers/{id}/identity-documents/scans/{scanId}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.False(await app.WithDbAsync(db => db.Set<AttachmentBlob>().AnyAsync(b => b.Id == row.BlobId)));
        await (await backOffice.PostJsonAsync(open, new { purpose = "KYC 复核" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }

    [Theory, BothDatabases]
    public async Task RotatingTheKey_RewrapsTheScansKey_NotItsBytes_AndTheScanStillOpens(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var compliance = await app.CreateStaffAsync(branch.Id, StaffRole.Compliance);
        var agentApi = await app.ApiClientAsync(agent.Username);
        var id = await CreateCustomerAsync(agentApi);
        var scanId = (await (await UploadAsync(agentApi, id, Scan, "card.png")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("documents")[0].GetProperty("scans")[0].GetProperty("id").GetInt64();
        var before = await app.WithDbAsync(db => db.Set<CustomerDocumentScan>().AsNoTracking().SingleAsync(s => s.Id == scanId));
        var blobBefore = await app.WithDbAsync(db => db.Set<AttachmentBlob>().Where(b => b.Id == before.BlobId).Select(b => b.Data).SingleAsync());
        Assert.StartsWith("v1:", before.KeyCipher, StringComparison.Ordinal);

        await using var rotated = app.StartNodeWith(new Dictionary<string, string?>
        {
            ["Security:PersonalData:Keys:2"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), ["Security:PersonalData:ActiveKeyId"] = "2",
        });
        await using (var scope = rotated.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PersonalDataReencryption>().RunAsync();
        }

        var after = await rotated.WithDbAsync(db => db.Set<CustomerDocumentScan>().AsNoTracking().SingleAsync(s => s.Id == scanId));
        Assert.StartsWith("v2:2:", after.KeyCipher, StringComparison.Ordinal);
        Assert.Equal(blobBefore, await rotated.WithDbAsync(db => db.Set<AttachmentBlob>().Where(b => b.Id == before.BlobId).Select(b => b.Data).SingleAsync()));
        var opened = await (await rotated.ApiClientAsync(compliance.Username)).PostJsonAsync($"/api/v1/customers/{id}/identity-documents/scans/{scanId}/open", new { purpose = "合规检查" });
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Equal(Scan, await opened.Content.ReadAsByteArrayAsync());
    }
}
