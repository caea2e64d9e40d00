using System.Net;
using System.Text.Json;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Security;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Audit;

/// <summary>The personal-data access review (issue 18): the flags worked out by hand from the showings written below.</summary>
public sealed class RevealReviewTests
{
    // Shanghai is UTC+8; the branches have no calendar, so the fallback applies: Monday to Friday 09:00–17:30 local.
    private static DateTimeOffset Sh(int day, int hour, int minute = 0) => new DateTimeOffset(2026, 11, day, hour, minute, 0, TimeSpan.FromHours(8)).ToUniversalTime();

    [Theory, BothDatabases]
    public async Task Showings_AreFlagged_ForManySubjects_OutsideHours_AndOutsideOwnBranches(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var a = await app.CreateBranchAsync();
        var b = await app.CreateBranchAsync();
        var agent = await app.CreateStaffAsync(a.Id, StaffRole.Agent);
        var busy = await app.CreateStaffAsync(a.Id, StaffRole.Agent);
        var compliance = await app.CreateStaffAsync(a.Id, StaffRole.Compliance);
        // Only compliance reveals today; the showings are written as if agents had been granted it, which the flags guard against.
        var rows = new List<PersonalDataAccess>
        {
            // Mon 23 Nov 10:00 in a working period, own branch: nothing.
            PersonalDataAccess.Of(Sh(23, 10), agent.Id, agent.DisplayName, "Customer", 101, a.Id, "customer-reveal (page)"),
            // Mon 22:30, after 17:30: outside working hours.
            PersonalDataAccess.Of(Sh(23, 22, 30), agent.Id, agent.DisplayName, "Customer", 102, a.Id, "customer-reveal (page)"),
            // Mon 11:00, a customer of branch B, where the agent does not work: not their branch.
            PersonalDataAccess.Of(Sh(23, 11), agent.Id, agent.DisplayName, "Customer", 103, b.Id, "customer-reveal (API)"),
            // Sat 28 Nov 11:00: a rest day has no working day at all.
            PersonalDataAccess.Of(Sh(28, 11), agent.Id, agent.DisplayName, "Customer", 105, a.Id, "customer-reveal (page)"),
            // Compliance works institution-wide: branch B is theirs too.
            PersonalDataAccess.Of(Sh(23, 11), compliance.Id, compliance.DisplayName, "Case", 104, b.Id, "case-contact (page)"),
        };
        // Tue 24 Nov from 09:00, one a minute: 21 different customers; only the 21st passes 20 in 24 hours.
        rows.AddRange(Enumerable.Range(1, 21).Select(i => PersonalDataAccess.Of(Sh(24, 9, i), busy.Id, busy.DisplayName, "Customer", 200 + i, a.Id, "customer-reveal (page)")));
        await app.WithDbAsync(async db =>
        {
            db.AddRange(rows);
            await db.SaveChangesAsync();
        });
        app.Clock.SetUtcNow(Sh(29, 8));

        var api = await app.ApiClientAsync(compliance.Username);
        var review = await (await api.GetAsync("/api/v1/audit/reveals")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var items = review.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(26, items.Count);
        string[] Flags(long subject) => [.. items.Single(i => i.GetProperty("subjectId").GetInt64() == subject).GetProperty("flags").EnumerateArray().Select(f => f.GetString()!)];
        Assert.Empty(Flags(101));
        Assert.Equal(["OutsideWorkingHours"], Flags(102));
        Assert.Equal(["OutsideOwnBranches"], Flags(103));
        Assert.Empty(Flags(104));
        Assert.Equal(["OutsideWorkingHours"], Flags(105));
        Assert.Empty(Flags(220));
        Assert.Equal(["ManySubjects"], Flags(221));

        // Per person, the most flagged first: the agent (4 showings, 3 flagged), the busy agent (21, 1), compliance (1, 0).
        var people = review.GetProperty("people").EnumerateArray()
            .Select(p => (p.GetProperty("staffId").GetInt64(), p.GetProperty("reveals").GetInt32(), p.GetProperty("subjects").GetInt32(), p.GetProperty("flagged").GetInt32())).ToArray();
        Assert.Equal([(agent.Id, 4, 4, 3), (busy.Id, 21, 21, 1), (compliance.Id, 1, 1, 0)], people);

        var flagged = await (await api.GetAsync("/api/v1/audit/reveals?flagged=true")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(4, flagged.GetProperty("items").GetArrayLength());

        // Bad periods: the end before the start, more than 92 days.
        var backwards = await (await api.GetAsync("/api/v1/audit/reveals?from=2026-11-24T00:00:00Z&to=2026-11-23T00:00:00Z")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(backwards.GetProperty("errors").TryGetProperty("to", out _));
        var long_ = await (await api.GetAsync("/api/v1/audit/reveals?from=2026-06-01T00:00:00Z&to=2026-11-24T00:00:00Z")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(long_.GetProperty("errors").TryGetProperty("from", out _));

        // Only readers of the audit log: an agent is refused, on the API and the page.
        await (await (await app.ApiClientAsync(agent.Username)).GetAsync("/api/v1/audit/reveals")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var agentPage = await PageClient.SignInAsync(app, agent.Username, language: "en");
        Assert.Equal(HttpStatusCode.Forbidden, (await agentPage.GetAsync("/Audit/Reveals")).Status);

        // The page, in English and in Chinese, with the reasons in words and a bad period at its field.
        var en = await PageClient.SignInAsync(app, compliance.Username, language: "en");
        var (status, html) = await en.GetAsync("/Audit/Reveals");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Outside working hours", html, StringComparison.Ordinal);
        Assert.Contains("Not their branch", html, StringComparison.Ordinal);
        Assert.Contains("Many customers in 24 h", html, StringComparison.Ordinal);
        var zh = await PageClient.SignInAsync(app, compliance.Username, language: "zh-CN");
        (_, html) = await zh.GetAsync("/Audit/Reveals?flagged=true");
        Assert.Contains("工作时间以外", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Outside working hours", html, StringComparison.Ordinal);
        (status, html) = await zh.GetAsync("/Audit/Reveals?from=2026-11-24&to=2026-11-20");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("结束时间须晚于开始时间", html, StringComparison.Ordinal);
    }
}
