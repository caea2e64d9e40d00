using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;

namespace Steward.Features.Complaints;

/// <summary>The codes a complaint is given, all from one taxonomy version.</summary>
public sealed record ComplaintCodes(string Nature, string JrtChannel, string JrtBusiness, string JrtCause, string? FcaProductGroup);

/// <summary>
/// The classification in force (the highest version number) and the check of a complaint's codes against it: a code
/// not in its set is refused at its field, naming the set and the version, so that a client learns which field is wrong.
/// </summary>
public sealed class ComplaintTaxonomies(StewardDbContext db)
{
    public async Task<ComplaintTaxonomy> CurrentAsync(CancellationToken ct) =>
        await db.Set<ComplaintTaxonomy>().AsNoTracking().Include(t => t.Codes).OrderByDescending(t => t.Number).FirstOrDefaultAsync(ct)
            ?? throw new InvalidOperationException("No complaint taxonomy: migration 0023 seeds version 1.");

    /// <summary>
    /// The codes normalised (trimmed, upper case), or errors at <c>nature</c>, <c>jrtChannel</c>, <c>jrtBusiness</c>,
    /// <c>jrtCause</c>, <c>fcaProductGroup</c>. The FCA product group is required under the FCA regime (the DISP return counts by it).
    /// </summary>
    public ComplaintCodes Check(
        ComplaintTaxonomy taxonomy, Dictionary<string, string[]> errors, string? nature, string? jrtChannel, string? jrtBusiness, string? jrtCause, string? fcaProductGroup,
        bool fcaRequired)
    {
        string? One(string field, ComplaintCodeSet set, string? value, bool required)
        {
            var code = value?.Trim().ToUpperInvariant();
            if (string.IsNullOrEmpty(code))
            {
                if (required)
                {
                    errors[field] = [FormattableString.Invariant($"Choose a code of {SetName(set, en: true)}. 请选择{SetName(set, en: false)}代码。")];
                }

                return null;
            }

            if (!taxonomy.Codes.Any(c => c.CodeSet == set && c.Code == code))
            {
                var shown = code.Length > 20 ? code[..20] + "…" : code;
                errors[field] = [FormattableString.Invariant(
                    $"Unknown code \"{shown}\" in {SetName(set, en: true)} (classification version {taxonomy.Number}). 代码“{shown}”不在{SetName(set, en: false)}中（分类第 {taxonomy.Number} 版）。")];
                return null;
            }

            if (taxonomy.Codes.Any(c => c.CodeSet == set && c.Code == code && c.Retired))
            {
                errors[field] = [FormattableString.Invariant(
                    $"Code \"{code}\" of {SetName(set, en: true)} is retired (classification version {taxonomy.Number}); choose another. 代码“{code}”已在{SetName(set, en: false)}中停用（分类第 {taxonomy.Number} 版），请选择其他代码。")];
                return null;
            }

            return code;
        }

        var n = One("nature", ComplaintCodeSet.Nature, nature, required: true);
        var a = One("jrtChannel", ComplaintCodeSet.JrtChannel, jrtChannel, required: true);
        var b = One("jrtBusiness", ComplaintCodeSet.JrtBusiness, jrtBusiness, required: true);
        var c = One("jrtCause", ComplaintCodeSet.JrtCause, jrtCause, required: true);
        var f = One("fcaProductGroup", ComplaintCodeSet.FcaProductGroup, fcaProductGroup, required: fcaRequired);
        return new ComplaintCodes(n ?? "", a ?? "", b ?? "", c ?? "", f);
    }

    internal static string SetName(ComplaintCodeSet set, bool en) => set switch
    {
        ComplaintCodeSet.Nature => en ? "the nature (product / service / process / policy)" : "投诉性质",
        ComplaintCodeSet.JrtChannel => en ? "JR/T 0169 A (channel)" : "JR/T 0169 A 类（渠道）",
        ComplaintCodeSet.JrtBusiness => en ? "JR/T 0169 B (business type)" : "JR/T 0169 B 类（业务类别）",
        ComplaintCodeSet.JrtCause => en ? "JR/T 0169 C (cause)" : "JR/T 0169 C 类（原因）",
        ComplaintCodeSet.FcaProductGroup => en ? "the FCA DISP product group" : "FCA DISP 产品组",
    };
}
