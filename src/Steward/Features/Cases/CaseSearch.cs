using System.Text;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;

namespace Steward.Features.Cases;

/// <summary>
/// Turns text into search tokens, the same way for the index and for queries, on both databases.
/// Chinese (and Japanese, Korean) has no spaces between words: a run of CJK characters becomes its
/// overlapping two-character pieces (投诉处理 → 投诉 诉处 处理) and, in the index only, its single
/// characters so that a one-character query finds it. Everything else is split into words of
/// letters and digits, lower-cased. Text is NFKC-normalised first, so full-width ＡＢＣ１ is abc1.
/// </summary>
public static class CaseSearchText
{
    public const int MaxQueryTokens = 32;

    /// <summary>Distinct index tokens, space-separated.</summary>
    public static string IndexTokens(params string?[] texts)
    {
        var tokens = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            Tokenize(text, forIndex: true, t =>
            {
                if (seen.Add(t))
                {
                    tokens.Add(t);
                }
            });
        }

        return string.Join(' ', tokens);
    }

    /// <summary>Tokens a query must all match (AND); empty when the query has no letters, digits or CJK.</summary>
    public static IReadOnlyList<string> QueryTokens(string? query)
    {
        var tokens = new List<string>();
        Tokenize(query, forIndex: false, t =>
        {
            if (!tokens.Contains(t) && tokens.Count < MaxQueryTokens)
            {
                tokens.Add(t);
            }
        });
        return tokens;
    }

    public static bool IsCjk(Rune r) => r.Value is
        (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF)
        or (>= 0x3040 and <= 0x30FF) or (>= 0xAC00 and <= 0xD7AF) or (>= 0x20000 and <= 0x3134F);

    private static void Tokenize(string? text, bool forIndex, Action<string> emit)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        var word = new StringBuilder();
        var cjk = new List<string>();
        foreach (var rune in text.Normalize(NormalizationForm.FormKC).EnumerateRunes())
        {
            if (IsCjk(rune))
            {
                Flush(word, emit);
                cjk.Add(rune.ToString());
            }
            else if (Rune.IsLetterOrDigit(rune))
            {
                FlushCjk(cjk, forIndex, emit);
                word.Append(Rune.ToLowerInvariant(rune).ToString());
            }
            else
            {
                Flush(word, emit);
                FlushCjk(cjk, forIndex, emit);
            }
        }

        Flush(word, emit);
        FlushCjk(cjk, forIndex, emit);
    }

    private static void Flush(StringBuilder word, Action<string> emit)
    {
        if (word.Length > 0)
        {
            // Very long "words" (hashes, base64) are cut; nobody searches for them in full.
            emit(word.Length > 60 ? word.ToString(0, 60) : word.ToString());
            word.Clear();
        }
    }

    private static void FlushCjk(List<string> run, bool forIndex, Action<string> emit)
    {
        if (run.Count == 0)
        {
            return;
        }

        if (run.Count == 1 || forIndex)
        {
            foreach (var c in run)
            {
                emit(c);
            }
        }

        for (var i = 0; i + 1 < run.Count; i++)
        {
            emit(run[i] + run[i + 1]);
        }

        run.Clear();
    }
}

/// <summary>
/// The full-text index of cases: subject, description, replies and notes. SQLite keeps it in an
/// FTS5 table (rowid = case id), PostgreSQL in a <c>tsvector</c> ('simple' configuration) with a GIN
/// index; both over the tokens of <see cref="CaseSearchText"/>. The tables are not in the EF model:
/// this class reads and writes them. Call <see cref="ReindexAsync"/> inside the transaction that
/// changed the case or its messages, after it was saved, so that index and data commit together.
/// </summary>
public sealed class CaseSearchIndex(StewardDbContext db)
{
    public async Task ReindexAsync(long caseId, CancellationToken ct)
    {
        var head = await db.Set<Case>().Where(c => c.Id == caseId).Select(c => new { c.Subject, c.Description }).SingleAsync(ct);
        var bodies = await db.Set<CaseMessage>().Where(m => m.CaseId == caseId).OrderBy(m => m.Id).Select(m => m.Body).ToListAsync(ct);
        await IndexAsync(caseId, CaseSearchText.IndexTokens([head.Subject, head.Description, .. bodies]), ct);
    }

    /// <summary>Indexes a case whose texts the caller holds (e.g. a new case: subject and description, no messages yet), without reading it back.</summary>
    public Task ReindexAsync(long caseId, string subject, string description, IEnumerable<string> bodies, CancellationToken ct) =>
        IndexAsync(caseId, CaseSearchText.IndexTokens([subject, description, .. bodies]), ct);

    private async Task IndexAsync(long caseId, string tokens, CancellationToken ct)
    {
        if (db.IsPostgres)
        {
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO case_search (case_id, tokens) VALUES ({caseId}, {tokens}) ON CONFLICT (case_id) DO UPDATE SET tokens = excluded.tokens", ct);
        }
        else
        {
            await db.Database.ExecuteSqlAsync($"DELETE FROM case_search WHERE rowid = {caseId}", ct);
            await db.Database.ExecuteSqlAsync($"INSERT INTO case_search (rowid, tokens) VALUES ({caseId}, {tokens})", ct);
        }
    }

    /// <summary>
    /// Ids of cases matching every token of <paramref name="query"/>, as a query to compose; null when the query has no
    /// tokens. With <paramref name="ids"/> only case ids in (Above, AtMost]: both databases then read only that range of
    /// the full-text rows (PostgreSQL does not carry a range on <c>cases.id</c> over to <c>case_search.case_id</c> by itself).
    /// </summary>
    public IQueryable<long>? Matching(string? query, (long Above, long AtMost)? ids = null)
    {
        var tokens = CaseSearchText.QueryTokens(query);
        if (tokens.Count == 0)
        {
            return null;
        }

        if (db.IsPostgres)
        {
            var text = string.Join(' ', tokens);
            return ids is var (from, to)
                ? db.Database.SqlQuery<long>($"SELECT case_id AS \"Value\" FROM case_search WHERE document @@ plainto_tsquery('simple', {text}) AND case_id > {from} AND case_id <= {to}")
                : db.Database.SqlQuery<long>($"SELECT case_id AS \"Value\" FROM case_search WHERE document @@ plainto_tsquery('simple', {text})");
        }

        // Tokens are letters and digits only, so quoting them makes a safe FTS5 phrase each (ANDed).
        var match = string.Join(' ', tokens.Select(t => "\"" + t + "\""));
        return ids is var (above, atMost)
            ? db.Database.SqlQuery<long>($"SELECT rowid AS \"Value\" FROM case_search WHERE case_search MATCH {match} AND rowid > {above} AND rowid <= {atMost}")
            : db.Database.SqlQuery<long>($"SELECT rowid AS \"Value\" FROM case_search WHERE case_search MATCH {match}");
    }
}
