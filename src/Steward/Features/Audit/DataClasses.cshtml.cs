using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Retention;

namespace Steward.Features.Audit;

/// <summary>The data classification (decision 0052): every table and column with its class and disposal, for compliance and administrators.</summary>
public sealed class DataClassesModel(DataClassification classification) : PageModel
{
    /// <summary>Only tables holding a column of this class or higher; all when not given.</summary>
    [BindProperty(SupportsGet = true)]
    public DataClass? Class { get; set; }

    public IReadOnlyList<TableClassDto> Tables { get; private set; } = [];

    public int Columns { get; private set; }

    public void OnGet()
    {
        var all = classification.Tables();
        Columns = all.Sum(t => t.Columns.Count);
        Tables = Class is { } c ? [.. all.Where(t => t.HighestClass <= c)] : all;
    }

    public static string Badge(DataClass c) => c switch
    {
        DataClass.Core => "text-bg-danger",
        DataClass.Important => "text-bg-warning",
        DataClass.GeneralSensitive => "text-bg-info",
        DataClass.General => "text-bg-light border",
    };
}
