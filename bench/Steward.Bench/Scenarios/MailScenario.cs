using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using Steward.Bench.Environment;

namespace Steward.Bench.Scenarios;

/// <summary>
/// Inbound mail to case (issue 17): a throwaway dovecot (the tests' <see cref="TestMailServers"/>) with a mailbox of N messages,
/// a Steward mailbox pointed at it by the API, and the server's poller (every second in the bench) turning them into cases;
/// measured from the first mail recorded to the last, in the database's own record times.
/// </summary>
public sealed class MailScenario : Scenario
{
    public override string Name => "mail";

    public override string Description => "Fill a throwaway dovecot mailbox with N plain-text mails from distinct senders, add it as an enabled Steward mailbox "
        + "(as admin) and time the poller making a case of each (one transaction per mail, its record under the unique UID index). Quick: 500; full: 10,000.";

    public override IReadOnlyList<string> RequiredOperations => ["POST /api/v1/mailboxes"];

    public override bool RequiresPostgres => true;

    public override async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var count = context.Options.Quick ? 500 : 10_000;
        var servers = await TestMailServers.GetAsync();
        var user = servers.CreateUser("bench");
        var run = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < count; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            servers.Drop(user, Encoding.UTF8.GetBytes(
                $"From: Bench Customer {n} <bench{n}.{run}@example.org>\r\nTo: {TestMailServers.Address(user)}\r\nSubject: =?UTF-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes("理财咨询 " + n))}?=\r\n"
                + $"Message-ID: <bench-{run}-{n}@example.org>\r\nDate: Mon, 07 Dec 2026 10:00:00 +0800\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + $"您好，请问第 {n} 号理财产品的赎回规则是什么？\r\n"));
        }

        var admin = await context.TokenAsync("admin", cancellationToken);
        var branches = await GetAsync(context, "api/v1/branches", admin, cancellationToken);
        var branchId = branches.EnumerateArray().First().GetProperty("id").GetInt64();
        using var create = new HttpRequestMessage(HttpMethod.Post, "api/v1/mailboxes")
        {
            Content = JsonContent.Create(new
            {
                address = $"bench-{run}@mail.test", displayName = "Bench", branchId, imapHost = "127.0.0.1", imapPort = servers.ImapPort, imapSecurity = "None", imapUser = user,
                imapPassword = TestMailServers.Password, folder = "INBOX", smtpHost = "127.0.0.1", smtpPort = servers.SmtpPort, smtpSecurity = "None", smtpUser = "", enabled = true,
            }),
        };
        create.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", admin);
        var clock = Stopwatch.StartNew();
        using var created = await context.Http.SendAsync(create, cancellationToken);
        if (created.StatusCode != HttpStatusCode.Created)
        {
            result.Fail($"adding the mailbox answered {(int)created.StatusCode} {await created.Content.ReadAsStringAsync(cancellationToken)}");
            return;
        }

        var mailboxId = JsonDocument.Parse(await created.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("id").GetInt64();
        var postgres = context.Postgres!;
        long recorded = 0;
        var deadline = TimeSpan.FromMinutes(context.Options.Quick ? 3 : 15);
        while (clock.Elapsed < deadline)
        {
            await using var command = postgres.CreateCommand("SELECT count(*) FROM mail_inbound WHERE mailbox_id = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = mailboxId });
            recorded = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            if (recorded >= count)
            {
                break;
            }

            await Task.Delay(250, cancellationToken);
        }

        var wall = clock.Elapsed;
        await using (var stats = postgres.CreateCommand(
            "SELECT count(*) FILTER (WHERE outcome = 'CaseCreated'), min(received_at), max(received_at) FROM mail_inbound WHERE mailbox_id = $1"))
        {
            stats.Parameters.Add(new NpgsqlParameter { Value = mailboxId });
            await using var reader = await stats.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var cases = reader.GetInt64(0);
            var span = reader.IsDBNull(1) ? 0 : (reader.GetFieldValue<DateTimeOffset>(2) - reader.GetFieldValue<DateTimeOffset>(1)).TotalSeconds;
            var rate = span > 0 ? (cases - 1) / span : 0;
            result.Figures.Add(("mails in the mailbox", count.ToString("N0", CultureInfo.InvariantCulture)));
            result.Figures.Add(("cases made", cases.ToString("N0", CultureInfo.InvariantCulture)));
            result.Figures.Add(("first to last case", $"{span:0.0} s"));
            result.Figures.Add(("mails per second", rate.ToString("0", CultureInfo.InvariantCulture)));
            result.Figures.Add(("from adding the mailbox to the last case (wall)", $"{wall.TotalSeconds:0.0} s"));
            result.Targets.Add(new TargetCheck(Name, "inbound mail to case ≥ 50 mails/s", $"{rate:0}/s", rate >= 50));
            if (cases != count)
            {
                result.Fail($"{cases} cases of {count} mails within {deadline.TotalMinutes:0} minutes");
            }
        }

        await using (var disable = postgres.CreateCommand("UPDATE mailboxes SET enabled = false WHERE id = $1"))
        {
            disable.Parameters.Add(new NpgsqlParameter { Value = mailboxId });
            await disable.ExecuteNonQueryAsync(cancellationToken);
        }

        result.Notes.Add("Each mail is its own transaction: the record under the unique (mailbox, UIDVALIDITY, UID) index, the case with its reference, "
            + "routing, first event, search row and audit entry, and the acknowledgment in the outbox. The poller reads one mailbox at a time on one node.");
    }

    private static async Task<JsonElement> GetAsync(BenchContext context, string url, string token, CancellationToken ct)
    {
        using var request = BenchContext.Get(url, token);
        using var response = await context.Http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.Clone();
    }
}
