using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Campaigns.Delivery;

namespace OmniConsole.Core.Tests.Campaigns;

public sealed class TrackingLinksTests
{
    internal const string BaseUrl = "https://omni.example";

    internal static TrackingLinks NewLinks(IDataProtectionProvider? keys = null) =>
        new(keys ?? new EphemeralDataProtectionProvider(), Options.Create(new MessagingOptions { PublicBaseUrl = BaseUrl + "/" }));

    private static string TokenOf(string url, string path)
    {
        Assert.StartsWith(BaseUrl + path, url);
        return url[(BaseUrl + path).Length..];
    }

    [Fact]
    public void EachKindOfLinkReadsBackItsMessageAndUrl()
    {
        var links = NewLinks();

        Assert.True(links.TryRead(TokenOf(links.OpenPixelUrl(42), "/t/o/"), out var openId, out var openUrl, out var openKind));
        Assert.Equal((42L, (string?)null, TrackingKind.Open), (openId, openUrl, openKind));

        var target = "https://shop.example/sale?utm=spring&x=ж";
        Assert.True(links.TryRead(TokenOf(links.ClickUrl(long.MaxValue, target), "/t/c/"), out var clickId, out var clickUrl, out var clickKind));
        Assert.Equal((long.MaxValue, (string?)target, TrackingKind.Click), (clickId, clickUrl, clickKind));

        Assert.True(links.TryRead(TokenOf(links.UnsubscribeUrl(7), "/t/u/"), out var unsubscribeId, out _, out var unsubscribeKind));
        Assert.Equal((7L, TrackingKind.Unsubscribe), (unsubscribeId, unsubscribeKind));
    }

    [Fact]
    public void TokensAreUrlSafeAndShort()
    {
        var links = NewLinks();
        var token = TokenOf(links.UnsubscribeUrl(1_234_567_890), "/t/u/");

        Assert.Matches(new Regex("^[A-Za-z0-9_-]+$"), token);
        Assert.InRange(token.Length, 1, 140);
    }

    [Fact]
    public void TamperedTokenIsRejected()
    {
        var links = NewLinks();
        var token = TokenOf(links.ClickUrl(42, "https://shop.example/"), "/t/c/");

        foreach (var at in new[] { 0, token.Length / 2, token.Length - 2 })
        {
            var tampered = token[..at] + (token[at] == 'A' ? 'B' : 'A') + token[(at + 1)..];
            Assert.False(links.TryRead(tampered, out _, out _, out _), $"changed at {at}");
        }
        Assert.False(links.TryRead(token[..^4], out _, out _, out _));
        Assert.False(links.TryRead("not a token!", out _, out _, out _));
        Assert.False(links.TryRead("", out _, out _, out _));
    }

    [Fact]
    public void TokenOfAnotherInstallationIsRejected()
    {
        var token = TokenOf(NewLinks().UnsubscribeUrl(42), "/t/u/");

        Assert.False(NewLinks().TryRead(token, out _, out _, out _));
    }

    [Fact]
    public void KindsAreNotInterchangeable()
    {
        var links = NewLinks();
        var openToken = TokenOf(links.OpenPixelUrl(42), "/t/o/");
        var clickToken = TokenOf(links.ClickUrl(42, "https://shop.example/"), "/t/c/");

        // An open pixel's token (which any mail client fetches) must not unsubscribe anyone, nor a click redirect.
        Assert.False(links.TryRead(openToken, TrackingKind.Unsubscribe, out var id, out _));
        Assert.Equal(0, id);
        Assert.False(links.TryRead(openToken, TrackingKind.Click, out _, out _));
        Assert.False(links.TryRead(clickToken, TrackingKind.Unsubscribe, out _, out _));
        Assert.True(links.TryRead(openToken, TrackingKind.Open, out id, out _));
        Assert.Equal(42, id);
    }

    [Fact]
    public void OnlyOurOwnLinksCountAsTracking()
    {
        var links = NewLinks();

        Assert.True(links.IsTrackingUrl(links.UnsubscribeUrl(1)));
        Assert.False(links.IsTrackingUrl("https://shop.example/t/u/x"));
        Assert.False(links.IsTrackingUrl(BaseUrl + "/catalog"));
    }
}
