using Steward.Platform.Security;
using Steward.Platform.Background;
using Steward.Platform.Hosting;
using Steward.Platform.Identity;

namespace Steward.Features.Customers;

public static class CustomersSetup
{
    /// <summary>
    /// The customer file and KYC: the directory cases use, the file service, the KYC expiry job. Pages under <c>/Customers</c>
    /// need <see cref="Permission.CustomersRead"/>; editing checks <see cref="Permission.CustomersManage"/>, KYC <see cref="Permission.KycVerify"/>.
    /// </summary>
    public static IServiceCollection AddCustomers(this IServiceCollection services)
    {
        services.AddScoped<CustomerFileService>();
        services.AddScoped<Household.HouseholdService>();
        services.AddScoped<Documents.IdentityDocumentService>();
        services.AddPersonalDataColumns<Customer>(
            c => c.IdNumberCipher, c => c.PhoneCipher, c => c.EmailCipher, c => c.AddressCipher, c => c.LegalRepresentativeIdCipher, c => c.BeneficialOwnersCipher);
        services.AddPersonalDataColumns<Documents.CustomerIdentityDocument>(d => d.NumberCipher);
        services.AddPersonalDataColumns<Documents.CustomerDocumentScan>(s => s.KeyCipher);
        services.AddOptions<KycOptions>().BindConfiguration(KycOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScopedPeriodicJob<KycExpiry, KycOptions>(KycExpiry.JobName, o => TimeSpan.FromMinutes(o.IntervalMinutes), (work, ct) => work.RunAsync(ct));
        return services.AddPageConventions(c => c.AuthorizeFolder("/Customers", IdentitySetup.Policy(Permission.CustomersRead)));
    }
}
