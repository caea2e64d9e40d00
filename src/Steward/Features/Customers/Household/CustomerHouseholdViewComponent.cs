using Microsoft.AspNetCore.Mvc;
using Steward.Platform.Identity;

namespace Steward.Features.Customers.Household;

public sealed record CustomerHouseholdView(long CustomerId, IReadOnlyList<HouseholdMemberDto> Members, bool CanManage);

/// <summary>The customer page's household section, with the form to link a relative for those who may change the file.</summary>
public sealed class CustomerHouseholdViewComponent(HouseholdService household, CurrentUser user) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long customerId)
    {
        var members = await household.MembersAsync(customerId, HttpContext.RequestAborted);
        return View("/Features/Customers/Household/_CustomerHousehold.cshtml",
            new CustomerHouseholdView(customerId, members.Succeeded ? members.Value : [], user.Can(Permission.CustomersManage)));
    }
}
