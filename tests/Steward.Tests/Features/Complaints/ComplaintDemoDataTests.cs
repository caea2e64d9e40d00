using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Complaints;
using Steward.Platform.Database;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Complaints;

/// <summary>The demo's complaints: a handful in various states on the history's complaint cases, readable through the API.</summary>
[Collection(DemoCollection.Name)]
public sealed class ComplaintDemoDataTests(DemoApps demo)
{
    [Theory, BothDatabases]
    public async Task FirstStart_SeedsComplaintsInVariousStates_AndCompliancePagesShowThem(DatabaseProvider provider)
    {
        var app = await demo.ForAsync(provider);
        // The stories (ComplaintDemoData, ComplaintActionDemoData) come first; the dashboard's older complaints after them (ComplaintDashboardDemoTests).
        var complaints = await app.WithDbAsync(db => db.Set<Complaint>().AsNoTracking().OrderBy(c => c.Id).Take(7).ToListAsync());
        Assert.Equal(7, complaints.Count); // six stories, and the first upheld one's cause again (ComplaintActionDemoData)
        Assert.Contains(complaints, c => c.Outcome is null);
        Assert.Contains(complaints, c => c.Outcome == ComplaintOutcome.PartlyUpheld);
        var storyIds = complaints.Select(c => c.Id).ToList();
        var remedies = await app.WithDbAsync(db => db.Set<ComplaintRemedy>().AsNoTracking().Where(r => storyIds.Contains(r.ComplaintId)).ToListAsync());
        Assert.Equal([RemedyStatus.Approved, RemedyStatus.PendingApproval, RemedyStatus.PendingApproval], remedies.OrderBy(r => r.Id).Select(r => r.Status));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<ComplaintDismissal>().CountAsync()));

        var pages = await PageClient.SignInAsync(app, "compliance", Steward.Features.Demo.DemoSeeder.Password);
        var (status, list) = await pages.GetAsync("/Complaints");
        Assert.Equal(HttpStatusCode.OK, status);
        foreach (var c in complaints)
        {
            Assert.Contains($"/Complaints/Details?id={c.Id}", list, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await pages.GetAsync($"/Complaints/Details?id={c.Id}")).Status);
        }
    }
}
