using System.Net;
using Steward.Features.Organisation;
using Steward.Features.Qualifications;
using Steward.Features.Queues;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Queues;

/// <summary>A branch with a queue: service types and counters built directly, people acting through the API.</summary>
public sealed class QueueWorld(StewardApp app, Branch branch)
{
    public StewardApp App => app;

    public Branch Branch => branch;

    public string Base => $"/api/v1/branches/{branch.Id}/queue";

    public static async Task<QueueWorld> StartAsync(DatabaseProvider provider, IDictionary<string, string?>? settings = null)
    {
        var app = await StewardApp.StartAsync(provider, settings);
        return new QueueWorld(app, await app.CreateBranchAsync());
    }

    public Task<QueueServiceType> AddServiceTypeAsync(string prefix, long? requiredQualificationTypeId = null) => app.WithDbAsync(async db =>
    {
        var type = new QueueServiceType { BranchId = branch.Id, Name = "业务" + prefix, NameEn = "Service " + prefix, Prefix = prefix, RequiredQualificationTypeId = requiredQualificationTypeId };
        db.Add(type);
        await db.SaveChangesAsync();
        return type;
    });

    public Task<QueueCounter> AddCounterAsync(int number, bool priority = false, params long[] typeIds) => app.WithDbAsync(async db =>
    {
        var counter = new QueueCounter
        {
            BranchId = branch.Id, Number = number, Name = $"{number}号窗口", NameEn = $"Counter {number}", ServiceTypeIds = string.Join(',', typeIds), IsPriorityCounter = priority,
        };
        db.Add(counter);
        await db.SaveChangesAsync();
        return counter;
    });

    /// <summary>A new agent of the branch, signed in to the API and to <paramref name="counterId"/>.</summary>
    public async Task<(Staff Staff, HttpClient Client)> StaffAtCounterAsync(long counterId)
    {
        var (staff, client) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        await (await client.PostAsync($"{Base}/counters/{counterId}/sign-in", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        return (staff, client);
    }

    public Task<long> QualificationTypeIdAsync(string code) =>
        app.WithDbAsync(db => Task.FromResult(db.Set<QualificationType>().Single(t => t.Code == code).Id));

    public Task GrantAsync(long staffId, long qualificationTypeId) => app.WithDbAsync(async db =>
    {
        db.Add(new StaffQualification { StaffId = staffId, QualificationTypeId = qualificationTypeId, CertificateNumber = app.Unique("CERT"), IssuedOn = new DateOnly(2025, 1, 1) });
        await db.SaveChangesAsync();
    });

    public async Task<TicketDto> IssueAsync(long typeId, string? phone = null, HttpClient? client = null) =>
        await (await (client ?? app.AnonymousClient()).PostJsonAsync($"{Base}/tickets", new { serviceTypeId = typeId, phone })).ShouldBeAsync<TicketDto>(HttpStatusCode.Created);

    /// <summary>Calls next; null when nobody waits (204).</summary>
    public async Task<TicketDto?> CallAsync(HttpClient client, long? serviceTypeId = null)
    {
        var response = await client.PostJsonAsync($"{Base}/calls", new { serviceTypeId });
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        return await response.ShouldBeAsync<TicketDto>(HttpStatusCode.OK);
    }

    public async Task<TicketDto> ActAsync(HttpClient client, long ticketId, string action, object? body = null) =>
        await (await client.PostJsonAsync($"{Base}/tickets/{ticketId}/{action}", body ?? new { })).ShouldBeAsync<TicketDto>(HttpStatusCode.OK);
}
