using Steward.Platform.Hosting;
using Steward.Platform.Identity;

namespace Steward.Features.Complaints;

public static class ComplaintsSetup
{
    /// <summary>Complaint records on cases: intake, classification, regulatory deadlines, recusal. Pages under <c>/Complaints</c> need <see cref="Permission.ComplaintsHandle"/>.</summary>
    public static IServiceCollection AddComplaints(this IServiceCollection services)
    {
        services.AddScoped<ComplaintTaxonomies>();
        services.AddScoped<ComplaintTaxonomyVersions>();
        services.AddScoped<ComplaintDeadlines>();
        services.AddScoped<ComplaintService>();
        services.AddScoped<ComplaintListFilters>();
        services.AddScoped<ComplaintDashboard>();
        services.AddScoped<ComplaintRecusal>();
        services.AddScoped<Cases.ICaseAssigneeVeto, ComplaintAssigneeVeto>();
        services.AddScoped<ComplaintRedress>();
        services.AddScoped<ComplaintLetterTemplates>();
        services.AddScoped<ComplaintLetters>();
        services.AddScoped<ComplaintLetterPdf>();
        services.AddOptions<ComplaintPdfOptions>().BindConfiguration(ComplaintPdfOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ComplaintRecurrences>();
        services.AddScoped<ComplaintActions>();
        services.AddScoped<ComplaintProcess>();
        services.AddScoped<ComplaintFormOptions>();
        services.AddScoped<Returns.ComplaintReturns>();
        services.AddScoped<Returns.ComplaintReturnTables>();
        services.AddOptions<ComplaintOptions>().BindConfiguration(ComplaintOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services.AddPageConventions(c => c.AuthorizeFolder("/Complaints", IdentitySetup.Policy(Permission.ComplaintsHandle)));
    }
}
