using System.Net.Http.Headers;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Steward.Tests.Infrastructure;

/// <summary>A file chosen in a form's file input.</summary>
public sealed record FormFile(string Name, string FileName, string ContentType, byte[] Content);

/// <summary>
/// Submits a form the way a browser does, from the page as rendered: to the form's own <c>action</c> (the page's
/// address when it has none), with the fields the form carries (hidden fields such as the antiforgery token and the
/// version, checked boxes, selected options, typed values) plus what the test fills in. A form whose action lacks
/// something the handler needs (a route value, an id in the query) fails here just as it fails for a person.
/// </summary>
public static class HtmlForms
{
    private static readonly HtmlParser Parser = new();

    public static IHtmlDocument Parse(string html) => Parser.ParseDocument(html);

    /// <summary>Loads <paramref name="pageUrl"/>, picks the one form <paramref name="which"/> matches, fills <paramref name="fields"/> and submits it.</summary>
    public static async Task<HttpResponseMessage> SubmitFormAsync(
        this PageClient page, string pageUrl, Func<IHtmlFormElement, bool> which, Dictionary<string, string>? fields = null, FormFile? file = null)
    {
        var (status, html) = await page.GetAsync(pageUrl);
        Assert.True(status == System.Net.HttpStatusCode.OK, $"{pageUrl} answered {(int)status}");
        var forms = Parse(html).Forms.Where(which).ToList();
        var form = Assert.Single(forms);
        var values = Values(form);
        foreach (var (name, value) in fields ?? [])
        {
            values.RemoveAll(v => v.Name == name);
            values.Add((name, value));
        }

        var action = form.GetAttribute("action") is { Length: > 0 } a ? a : pageUrl;
        HttpContent content;
        if (string.Equals(form.Enctype, "multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var multipart = new MultipartFormDataContent();
            foreach (var (name, value) in values)
            {
                multipart.Add(new StringContent(value), name);
            }

            if (file is not null)
            {
                var bytes = new ByteArrayContent(file.Content);
                bytes.Headers.ContentType = MediaTypeHeaderValue.Parse(file.ContentType);
                multipart.Add(bytes, file.Name, file.FileName);
            }

            content = multipart;
        }
        else
        {
            content = new FormUrlEncodedContent(values.Select(v => new KeyValuePair<string, string>(v.Name, v.Value)));
        }

        return await page.Http.PostAsync(action, content);
    }

    /// <summary>True when the form has a hidden field <paramref name="name"/> with <paramref name="value"/>.</summary>
    public static bool HasHidden(this IHtmlFormElement form, string name, string value) =>
        form.QuerySelectorAll("input[type=hidden]").Any(i => i.GetAttribute("name") == name && i.GetAttribute("value") == value);

    /// <summary>True when the form's action names the page handler <paramref name="handler"/>.</summary>
    public static bool Posts(this IHtmlFormElement form, string handler) =>
        (form.GetAttribute("action") ?? "").Contains("handler=" + handler, StringComparison.OrdinalIgnoreCase);

    private static List<(string Name, string Value)> Values(IHtmlFormElement form)
    {
        var values = new List<(string Name, string Value)>();
        foreach (var element in form.Elements)
        {
            if (element.GetAttribute("name") is not { Length: > 0 } name || element.HasAttribute("disabled"))
            {
                continue;
            }

            switch (element)
            {
                case IHtmlInputElement input when input.Type is "checkbox" or "radio":
                    if (input.IsChecked)
                    {
                        values.Add((name, input.Value));
                    }

                    break;
                case IHtmlInputElement input when input.Type is "file" or "submit" or "button":
                    break;
                case IHtmlInputElement input:
                    values.Add((name, input.Value));
                    break;
                case IHtmlSelectElement select:
                    values.Add((name, select.Value ?? ""));
                    break;
                case IHtmlTextAreaElement area:
                    values.Add((name, area.Value));
                    break;
            }
        }

        return values;
    }
}
