using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>Where Chromium is and how long a letter's print may take (section <c>Complaints:Pdf</c>).</summary>
public sealed class ComplaintPdfOptions
{
    public const string Section = "Complaints:Pdf";

    /// <summary>The Chromium (or Chrome) executable, started headless with <c>--print-to-pdf</c>.</summary>
    [Required]
    public string ChromiumPath { get; set; } = "/usr/bin/chromium";

    /// <summary>After this, the browser is stopped and the request fails (a surprise: 500).</summary>
    [Range(5, 600)]
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>At most this many prints at once on a node (each is a browser process).</summary>
    [Range(1, 16)]
    public int Concurrency { get; set; } = 2;
}

/// <summary>A letter printed to PDF, with the file name it is offered under.</summary>
public sealed record ComplaintLetterFile(byte[] Content, string FileName);

/// <summary>
/// A stored letter as PDF, printed server-side by headless Chromium from the same markup as the Letter page (the stored body in
/// its article, the page's print style), as an HTML file in a private temporary folder (no network, no session: the browser
/// reads nothing but that file). The letter is never re-rendered: the PDF shows the body as issued. Reading it needs what reading
/// the letter needs (<see cref="ComplaintLetters.GetAsync"/>: the case's scope).
/// </summary>
public sealed class ComplaintLetterPdf(ComplaintLetters letters, ComplaintService complaints, IOptions<ComplaintPdfOptions> options, ILogger<ComplaintLetterPdf> log)
{
    private static SemaphoreSlim? gate;

    public async Task<Outcome<ComplaintLetterFile>> PrintAsync(long id, long letterId, CancellationToken ct = default)
    {
        var letter = await letters.GetAsync(id, letterId, ct);
        if (letter.Error is { } notFound)
        {
            return notFound;
        }

        var complaint = await complaints.GetAsync(id, ct);
        if (complaint.Error is { } gone)
        {
            return gone;
        }

        var l = letter.Value!;
        var reference = complaint.Value!.CaseReference;
        var name = FormattableString.Invariant($"{reference}-{l.Kind}-{l.Language}-{l.Number}.pdf");
        return new ComplaintLetterFile(await PrintHtmlAsync(Document(l, reference), ct), name);
    }

    /// <summary>The Letter page's article alone, with a print style; the title (the PDF's) names the case reference.</summary>
    internal static string Document(ComplaintLetterDto l, string reference) => $$"""
        <!doctype html>
        <html lang="{{l.Language}}"><head><meta charset="utf-8"><title>{{WebUtility.HtmlEncode(reference)}} · {{WebUtility.HtmlEncode(l.Template)}}</title>
        <style>
        @page { size: A4; margin: 20mm 18mm; }
        body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "Songti SC", serif; font-size: 11pt; line-height: 1.6; color: #000; }
        .letter-meta { color: #333; font-size: 10pt; }
        blockquote { margin: 0.5em 0 0.5em 1.5em; padding-left: 0.8em; border-left: 2px solid #999; }
        </style></head>
        <body><article class="complaint-letter" lang="{{l.Language}}">{{l.Body}}</article></body></html>
        """;

    private async Task<byte[]> PrintHtmlAsync(string html, CancellationToken ct)
    {
        var o = options.Value;
        var limit = gate ??= new SemaphoreSlim(o.Concurrency);
        var folder = Directory.CreateTempSubdirectory("steward-letter-");
        await limit.WaitAsync(ct);
        try
        {
            var input = Path.Combine(folder.FullName, "letter.html");
            var output = Path.Combine(folder.FullName, "letter.pdf");
            await File.WriteAllTextAsync(input, html, ct);
            var start = new ProcessStartInfo(o.ChromiumPath)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            foreach (var a in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-extensions", "--no-first-run", "--no-pdf-header-footer",
                         "--user-data-dir=" + Path.Combine(folder.FullName, "profile"), "--print-to-pdf=" + output, new Uri(input).AbsoluteUri,
                     })
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start: " + o.ChromiumPath);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            _ = process.StandardOutput.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(o.TimeoutSeconds));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException(FormattableString.Invariant($"Chromium did not print the letter within {o.TimeoutSeconds} s."));
            }

            if (process.ExitCode != 0 || !File.Exists(output))
            {
                log.LogError("Chromium failed to print a letter (exit {Code}): {Error}", process.ExitCode, await stderr);
                throw new InvalidOperationException(FormattableString.Invariant($"Chromium failed to print the letter (exit code {process.ExitCode})."));
            }

            return await File.ReadAllBytesAsync(output, ct);
        }
        finally
        {
            limit.Release();
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException e)
            {
                log.LogWarning(e, "The temporary folder of a letter's print was not removed: {Folder}", folder.FullName);
            }
        }
    }
}
