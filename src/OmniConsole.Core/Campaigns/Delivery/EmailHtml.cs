using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace OmniConsole.Core.Campaigns.Delivery;

/// <summary>
/// What an e-mail body needs besides its tokens: the open pixel, click-through links and a plain-text alternative.
/// Regular expressions over tags rather than an HTML parser: marketing HTML is hand-written and often invalid,
/// and all we touch is the <c>href</c> of <c>&lt;a&gt;</c> tags and the place of <c>&lt;/body&gt;</c>.
/// </summary>
public static partial class EmailHtml
{
    /// <summary>
    /// Adds the open pixel before <c>&lt;/body&gt;</c> (or at the end) and points every <c>http(s)</c> link of an
    /// <c>&lt;a&gt;</c> at a click-through link. <c>mailto:</c>, <c>tel:</c>, <c>#anchors</c>, the unsubscribe link and any
    /// other link of ours are left alone, so running it twice changes nothing but adding a second pixel.
    /// </summary>
    public static string WithTracking(string html, long messageId, TrackingLinks links)
    {
        var tracked = AnchorTag().Replace(html, tag => RewriteHref(tag.Value, messageId, links));

        var pixel = $"""<img src="{links.OpenPixelUrl(messageId)}" width="1" height="1" alt="" style="display:none">""";
        var bodyEnd = tracked.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        return bodyEnd >= 0 ? tracked.Insert(bodyEnd, pixel) : tracked + pixel;
    }

    /// <summary>
    /// A readable plain-text version for the <c>text/plain</c> alternative (spam filters and text-only clients want one):
    /// blocks become lines, a link keeps its URL in brackets, images, styles and scripts go.
    /// </summary>
    public static string ToPlainText(string html)
    {
        var text = InvisibleElement().Replace(html, "");
        text = AnchorElement().Replace(text, a =>
        {
            var label = Tag().Replace(a.Groups["label"].Value, "").Trim();
            var href = HrefOf(a.Groups["tag"].Value);
            var url = href is null ? null : WebUtility.HtmlDecode(href.Value.Value).Trim();
            return url is null || url.StartsWith('#') || WebUtility.HtmlDecode(label) == url ? label : $"{label} ({url})";
        });
        text = LineBreakingTag().Replace(text, "\n");
        text = Tag().Replace(text, "");
        text = WebUtility.HtmlDecode(text);

        var lines = text.Split('\n').Select(line => Whitespace().Replace(line, " ").Trim());
        var result = new StringBuilder();
        var blankLines = 0;
        foreach (var line in lines)
        {
            // Collapse runs of empty lines (table layouts make many) to one paragraph break.
            blankLines = line.Length == 0 ? blankLines + 1 : 0;
            if (blankLines > 1 || (line.Length == 0 && result.Length == 0))
                continue;
            result.Append(line).Append('\n');
        }
        return result.ToString().Trim();
    }

    private static string RewriteHref(string tag, long messageId, TrackingLinks links)
    {
        var href = HrefOf(tag);
        if (href is null)
            return tag;

        // An attribute value is HTML: "a?x=1&amp;y=2" means "a?x=1&y=2", and the redirect must go to the latter.
        var url = WebUtility.HtmlDecode(href.Value.Value).Trim();
        if (!(url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            || links.IsTrackingUrl(url))
            return tag;

        // Base64Url tokens need no escaping; quoting the value keeps an unquoted href valid.
        return $"{tag[..href.Value.Start]}href=\"{links.ClickUrl(messageId, url)}\"{tag[href.Value.End..]}";
    }

    private readonly record struct AttributeSpan(int Start, int End, string Value);

    /// <summary>The <c>href</c> attribute of a tag, read attribute by attribute so an <c>href=</c> inside another value does not count.</summary>
    private static AttributeSpan? HrefOf(string tag)
    {
        foreach (Match attribute in Attribute().Matches(tag))
        {
            if (attribute.Groups["name"].Value.Equals("href", StringComparison.OrdinalIgnoreCase) && attribute.Groups["value"].Success)
                return new(attribute.Index, attribute.Index + attribute.Length, attribute.Groups["value"].Value);
        }
        return null;
    }

    // An opening <a> tag; quoted attribute values may contain '>'.
    [GeneratedRegex("""<a(?=[\s>])(?:[^>"']|"[^"]*"|'[^']*')*>""", RegexOptions.IgnoreCase)]
    private static partial Regex AnchorTag();

    [GeneratedRegex("""(?<tag><a(?=[\s>])(?:[^>"']|"[^"]*"|'[^']*')*>)(?<label>.*?)</a\s*>""", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex AnchorElement();

    // After the tag name: name, optionally = and a double-, single- or unquoted value.
    [GeneratedRegex("""(?<=[\s"'])(?<name>[^\s=/>"']+)(?:\s*=\s*(?:"(?<value>[^"]*)"|'(?<value>[^']*)'|(?<value>[^\s>"']+)))?""")]
    private static partial Regex Attribute();

    [GeneratedRegex("""<(head|style|script|title)\b.*?</\1\s*>|<!--.*?-->""", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex InvisibleElement();

    [GeneratedRegex("""<br\s*/?>|</(p|div|tr|h[1-6]|li|table|blockquote)\s*>""", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreakingTag();

    [GeneratedRegex("""<[^>]*>""")]
    private static partial Regex Tag();

    [GeneratedRegex("""[ \t\r\f\v\u00A0]+""")]
    private static partial Regex Whitespace();
}
