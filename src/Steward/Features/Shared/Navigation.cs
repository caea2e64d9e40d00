using Steward.Platform.Identity;

namespace Steward.Features.Shared;

/// <summary>A top-level menu entry, shown only to people whose roles grant its permission.</summary>
/// <remarks><see cref="InMenuOf"/>: those who hold that permission find the entry in that permission's menu instead (an
/// administrator's queue set-up is under Administration), so that the top bar stays one row at 1366 px.</remarks>
public sealed record NavItem(string Key, string Href, Permission Permission, Permission? OrPermission = null, Permission? InMenuOf = null)
{
    public bool ShownTo(CurrentUser user) =>
        (user.Can(Permission) || (OrPermission is { } other && user.Can(other))) && !(InMenuOf is { } menu && user.Can(menu));
}

/// <summary>Features add their menu entries here, in the order they appear.</summary>
public static class Navigation
{
    public static readonly IReadOnlyList<NavItem> Items =
    [
        new NavItem("nav.cases", "/Cases", Permission.CasesWork),
        new NavItem("nav.customers", "/Customers", Permission.CustomersRead),
        new NavItem("nav.products", "/Products", Permission.ProductsRead),
        new NavItem("nav.suitability", "/Suitability", Permission.SuitabilityReview, Permission.SuitabilityRulesManage),
        new NavItem("nav.holdingsImport", "/Holdings/Import", Permission.HoldingsImport),
        new NavItem("nav.queueCounter", "/Queues/Counter", Permission.QueueServe),
        new NavItem("nav.queueSetup", "/Queues", Permission.QueueManage, InMenuOf: Permission.OrganisationManage),
        new NavItem("nav.complaints", "/Complaints", Permission.ComplaintsHandle),
    ];
}
