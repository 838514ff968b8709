using System.Globalization;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Campaigns.Delivery;

namespace OmniConsole.Core.Tests.Campaigns;

/// <summary>An SMS's parts are those of the text a customer gets: its unsubscribe link at full length, points never rounded up.</summary>
public sealed class SmsWithLinkTests
{
    [Fact]
    public void TheSampleLinkIsAsLongAsARealOne()
    {
        var links = TrackingLinksTests.NewLinks();
        Assert.Equal(links.UnsubscribeUrl(long.MaxValue).Length, links.SampleUnsubscribeUrl.Length);
        Assert.True(links.UnsubscribeUrl(123_456).Length <= links.SampleUnsubscribeUrl.Length);
        Assert.StartsWith(TrackingLinksTests.BaseUrl + TrackingLinks.UnsubscribePath, links.SampleUnsubscribeUrl);
    }

    [Fact]
    public void AnSmsThatFitsOnlyWithoutItsLinkIsRefused()
    {
        var links = TrackingLinksTests.NewLinks();
        var text = new string('я', 120) + " {{unsubscribeUrl}}"; // 138 characters as typed: 3 UCS-2 parts; with the real link far more
        var input = new CampaignInput { Name = "Link", SegmentId = 1, Steps = [new CampaignStep { Channel = "sms", Text = text }] };
        var messaging = new MessagingOptions { Sms = { Provider = "Sandbox" } };

        Assert.Empty(CampaignDefinition.Validate(input, messaging, out _, out _));
        var error = Assert.Single(CampaignDefinition.Validate(input, messaging, out _, out _, links.SampleUnsubscribeUrl));
        Assert.Equal("steps[0].text", error.Field);
    }

    [Theory]
    [InlineData("49.5", "49,5")]
    [InlineData("1250", "1\u00a0250")]
    [InlineData("0.99", "0,99")]
    public void PointsAreNeverRoundedUp(string points, string shown) =>
        Assert.Equal(shown, MessageTemplate.Points(decimal.Parse(points, CultureInfo.InvariantCulture), CultureInfo.GetCultureInfo("ru-RU")));
}
