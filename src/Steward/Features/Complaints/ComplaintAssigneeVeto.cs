using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>
/// Recusal (回避, 《银行业保险业消费投诉处理管理办法》) on the case's own assignment and pick as well as on the complaint's:
/// the staff member complained about, their line manager and the product's seller cannot hold the complaint's case unless
/// compliance overrode it for them.
/// </summary>
public sealed class ComplaintAssigneeVeto(StewardDbContext db) : ICaseAssigneeVeto
{
    public async Task<Error?> RefuseAsync(long caseId, long staffId, CancellationToken ct)
    {
        var complaint = await db.Set<Complaint>().AsNoTracking().SingleOrDefaultAsync(c => c.CaseId == caseId, ct);
        if (complaint is null)
        {
            return null;
        }

        return (await ComplaintRecusal.RecusedAsync(db, complaint, ct)).FirstOrDefault(x => x.StaffId == staffId && !x.Overridden) is { } recused
            ? new RecusalRequired(recused.Ground)
            : null;
    }
}
