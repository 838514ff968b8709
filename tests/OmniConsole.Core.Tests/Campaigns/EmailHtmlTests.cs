using OmniConsole.Core.Campaigns.Delivery;

namespace OmniConsole.Core.Tests.Campaigns;

public sealed class EmailHtmlTests
{
    private readonly TrackingLinks links = TrackingLinksTests.NewLinks();

    private string ClickTargetOf(string trackedUrl)
    {
        Assert.StartsWith(TrackingLinksTests.BaseUrl + "/t/c/", trackedUrl);
        Assert.True(links.TryRead(trackedUrl[(TrackingLinksTests.BaseUrl + "/t/c/").Length..], TrackingKind.Click, out var id, out var url));
        Assert.Equal(42, id);
        return url!;
    }

    private static List<string> HrefsOf(string html) =>
        System.Text.RegularExpressions.Regex.Matches(html, """(?i)<a(?=\s)(?:[^>"']|"[^"]*"|'[^']*')*?\shref="([^"]*)(?=")""").Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public void PixelGoesJustBeforeTheBodyEnds()
    {
        var html = EmailHtml.WithTracking("<html><body><p>Hi</p></BODY></html>", 42, links);

        Assert.Matches("""^<html><body><p>Hi</p><img src="https://omni\.example/t/o/[A-Za-z0-9_-]+" width="1" height="1" alt="" style="display:none"></BODY></html>$""", html);
        var token = html.Split("/t/o/")[1].Split('"')[0];
        Assert.True(links.TryRead(token, TrackingKind.Open, out var id, out _));
        Assert.Equal(42, id);
    }

    [Fact]
    public void PixelIsAppendedToAFragment()
    {
        var html = EmailHtml.WithTracking("<p>Hi</p>", 42, links);

        Assert.StartsWith("<p>Hi</p><img src=\"https://omni.example/t/o/", html);
        Assert.EndsWith("style=\"display:none\">", html);
    }

    [Fact]
    public void WebLinksBecomeClickThroughsAndOthersStay()
    {
        var unsubscribe = links.UnsubscribeUrl(42);
        var html = EmailHtml.WithTracking(
            $"""
            <a href="https://shop.example/sale?a=1&amp;b=2">Sale</a>
            <A class="btn" title="a > b" HREF='http://shop.example/new'>New</A>
            <a href=https://shop.example/bare>Bare</a>
            <a data-href="https://elsewhere.example/" href="https://shop.example/real">Real</a>
            <a href="mailto:help@shop.example">Mail</a>
            <a href="tel:+79001234567">Call</a>
            <a href="#top">Top</a>
            <a href="{unsubscribe}">Unsubscribe</a>
            <link href="https://shop.example/style.css"><abbr title="https://x.example/">x</abbr>
            """, 42, links);

        var hrefs = HrefsOf(html);
        Assert.Equal(8, hrefs.Count);
        Assert.Equal("https://shop.example/sale?a=1&b=2", ClickTargetOf(hrefs[0]));
        Assert.Equal("http://shop.example/new", ClickTargetOf(hrefs[1]));
        Assert.Equal("https://shop.example/bare", ClickTargetOf(hrefs[2]));
        Assert.Equal("https://shop.example/real", ClickTargetOf(hrefs[3]));
        Assert.Equal(["mailto:help@shop.example", "tel:+79001234567", "#top", unsubscribe], hrefs[4..]);
        Assert.Contains("<A class=\"btn\" title=\"a > b\" href=\"https://omni.example/t/c/", html);
        Assert.Contains("data-href=\"https://elsewhere.example/\"", html);
        Assert.Contains("<link href=\"https://shop.example/style.css\">", html);
    }

    [Fact]
    public void TrackingTwiceDoesNotWrapLinksAgain()
    {
        var once = EmailHtml.WithTracking("<a href=\"https://shop.example/\">Shop</a>", 42, links);
        var twice = EmailHtml.WithTracking(once, 42, links);

        Assert.Equal(HrefsOf(once), HrefsOf(twice));
    }

    [Fact]
    public void PlainTextKeepsWordsAndLinksAndDropsMarkup()
    {
        var text = EmailHtml.ToPlainText("""
            <html><head><title>T</title><style>p { color: red }</style></head>
            <body><h1>Hello,&nbsp;Anna</h1><p>Your code is <b>WELCOME</b>.<br>Use it at <a href="https://shop.example/">our shop</a>.</p>
            <table><tr><td>A &amp; B</td></tr></table>
            <img src="https://omni.example/t/o/x" width="1" height="1"></body></html>
            """);

        Assert.Equal("Hello, Anna\nYour code is WELCOME.\nUse it at our shop (https://shop.example/).\n\nA & B", text);
    }
}
