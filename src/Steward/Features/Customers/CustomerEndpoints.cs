using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Features.Customers.Household;
using Steward.Features.Customers.Documents;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Customers;

public static class CustomerEndpoints
{
    public static void MapCustomerEndpoints(this IEndpointRouteBuilder api)
    {
        var customers = api.MapGroup("/customers").WithTags("Customers").RequireAuthorization(IdentitySetup.Policy(Permission.CustomersRead));

        customers.MapGet("/", async ([AsParameters] CustomerListQuery q, CustomerFileService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(q, ct)))
            .WithSummary("Customers in the caller's branches, 50 a page: q = customer number, part of the name, or exactly the phone or identity number; kyc = a KYC status.");
        customers.MapGet("/{id:long}", async Task<Results<Ok<CustomerDto>, ProblemHttpResult>> (long id, CustomerFileService service, CancellationToken ct) =>
                (await service.GetAsync(id, ct)).ToOk())
            .WithSummary("One customer file with KYC and vulnerability flags; personal data masked (reveal with POST …/reveal). Another branch's customer is 404.");
        customers.MapPost("/", (CustomerSaveRequest r, HttpContext http, CurrentUser user, Idempotency idempotency, CustomerFileService service, CancellationToken ct) =>
                idempotency.CreateAsync(http, Idempotency.CallerOf(user), r, c => service.CreateAsync(r, c), d => $"/api/v1/customers/{d.Id}", ct))
            .RequireAuthorization(IdentitySetup.Policy(Permission.CustomersManage))
            .Produces<CustomerDto>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(403).ProducesProblem(409).ProducesProblem(422)
            .WithSummary("Opens a customer file (KYC pending). Field errors name the field: identity number checksum, impossible birth date, duplicate identity number. Send an Idempotency-Key header to make retries safe.");
        customers.MapPut("/{id:long}", async Task<Results<Ok<CustomerDto>, ProblemHttpResult>> (long id, CustomerSaveRequest r, CustomerFileService service, CancellationToken ct) =>
                (await service.UpdateAsync(id, r, ct)).ToOk())
            .RequireAuthorization(IdentitySetup.Policy(Permission.CustomersManage))
            .WithSummary("Changes a customer file; personal data fields left null keep the stored value; version = the version read (stale → 409).");
        customers.MapPost("/{id:long}/kyc/verify", async Task<Results<Ok<CustomerDto>, ProblemHttpResult>> (long id, KycVerifyRequest r, CustomerFileService service, CancellationToken ct) =>
                (await service.VerifyKycAsync(id, r, ct)).ToOk())
            .RequireAuthorization(IdentitySetup.Policy(Permission.KycVerify))
            .WithSummary("Records the identity as verified by the caller today; the next review falls due after the cycle of the risk rating. Refused while the document has expired; stale version → 409.");
        customers.MapPost("/{id:long}/kyc/reject", async Task<Results<Ok<CustomerDto>, ProblemHttpResult>> (long id, KycRejectRequest r, CustomerFileService service, CancellationToken ct) =>
                (await service.RejectKycAsync(id, r, ct)).ToOk())
            .RequireAuthorization(IdentitySetup.Policy(Permission.KycVerify))
            .WithSummary("Records that the identity could not be verified, with the reason; stale version → 409.");
        customers.MapPost("/{id:long}/reveal", async Task<Results<Ok<CustomerRevealed>, ProblemHttpResult>> (long id, CustomerRevealRequest r, CustomerFileService service, CancellationToken ct) =>
                (await service.RevealAsync(id, r.Purpose, "API", ct)).ToOk())
            .WithSummary("The customer's personal data in full (PersonalDataReveal) for the stated purpose; every call is recorded in personal_data_access and the audit log.");
        api.MapHouseholdEndpoints();
        api.MapIdentityDocumentEndpoints();
    }
}
