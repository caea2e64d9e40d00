using Microsoft.EntityFrameworkCore;
using Steward.Platform.Audit;
using Steward.Platform.Database;

namespace Steward.Features.Sla;

/// <summary>
/// Writes the shipped standards (<see cref="SlaPresets"/>) that are missing, and the settings row, at start-up.
/// A standard that exists (by code) is never touched again: from then on it is data that administrators own.
/// </summary>
public sealed class SlaSeeder(StewardDbContext db, ILogger<SlaSeeder> logger)
{
    public async Task SeedAsync(CancellationToken ct = default)
    {
        using var actor = HttpAuditActorAccessor.Use(new AuditActor(null, "system:sla-presets"));
        var existing = await db.Set<SlaStandard>().AsNoTracking().Select(s => s.Code).ToListAsync(ct);
        var added = 0;
        foreach (var preset in SlaPresets.Create().Where(p => !existing.Contains(p.Code)))
        {
            db.Add(new SlaStandard
            {
                Code = preset.Code,
                Name = preset.Name,
                NameEn = preset.NameEn,
                Kind = preset.Kind,
                Jurisdiction = preset.Jurisdiction,
                Versions =
                [
                    new SlaStandardVersion
                    {
                        Number = 1,
                        EffectiveFrom = preset.EffectiveFrom,
                        Citation = preset.Citation,
                        RulesZh = preset.RulesZh,
                        RulesEn = preset.RulesEn,
                        ChangeNote = StandardService.ShippedNote,
                        CreatedBy = "system:sla-presets",
                        Rules = [.. preset.Rules],
                    },
                ],
            });
            added++;
        }

        if (!await db.Set<SlaSettings>().AnyAsync(ct))
        {
            db.Add(new SlaSettings());
        }

        try
        {
            await db.SaveChangesAsync(ct);
            if (added > 0)
            {
                logger.LogInformation("Seeded {Count} SLA standards", added);
            }
        }
        catch (DbUpdateException e)
        {
            // Another node seeded at the same moment: its rows stand. Anything else is a real failure.
            db.ChangeTracker.Clear();
            var now = await db.Set<SlaStandard>().AsNoTracking().Select(s => s.Code).ToListAsync(ct);
            if (SlaPresets.Create().Any(p => !now.Contains(p.Code)))
            {
                throw;
            }

            logger.LogInformation(e, "SLA standards were seeded concurrently by another node");
        }
    }
}
