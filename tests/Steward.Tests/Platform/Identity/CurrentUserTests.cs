using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Identity;

public sealed class CurrentUserTests
{
    [Theory, BothDatabases]
    public async Task Team_IsReadWithTheRolesOnEveryRequest_SoAMoveAppliesToTheNextOne(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var first = await app.CreateTeamAsync(branch.Id);
        var second = await app.CreateTeamAsync(branch.Id);
        var agent = await app.CreateStaffAsync(branch.Id, first.Id, StaffRole.Agent);
        var loner = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);

        Assert.Equal((true, (long?)first.Id), await app.AsStaffAsync(agent, s => Task.FromResult(s.GetRequiredService<CurrentUser>().Team)));
        Assert.Equal((true, (long?)null), await app.AsStaffAsync(loner, s => Task.FromResult(s.GetRequiredService<CurrentUser>().Team)));

        await app.WithDbAsync(db => db.Set<Staff>().Where(s => s.Id == agent.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.TeamId, second.Id)));

        Assert.Equal((true, (long?)second.Id), await app.AsStaffAsync(agent, s => Task.FromResult(s.GetRequiredService<CurrentUser>().Team)));
    }
}
