using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Routing;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Routing;

public sealed class DutyTests
{
    [Theory, BothDatabases]
    public async Task GoingOnDuty_FromSeveralWindowsAtOnce_AnswersEveryOne_AndKeepsOneRow(DatabaseProvider provider)
    {
        // The first time a person goes on duty their duty row is created; eight windows doing it at the same moment
        // all race to create it. Every one must be answered (not a 500), and the person has one row, on duty.
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var team = await app.CreateTeamAsync(branch.Id);
        var agent = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var clients = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.ApiClientAsync(agent.Username)));

        var answers = await Task.WhenAll(clients.Select(c => c.PutJsonAsync("/api/v1/cases/duty", new { onDuty = true })));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var rows = await app.WithDbAsync(db => db.Set<StaffDuty>().Where(d => d.StaffId == agent.Id).ToListAsync());
        Assert.True(Assert.Single(rows).OnDuty);
    }
}
