using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Steward.BrowserTests.Pages;

/// <summary>
/// Walks the app as one signed-in person: every page the navigation offers, every same-site link on
/// those pages and on the pages they lead to, and every form target (submitted empty, and once with a
/// simple valid example). Pages that differ only by an id or a query value are one page to it
/// (<c>/Cases/12</c> and <c>/Cases/40</c>). It collects findings instead of stopping at the first,
/// and saves a screenshot of every page at 1366 px and at 768 px.
/// </summary>
public sealed partial class SiteCrawler
{
    /// <summary>Pages and forms the crawl must never use: they end the session, or change the language or someone's account.</summary>
    private static readonly string[] NeverFollow = ["/Account/SignOut", "/Account/Culture", "/api/", "/health", "/openapi/"];

    private const int PageLimit = 100;
    private const int Narrow = 768;

    private readonly IPage page;
    private readonly PageReading reading;
    private readonly string baseUrl;
    private readonly string screenshots;
    private readonly bool chinese;
    private readonly Dictionary<string, Finding> findings = [];
    private readonly HashSet<string> seenPages = [];
    private readonly HashSet<string> seenForms = [];

    // Forms submitted in each language by any crawler of this run. A form that several roles are offered (a case's reply, a
    // notification's "mark read", a customer's edit) is submitted, empty and valid, by the first role that meets it in each
    // language, not once per role: what each role may do is the API and page tests' subject (403s, branch scope); the
    // crawl's is what a person reads after submitting (form submissions were three quarters of the crawl's time).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> SubmittedInLanguage = new();
    private readonly Queue<string> queue = new();
    private HashSet<string> offered = [];
    private string current = "";
    private int pages;
    // One count for every crawler at once: two people typing the same new team name at the same moment is not what a crawl is about.
    private static int tokens;
    private TaskCompletionSource? download;

    public SiteCrawler(IPage page, PageReading reading, string baseUrl, string screenshots, bool chinese)
    {
        this.page = page;
        this.reading = reading;
        this.baseUrl = baseUrl;
        this.screenshots = screenshots;
        this.chinese = chinese;
        page.Console += (_, message) =>
        {
            // A document or resource that failed is reported with its address by the response checks; the console only repeats it.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                Add($"browser console error: {message.Text}");
            }
        };
        page.PageError += (_, error) => Add($"script error: {error}");
        page.Download += (_, _) => download?.TrySetResult();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && response.Request.ResourceType is not ("document" or "xhr" or "fetch"))
            {
                Add($"{response.Status} for {response.Request.ResourceType} {Path(response.Url)}");
            }
        };
    }

    public IReadOnlyCollection<Finding> Findings => findings.Values;

    public int PagesVisited => pages;

    public int FormsSubmitted { get; private set; }

    /// <summary>Where the crawl's time went: loading pages, reading them (and screenshots), submitting forms.</summary>
    public string Timings => $"loading {loading.Elapsed.TotalSeconds:F0} s, reading {readingTime.Elapsed.TotalSeconds:F0} s, forms {forming.Elapsed.TotalSeconds:F0} s";

    private readonly System.Diagnostics.Stopwatch loading = new(), readingTime = new(), forming = new();

    /// <summary>Crawls from the page the browser is on (just signed in).</summary>
    public async Task CrawlAsync()
    {
        current = Path(page.Url);
        await CheckShellAsync();
        offered = [.. (await page.EvaluateAsync<string[]>(NavigationLinksScript)).Where(Followable).Select(PathOnly)];
        Enqueue("/");
        foreach (var link in await page.EvaluateAsync<string[]>(NavigationLinksScript))
        {
            Enqueue(link);
        }

        while (queue.TryDequeue(out var url))
        {
            if (pages >= PageLimit)
            {
                Add($"the crawl stopped after {PageLimit} pages; {queue.Count + 1} more were waiting");
                break;
            }

            await VisitAsync(url);
        }
    }

    /// <summary>Records that the crawl could not go on, and why.</summary>
    public void Stopped(Exception e) => Add($"the crawl stopped: {e.GetType().Name}: {e.Message.Split('\n')[0]}");

    private async Task VisitAsync(string url)
    {
        pages++;
        current = url;
        IResponse? response;
        try
        {
            loading.Start();
            response = await page.GotoAsync(url);
        }
        catch (PlaywrightException e) when (e.Message.Contains("Download is starting", StringComparison.Ordinal))
        {
            var file = await page.APIRequest.GetAsync(baseUrl + url);
            if (file.Status >= 400)
            {
                Add($"{file.Status} for the download {url}");
            }

            return;
        }
        finally
        {
            loading.Stop();
        }

        var status = response?.Status ?? 0;
        if (status >= 400)
        {
            if (status == 403 && !offered.Contains(PathOnly(url)))
            {
                return;
            }

            Add($"HTTP {status} for {url}{(offered.Contains(PathOnly(url)) ? " (a page the navigation offers)" : "")}");
            return;
        }

        if (Path(page.Url).StartsWith(SignInPage.Path, StringComparison.OrdinalIgnoreCase))
        {
            Add($"{url} sent the signed-in person back to sign-in");
            return;
        }

        if (!await page.EvaluateAsync<bool>("() => !!document.querySelector('main#main')"))
        {
            // Not one of Steward's pages (the API reference is Swagger UI, in English only): it must load, nothing more.
            return;
        }

        readingTime.Start();
        await ReadPageAsync(screenshot: true);
        readingTime.Stop();
        foreach (var link in await page.EvaluateAsync<string[]>(LinksScript))
        {
            Enqueue(link);
        }

        var forms = JsonSerializer.Deserialize<List<FormInfo>>(await page.EvaluateAsync<string>(FormsScript), Json)!;
        forming.Start();
        foreach (var form in forms)
        {
            for (var b = 0; b < Math.Max(1, form.Buttons.Count); b++)
            {
                await SubmitAllWaysAsync(url, form, b);
            }
        }

        forming.Stop();
    }

    private async Task SubmitAllWaysAsync(string url, FormInfo form, int button)
    {
        var target = form.Buttons.Count > button && form.Buttons[button].FormAction is { Length: > 0 } a ? a : form.Action;
        var name = form.Buttons.Count > button ? form.Buttons[button].Name + "=" + form.Buttons[button].Value : "";
        if (!Followable(target) || IsAccountEdit(url, form))
        {
            return;
        }

        var key = $"{form.Method} {Pattern(Path(target))} {name}";
        if (!seenForms.Add(key) || !SubmittedInLanguage.TryAdd((chinese ? "zh " : "en ") + key, 0))
        {
            return;
        }

        await SubmitAsync(url, form, button, "empty");
        // A form with nothing to fill was submitted as it is; one with a password would change someone's sign-in.
        if (form.Fillable && !form.Password)
        {
            await SubmitAsync(url, form, button, "valid");
        }
    }

    private async Task SubmitAsync(string url, FormInfo form, int button, string mode)
    {
        FormsSubmitted++;
        var what = $"the form {form.Method.ToUpperInvariant()} {Path(form.Action)}{(form.Buttons.Count > button ? $" ({PageReading.Quote(form.Buttons[button].Text)})" : "")} on {url}, submitted {mode}";
        current = url;
        await page.GotoAsync(url);
        var forms = JsonSerializer.Deserialize<List<FormInfo>>(await page.EvaluateAsync<string>(FormsScript), Json)!;
        var index = forms.FindIndex(f => f.Action == form.Action && f.Method == form.Method && f.Buttons.Count == form.Buttons.Count);
        if (index < 0)
        {
            return;
        }

        var statuses = new List<string>();
        void Watch(object? sender, IResponse r)
        {
            if (r.Status >= 400 && r.Request.ResourceType is "document" or "xhr" or "fetch")
            {
                statuses.Add($"{r.Status} from {r.Request.Method} {Path(r.Url)}");
            }
        }

        page.Response += Watch;
        download = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var token = string.Create(CultureInfo.InvariantCulture, $"T{Interlocked.Increment(ref tokens)}");
            if (form.Htmx is { Length: > 0 } hx)
            {
                var answered = page.WaitForResponseAsync(r => Path(r.Url).StartsWith(PathOnly(hx), StringComparison.OrdinalIgnoreCase));
                await page.EvaluateAsync(SubmitScript, new object[] { index, button, mode, token });
                await answered;
                await page.WaitForFunctionAsync("() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')");
            }
            else
            {
                await page.EvaluateAsync(SubmitScript, new object[] { index, button, mode, token });
                var loaded = page.WaitForFunctionAsync("() => !window.__crawlOld && document.readyState === 'complete'", null, new() { Timeout = Features.Shared.CrawlTests.Patience });
                await Task.WhenAny(loaded, download.Task);
                if (!download.Task.IsCompleted)
                {
                    await loaded;
                }
            }
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            Add($"{what}: no answer ({e.Message.Split('\n')[0]})");
            return;
        }
        finally
        {
            page.Response -= Watch;
        }

        if (download.Task.IsCompleted)
        {
            return;
        }

        // A form refused (400, or 409 for a stale or conflicting change) must say why on the page; anything else is a finding.
        var explained = await page.EvaluateAsync<bool>(MessageShownScript);
        foreach (var status in statuses.Where(s => !(explained && (s.StartsWith("400", StringComparison.Ordinal) || s.StartsWith("409", StringComparison.Ordinal)))))
        {
            Add($"{what}: {status}{(explained ? "" : " with no message on the page")}");
        }

        current = Path(page.Url) + " (after " + what + ")";
        await ReadPageAsync(screenshot: false, narrow: false);
        foreach (var link in await page.EvaluateAsync<string[]>(LinksScript))
        {
            Enqueue(link);
        }
    }

    /// <summary>What every signed-in page has: the sign-out button and the switch to the other language.</summary>
    private async Task CheckShellAsync()
    {
        var shell = await page.EvaluateAsync<string[]>("""
            () => [document.querySelector('form[action="/Account/SignOut"] button')?.innerText ?? '',
                   document.querySelector('form[action="/Account/Culture"] button')?.innerText ?? '']
            """);
        if (shell[0].Length == 0)
        {
            Add("no sign-out button after signing in");
        }

        if (shell[1] != (chinese ? "English" : "中文"))
        {
            Add($"the language switch reads \"{shell[1]}\"");
        }
    }

    /// <summary>
    /// The page from the top, at most <see cref="ShotHeight"/> px of it: what a person reads of a long list (a full-page shot of the
    /// audit log, 100 entries with their change tables, took over 15 s on a loaded CI machine and stopped the crawl).
    /// </summary>
    private async Task ScreenshotAsync(string path)
    {
        var size = await page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, document.scrollingElement.scrollHeight]");
        await page.ScreenshotAsync(new()
        {
            Path = path,
            FullPage = true,
            Clip = new() { X = 0, Y = 0, Width = size[0], Height = Math.Min(size[1], ShotHeight) },
            Timeout = Features.Shared.CrawlTests.Patience,
        });
    }

    private const int ShotHeight = 6_000;

    private static readonly bool EveryScreenshot = Environment.GetEnvironmentVariable("STEWARD_CRAWL_SCREENSHOTS") == "1";

    private async Task ReadPageAsync(bool screenshot, bool narrow = true)
    {
        var findingsBefore = findings.Count;
        var texts = await page.EvaluateAsync<string[]>(TextsScript);
        var lang = await page.EvaluateAsync<string>("() => document.documentElement.lang");
        if (lang != (chinese ? "zh-CN" : "en"))
        {
            Add($"the page is in \"{lang}\"");
        }
        else
        {
            foreach (var text in texts.Distinct(StringComparer.Ordinal))
            {
                if (reading.Problems(text, chinese).Distinct(StringComparer.Ordinal).ToList() is { Count: > 0 } problems)
                {
                    Add($"{string.Join(", ", problems)} in \"{PageReading.Quote(text)}\"");
                }
            }
        }

        foreach (var problem in await page.EvaluateAsync<string[]>(ControlsScript))
        {
            Add(problem);
        }

        var shot = Regex.Replace(Pattern(Path(page.Url)).Replace("#", "id", StringComparison.Ordinal).Trim('/'), @"[^\w.-]+", "_");
        // A full-page shot costs Chromium more than reading the page: every page is shot only when someone will look
        // (STEWARD_CRAWL_SCREENSHOTS=1), else only a page with something found on it.
        screenshot = screenshot && (EveryScreenshot || findings.Count > findingsBefore);
        if (screenshot)
        {
            Directory.CreateDirectory(screenshots);
            await ScreenshotAsync(System.IO.Path.Combine(screenshots, (shot.Length == 0 ? "home" : shot) + ".1366.png"));
        }

        if (!narrow)
        {
            return;
        }

        var wide = page.ViewportSize!;
        await page.SetViewportSizeAsync(Narrow, 1024);
        var widths = await page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]");
        if (widths[0] > widths[1])
        {
            var wider = await page.EvaluateAsync<string[]>(WiderThanScreenScript);
            Add($"at {Narrow} px the page is {widths[0]} px wide; sticking out: {string.Join(", ", wider)}");
        }

        foreach (var hidden in await page.EvaluateAsync<string[]>(HiddenSidewaysScript))
        {
            Add($"at {Narrow} px {hidden}");
        }

        if (screenshot)
        {
            await ScreenshotAsync(System.IO.Path.Combine(screenshots, (shot.Length == 0 ? "home" : shot) + ".768.png"));
        }

        await page.SetViewportSizeAsync(wide.Width, wide.Height);
    }

    private void Enqueue(string link)
    {
        if (!Followable(link))
        {
            return;
        }

        var path = Path(link).Split('#')[0];
        if (seenPages.Add(Pattern(path)))
        {
            queue.Enqueue(path);
        }
    }

    private bool Followable(string link) =>
        link.StartsWith(baseUrl, StringComparison.Ordinal) || link.StartsWith('/')
            ? !NeverFollow.Any(n => Path(link).StartsWith(n, StringComparison.OrdinalIgnoreCase))
            : false;

    /// <summary>
    /// The staff form for an existing account (and its password and unlock forms): filled generically
    /// it would take an account's roles away or disable it, the demo admin's included. And the session
    /// list's revoke buttons: one ends the crawler's own sign-in, another someone else's crawl.
    /// </summary>
    private static bool IsAccountEdit(string url, FormInfo form) =>
        form.Method == "post"
        && ((url.StartsWith("/Admin/Staff", StringComparison.OrdinalIgnoreCase) && form.Id.Length > 0)
            || url.StartsWith("/Account/Sessions", StringComparison.OrdinalIgnoreCase));

    private void Add(string message)
    {
        if (findings.TryGetValue(message, out var finding))
        {
            finding.Count++;
        }
        else
        {
            findings[message] = new Finding(message, current);
        }
    }

    private string Path(string url) => url.StartsWith(baseUrl, StringComparison.Ordinal) ? url[baseUrl.Length..] : url;

    private string PathOnly(string url) => Path(url).Split('?', '#')[0].ToLowerInvariant();

    /// <summary><c>/Cases/12?tab=mine&amp;cursor=Zx9</c> → <c>/cases/#?cursor&amp;tab=mine</c>: ids and query values (but a handler's or a tab's) do not make another page.</summary>
    private static string Pattern(string path)
    {
        var parts = path.Split('#')[0].Split('?', 2);
        var shape = Digits().Replace(parts[0].ToLowerInvariant(), "/#");
        if (parts.Length == 1)
        {
            return shape;
        }

        var query = parts[1].Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => p.Length == 2 && p[0] is "handler" or "tab" ? $"{p[0]}={p[1]}" : p[0])
            .Order(StringComparer.Ordinal);
        return shape + "?" + string.Join('&', query);
    }

    [GeneratedRegex(@"/\d+(?=/|$)")]
    private static partial Regex Digits();

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public sealed class Finding(string message, string page)
    {
        public string Message { get; } = message;

        public string Page { get; } = page;

        public int Count { get; set; } = 1;

        public override string ToString() => Count == 1 ? $"{Message} — at {Page}" : $"{Message} — at {Page} and {Count - 1} more time(s)";
    }

    private sealed record FormInfo(string Method, string Action, string Htmx, bool Password, bool Fillable, string Id, List<ButtonInfo> Buttons);

    private sealed record ButtonInfo(string Text, string FormAction, string Name, string Value);

    private const string MessageShownScript = """
        () => [...document.querySelectorAll('main [role=alert], main .alert-danger, main .invalid-feedback, main .text-danger, main .alert-warning')]
          .some(e => e.checkVisibility() && e.innerText.trim().length > 0)
        """;

    private const string NavigationLinksScript = "() => [...document.querySelectorAll('nav a[href]')].map(a => a.href)";

    // A link within the page (#sla) is the page itself.
    private const string LinksScript = "() => [...document.querySelectorAll('a[href]')].filter(a => !a.getAttribute('href').startsWith('#')).map(a => a.href)";

    private const string FormsScript = """
        () => JSON.stringify([...document.forms].map(f => {
          const fields = [...f.elements].filter(e => ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.tagName)
            && !['hidden', 'submit', 'button', 'reset', 'checkbox', 'radio', 'file', 'image'].includes((e.type || '').toLowerCase()) && !e.disabled && !e.readOnly);
          return {
            method: (f.getAttribute('method') || 'get').toLowerCase(),
            action: new URL(f.getAttribute('action') || location.href, location.href).href,
            htmx: f.getAttribute('hx-post') || f.getAttribute('hx-get') || '',
            password: !!f.querySelector('input[type=password]'),
            fillable: fields.length > 0,
            id: f.querySelector('input[type=hidden][name=Id], input[type=hidden][name=id]')?.value || '',
            buttons: [...f.querySelectorAll('button:not([type=button]):not([type=reset]), input[type=submit]')].map(b => ({
              text: (b.innerText || b.value || b.getAttribute('aria-label') || '').trim(),
              formAction: b.hasAttribute('formaction') ? new URL(b.getAttribute('formaction'), location.href).href : '',
              name: b.name || '', value: b.value || '' })),
          };
        }))
        """;

    /// <summary>Empties the form's fields (or fills the empty ones with a plain valid value) and submits it without the browser's own checks.</summary>
    private const string SubmitScript = """
        ([index, button, mode, token]) => {
          const f = document.forms[index];
          f.noValidate = true;
          for (const el of f.elements) {
            if (!['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.disabled || el.readOnly) continue;
            const type = (el.type || '').toLowerCase();
            if (['hidden', 'submit', 'button', 'reset', 'checkbox', 'radio', 'file', 'image'].includes(type)) continue;
            if (el.tagName === 'SELECT') {
              const pick = mode === 'empty' ? [...el.options].find(o => !o.value) : (el.value ? null : [...el.options].find(o => o.value));
              if (pick) el.value = pick.value;
              continue;
            }
            if (mode === 'empty') { el.value = ''; continue; }
            if (el.value) continue;
            const values = { email: 'crawl@example.com', number: el.min || '1', date: '2026-12-15', 'datetime-local': '2026-12-15T09:00',
                             time: '09:00', tel: '13800138000', url: 'https://example.com/', password: '' };
            el.value = type in values ? values[type] : (el.maxLength > 0 ? token.slice(0, el.maxLength) : token);
          }
          window.__crawlOld = true;
          const buttons = [...f.querySelectorAll('button:not([type=button]):not([type=reset]), input[type=submit]')];
          f.requestSubmit(buttons[button]);
        }
        """;

    /// <summary>
    /// The texts a person reads or hears: visible text (and the closed menus' items), labels for
    /// screen readers, titles and placeholders; not code samples, nor text marked as in another
    /// language (the language switch) or as not to be translated.
    /// </summary>
    private const string TextsScript = """
        () => {
          const lang = document.documentElement.lang;
          const skip = 'script, style, noscript, template, code, pre, kbd, samp, [translate=no]';
          const ours = el => !el.closest(skip) && (el.closest('[lang]')?.lang ?? lang) === lang;
          const out = [document.title];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const el = n.parentElement, text = n.textContent.trim();
            if (!text || !ours(el)) continue;
            if (!el.closest('.dropdown-menu, option') && !el.checkVisibility()) continue;
            out.push(text);
          }
          for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], img[alt], input[type=submit]')) {
            if (!ours(el)) continue;
            for (const a of ['aria-label', 'title', 'placeholder', 'alt']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
            if (el.matches('input[type=submit]')) out.push(el.value);
          }
          return out;
        }
        """;

    /// <summary>Form controls a screen reader cannot name, and buttons that sound the same.</summary>
    private const string ControlsScript = """
        () => {
          const problems = [];
          const nameOf = el => (el.getAttribute('aria-label')
            || [...(el.getAttribute('aria-labelledby') || '').split(' ')].map(id => document.getElementById(id)?.innerText || '').join(' ').trim()
            || [...(el.labels || [])].map(l => l.innerText).join(' ').trim()
            || (el.tagName === 'BUTTON' ? el.innerText : '') || el.getAttribute('title') || el.getAttribute('placeholder') || '').trim();
          const controls = [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')].filter(e => e.checkVisibility());
          for (const c of controls) {
            const name = nameOf(c);
            if (!name || /^\d+$/.test(name)) problems.push(`a ${c.tagName.toLowerCase()} (name="${c.name}") is labelled "${name}"`);
          }
          const buttons = [...document.querySelectorAll('main button, main input[type=submit]')].filter(e => e.checkVisibility());
          const counts = {};
          for (const b of buttons) { const n = nameOf(b) || b.value || ''; if (b.closest('form')) counts[n] = (counts[n] || 0) + 1; }
          for (const [n, c] of Object.entries(counts)) if (c > 2) problems.push(`${c} buttons have the same name "${n}"`);
          return problems;
        }
        """;

    /// <summary>Boxes that scroll sideways at this width: what is past their right edge is cut off for whoever does not think to scroll.</summary>
    private const string HiddenSidewaysScript = """
        () => [...document.querySelectorAll('main *')]
          .filter(el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1 && el.checkVisibility())
          .map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} hides ${el.scrollWidth - el.clientWidth} px of ${el.querySelector('[data-testid]')?.dataset.testid ?? 'its content'} sideways`)
        """;

    private const string WiderThanScreenScript = """
        () => {
          const width = document.scrollingElement.clientWidth, out = [];
          for (const el of document.querySelectorAll('main *')) {
            const r = el.getBoundingClientRect();
            if (r.right > width + 1 && el.checkVisibility() && !(el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1)) {
              out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''));
            }
            if (out.length >= 3) break;
          }
          return out;
        }
        """;
}
