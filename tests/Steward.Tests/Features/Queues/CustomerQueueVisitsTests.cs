using System.Net;
using Steward.Features.Customers;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Queues;

/// <summary>The customer page's branch visits (issue 12's 360 view): a visit of an identified customer, with its wait and service time from the calls.</summary>
public sealed class CustomerQueueVisitsTests
{
    [Theory, BothDatabases]
    public async Task AVisitOfAnIdentifiedCustomer_ShowsOnTheirPage_WithTheWaitAndServiceTime_OnlyToReadersOfItsBranch(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var a = await w.AddServiceTypeAsync("A");
        var counter = await w.AddCounterAsync(1, typeIds: a.Id);
        var customer = await app.CreateCustomerAsync(w.Branch.Id, CustomerTier.Standard, phone: "13800138009");
        var (_, desk) = await w.StaffAtCounterAsync(counter.Id);

        // Issued, called 7 minutes later, served from a minute after the call for 12 minutes.
        var ticket = await w.IssueAsync(a.Id, "13800138009", desk);
        app.Clock.Advance(TimeSpan.FromMinutes(7));
        await w.CallAsync(desk);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await w.ActAsync(desk, ticket.Id, "serve");
        app.Clock.Advance(TimeSpan.FromMinutes(12));
        await w.ActAsync(desk, ticket.Id, "finish", new { outcome = "Completed" });

        var reader = await app.CreateStaffAsync(w.Branch.Id, StaffRole.Agent);
        var pages = await PageClient.SignInAsync(app, reader.Username, language: "en");
        var (_, html) = await pages.GetAsync($"/Customers/Details?id={customer.Id}");
        var visit = HtmlForms.Parse(html).QuerySelector("[data-testid=queue-visit]");
        Assert.NotNull(visit);
        var cells = visit!.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(("A001", "Service A", "7 min", "12 min", "Completed"), (cells[1], cells[2], cells[3], cells[4], cells[5]));

        // A reader of another branch who may see the customer (an extra branch) but not the visit's branch sees no visit there.
        var elsewhere = await app.CreateBranchAsync();
        var other = await app.CreateCustomerAsync(elsewhere.Id, CustomerTier.Standard, phone: "13800138010");
        await w.IssueAsync(a.Id, "13800138010", desk);
        var outsider = await app.CreateStaffAsync(elsewhere.Id, StaffRole.Agent);
        var (_, theirs) = await (await PageClient.SignInAsync(app, outsider.Username, language: "en")).GetAsync($"/Customers/Details?id={other.Id}");
        Assert.Null(HtmlForms.Parse(theirs).QuerySelector("[data-testid=queue-visit]"));
        Assert.Contains("No branch visits yet", theirs, StringComparison.Ordinal);
    }
}
