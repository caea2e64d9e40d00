namespace Steward.Features.Customers;

/// <summary>How the customer pages show statuses.</summary>
public static class CustomerDisplay
{
    public static string KycBadge(KycStatus status) => status switch
    {
        KycStatus.Pending => "text-bg-secondary",
        KycStatus.Verified => "text-bg-success",
        KycStatus.Expired => "text-bg-warning",
        KycStatus.Rejected => "text-bg-danger",
    };

    public static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "—";
}
