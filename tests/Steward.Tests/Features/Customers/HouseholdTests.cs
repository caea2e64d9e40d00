using System.Net;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Customers;

/// <summary>Household links (issue 12): shown on both files with the relation seen from each, refused at the field when wrong, within branch scope.</summary>
public sealed class HouseholdTests
{
    [Theory, BothDatabases]
    public async Task ALink_ShowsOnBothFilesAsEachSeesIt_AndBadLinksAreRefusedAtTheField(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var other = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var mother = await app.CreateCustomerAsync(branch.Id, name: "陈丽华");
        var son = await app.CreateCustomerAsync(branch.Id, name: "陈小明");
        var stranger = await app.CreateCustomerAsync(other.Id, name: "林一");

        // The son is the mother's child; on the son's file the mother is his parent.
        var linked = await (await agent.PostJsonAsync($"/api/v1/customers/{mother.Id}/household", new { relatedReference = son.Reference.ToLowerInvariant(), relation = "Child", note = "大学在读" }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        var member = Assert.Single(linked.EnumerateArray());
        Assert.Equal((son.Reference, "Child", "陈*明", "大学在读"), (member.GetProperty("reference").GetString(), member.GetProperty("relation").GetString(),
            member.GetProperty("name").GetString(), member.GetProperty("note").GetString()));
        var fromSon = Assert.Single((await (await agent.GetAsync($"/api/v1/customers/{son.Id}/household")).ShouldBeJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal((mother.Reference, "Parent"), (fromSon.GetProperty("reference").GetString(), fromSon.GetProperty("relation").GetString()));

        // Again in either direction, to oneself, to another branch's customer, without a relation: refused at the field, nothing stored.
        foreach (var (on, body, field) in new (long, object, string)[]
        {
            (son.Id, new { relatedReference = mother.Reference, relation = "Parent" }, "relatedReference"),
            (son.Id, new { relatedReference = son.Reference, relation = "Spouse" }, "relatedReference"),
            (son.Id, new { relatedReference = stranger.Reference, relation = "Spouse" }, "relatedReference"),
            (son.Id, new { relatedReference = mother.Reference }, "relation"),
        })
        {
            var refused = await (await agent.PostJsonAsync($"/api/v1/customers/{on}/household", body)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(refused.GetProperty("errors").TryGetProperty(field, out _), field);
        }

        Assert.Equal(1, (await (await agent.GetAsync($"/api/v1/customers/{son.Id}/household")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetArrayLength());
        var (_, strangerAgent) = await app.SignInAsync(other.Id, StaffRole.Agent);
        await (await strangerAgent.GetAsync($"/api/v1/customers/{son.Id}/household")).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        // Removed from the son's file, it is gone from both.
        var removed = await (await agent.DeleteAsync($"/api/v1/customers/{son.Id}/household/{member.GetProperty("linkId").GetInt64()}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, removed.GetArrayLength());
        Assert.Equal(0, (await (await agent.GetAsync($"/api/v1/customers/{mother.Id}/household")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetArrayLength());
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }
}
