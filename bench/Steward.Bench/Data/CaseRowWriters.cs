using Npgsql;
using NpgsqlTypes;

namespace Steward.Bench.Data;

/// <summary><c>cases</c> (migration 0002): one row per case of the <see cref="CaseUniverse"/>.</summary>
public sealed class CaseRowWriter(CaseUniverse universe) : IRowWriter
{
    public string Table => "cases";

    public IReadOnlyList<string> Columns { get; } =
    [
        "id", "reference", "kind", "channel", "status", "waiting", "subject", "description", "customer_id", "contact_name",
        "contact_phone_cipher", "contact_phone_index", "contact_email_cipher", "contact_email_index", "branch_id", "product_id",
        "priority", "priority_overridden", "team_id", "assignee_id", "tags", "due_at", "resolved_at", "closed_at", "cancel_reason",
        "merged_into_id", "created_by_id", "version", "created_at", "updated_at",
    ];

    public string? IdentityColumn => "id";

    public bool Vacuum => true;

    public Task PrepareAsync(NpgsqlConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    public void WriteRow(NpgsqlBinaryImporter row, long index, Random random)
    {
        var c = universe.Attributes(index);
        var text = universe.Text(c);
        var messages = universe.Messages(c, out _);
        var version = universe.Events(c, messages).Count;
        row.Write(c.Id, NpgsqlDbType.Bigint);
        row.Write(universe.Reference(index), NpgsqlDbType.Varchar);
        row.Write(c.Kind, NpgsqlDbType.Varchar);
        row.Write(c.Channel, NpgsqlDbType.Varchar);
        row.Write(c.Status, NpgsqlDbType.Varchar);
        row.Write(c.Waiting, NpgsqlDbType.Varchar);
        row.Write(text.Subject, NpgsqlDbType.Varchar);
        row.Write(text.Description, NpgsqlDbType.Varchar);
        Nullable(row, c.CustomerId);
        Nullable(row, c.ContactName);
        Nullable(row, c.PhoneCipher);
        Nullable(row, c.PhoneIndex);
        row.WriteNull();
        row.WriteNull();
        row.Write(c.Branch.Id, NpgsqlDbType.Bigint);
        Nullable(row, c.ProductId);
        row.Write(c.Priority, NpgsqlDbType.Varchar);
        row.Write(false, NpgsqlDbType.Boolean);
        row.Write(c.TeamId, NpgsqlDbType.Bigint);
        Nullable(row, c.Assignee?.Id);
        row.Write(c.Tags, NpgsqlDbType.Varchar);
        Nullable(row, c.DueAt);
        Nullable(row, c.ResolvedAt);
        Nullable(row, c.ClosedAt);
        Nullable(row, c.CancelReason);
        row.WriteNull();
        Nullable(row, c.Creator?.Id);
        row.Write(version, NpgsqlDbType.Integer);
        row.Write(c.CreatedAt, NpgsqlDbType.TimestampTz);
        row.Write(c.UpdatedAt, NpgsqlDbType.TimestampTz);
    }

    internal static void Nullable(NpgsqlBinaryImporter row, long? value)
    {
        if (value is { } v)
        {
            row.Write(v, NpgsqlDbType.Bigint);
        }
        else
        {
            row.WriteNull();
        }
    }

    internal static void Nullable(NpgsqlBinaryImporter row, string? value)
    {
        if (value is null)
        {
            row.WriteNull();
        }
        else
        {
            row.Write(value, NpgsqlDbType.Varchar);
        }
    }

    internal static void Nullable(NpgsqlBinaryImporter row, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            row.Write(v, NpgsqlDbType.TimestampTz);
        }
        else
        {
            row.WriteNull();
        }
    }
}

/// <summary><c>case_events</c>: each case's timeline (created, assigned, lifecycle moves, replies and notes).</summary>
public sealed class CaseEventRowWriter(CaseUniverse universe) : IMultiRowWriter
{
    public string Table => "case_events";

    public IReadOnlyList<string> Columns { get; } = ["id", "case_id", "occurred_at", "actor_id", "actor_name", "type", "action", "from_status", "to_status", "reason", "detail"];

    public string? IdentityColumn => "id";

    public bool Vacuum => true;

    public Task PrepareAsync(NpgsqlConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    public void WriteRow(NpgsqlBinaryImporter row, long index, Random random) => throw new NotSupportedException("Writes several rows per case: WriteRows.");

    public int WriteRows(NpgsqlBinaryImporter importer, long index, Random random)
    {
        var c = universe.Attributes(index);
        var events = universe.Events(c, universe.Messages(c, out _));
        for (var j = 0; j < events.Count; j++)
        {
            var e = events[j];
            importer.StartRow();
            importer.Write(universe.EventIdBase + (index * CaseUniverse.EventStride) + j + 1, NpgsqlDbType.Bigint);
            importer.Write(c.Id, NpgsqlDbType.Bigint);
            importer.Write(e.At, NpgsqlDbType.TimestampTz);
            CaseRowWriter.Nullable(importer, e.ActorId);
            importer.Write(e.ActorName, NpgsqlDbType.Varchar);
            importer.Write(e.Type, NpgsqlDbType.Varchar);
            CaseRowWriter.Nullable(importer, e.Action);
            CaseRowWriter.Nullable(importer, e.From);
            CaseRowWriter.Nullable(importer, e.To);
            CaseRowWriter.Nullable(importer, e.Reason);
            CaseRowWriter.Nullable(importer, e.Detail);
        }

        return events.Count;
    }
}

/// <summary><c>case_messages</c>: replies to the customer and internal notes, Chinese or English like the case.</summary>
public sealed class CaseMessageRowWriter(CaseUniverse universe) : IMultiRowWriter
{
    public string Table => "case_messages";

    public IReadOnlyList<string> Columns { get; } = ["id", "case_id", "visibility", "body", "author_id", "author_name", "created_at"];

    public string? IdentityColumn => "id";

    public bool Vacuum => true;

    public Task PrepareAsync(NpgsqlConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    public void WriteRow(NpgsqlBinaryImporter row, long index, Random random) => throw new NotSupportedException("Writes several rows per case: WriteRows.");

    public int WriteRows(NpgsqlBinaryImporter importer, long index, Random random)
    {
        var c = universe.Attributes(index);
        var messages = universe.Messages(c, out var stream);
        if (messages.Length == 0)
        {
            return 0;
        }

        var bodies = CaseUniverse.Bodies(c, messages, stream);
        var author = c.Assignee ?? c.Branch.Lead;
        for (var j = 0; j < messages.Length; j++)
        {
            importer.StartRow();
            importer.Write(messages[j].Id, NpgsqlDbType.Bigint);
            importer.Write(c.Id, NpgsqlDbType.Bigint);
            importer.Write(messages[j].Visibility, NpgsqlDbType.Varchar);
            importer.Write(bodies[j], NpgsqlDbType.Varchar);
            importer.Write(author.Id, NpgsqlDbType.Bigint);
            importer.Write(author.Name, NpgsqlDbType.Varchar);
            importer.Write(messages[j].At, NpgsqlDbType.TimestampTz);
        }

        return messages.Length;
    }
}

/// <summary>
/// <c>case_search</c>: the token text Steward's <c>CaseSearchIndex.ReindexAsync</c> writes (subject,
/// description, then every message body in id order, through <see cref="SearchTokens"/>); the
/// <c>document</c> tsvector is a generated column, so PostgreSQL computes it exactly as for Steward's rows.
/// </summary>
public sealed class CaseSearchRowWriter(CaseUniverse universe) : IRowWriter
{
    public string Table => "case_search";

    public IReadOnlyList<string> Columns { get; } = ["case_id", "tokens"];

    public string? IdentityColumn => null;

    public bool Vacuum => true;

    public Task PrepareAsync(NpgsqlConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    public void WriteRow(NpgsqlBinaryImporter row, long index, Random random)
    {
        row.Write(universe.CaseIdBase + index + 1, NpgsqlDbType.Bigint);
        row.Write(Tokens(universe, index), NpgsqlDbType.Text);
    }

    /// <summary>The token text of case <paramref name="index"/>.</summary>
    public static string Tokens(CaseUniverse universe, long index)
    {
        var c = universe.Attributes(index);
        var text = universe.Text(c);
        var messages = universe.Messages(c, out var stream);
        var bodies = CaseUniverse.Bodies(c, messages, stream);
        return SearchTokens.Index([text.Subject, text.Description, .. bodies]);
    }

    /// <summary>The texts Steward would index for case <paramref name="index"/>, in order (for the equivalence test).</summary>
    public static string[] Texts(CaseUniverse universe, long index)
    {
        var c = universe.Attributes(index);
        var text = universe.Text(c);
        var messages = universe.Messages(c, out var stream);
        return [text.Subject, text.Description, .. CaseUniverse.Bodies(c, messages, stream)];
    }
}
