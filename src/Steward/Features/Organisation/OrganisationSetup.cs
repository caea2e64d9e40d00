using Steward.Platform.Hosting;
using Steward.Platform.Identity;

namespace Steward.Features.Organisation;

public static class OrganisationSetup
{
    /// <summary>Institution, branches, teams and staff; their admin pages (<c>/Admin</c>) need <see cref="Permission.OrganisationManage"/>.</summary>
    public static IServiceCollection AddOrganisation(this IServiceCollection services)
    {
        services.AddScoped<OrganisationService>();
        return services.AddPageConventions(c => c.AuthorizeFolder("/Organisation/Admin", IdentitySetup.Policy(Permission.OrganisationManage)));
    }
}
