using Steward.Platform.Hosting;
using Steward.Platform.Identity;

namespace Steward.Features.Audit;

public static class AuditPagesSetup
{
    /// <summary>The audit log's pages (<c>/Audit</c>) need <see cref="Permission.AuditRead"/>; the chain itself is Platform/Audit.</summary>
    public static IServiceCollection AddAuditPages(this IServiceCollection services) =>
        services.AddScoped<RevealReview>().AddPageConventions(c => c.AuthorizeFolder("/Audit", IdentitySetup.Policy(Permission.AuditRead)));
}
