using System.Net;
using Steward.Features.Sla;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;
using UglyToad.PdfPig;

namespace Steward.Tests.Features.Complaints;

/// <summary>A stored letter printed to PDF on the server by headless Chromium (/usr/bin/chromium).</summary>
public sealed class ComplaintLetterPdfTests
{
    private static readonly DateTimeOffset MondayMorningShanghai = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    [Theory, BothDatabases]
    public async Task Pdf_OfAnAcknowledgment_IsAPdfWithTheCaseReference_AndAnotherBranchGetsNotFound(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(MondayMorningShanghai));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var created = await StewardApp.CreateCaseAsync(agent);
        var (caseId, reference) = (created.GetProperty("id").GetInt64(), created.GetProperty("reference").GetString()!);
        var id = (await (await agent.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId))).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var letterId = (await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/letters", new { kind = "Acknowledgment", language = "en" })).ShouldBeJsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetInt64();

        var response = await agent.GetAsync($"/api/v1/complaints/{id}/letters/{letterId}/pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF"u8.ToArray(), bytes[..4]);
        using var pdf = PdfDocument.Open(bytes);
        var text = string.Concat(pdf.GetPages().Select(p => p.Text));
        Assert.Contains(reference, text, StringComparison.Ordinal);
        Assert.Contains("Dear", text, StringComparison.Ordinal);

        // Another branch's agent may not see the case, so not its letter either.
        var other = await app.CreateBranchAsync();
        var (_, stranger) = await app.SignInAsync(other.Id, StaffRole.Agent);
        await (await stranger.GetAsync($"/api/v1/complaints/{id}/letters/{letterId}/pdf")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
