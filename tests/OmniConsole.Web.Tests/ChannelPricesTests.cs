using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using OmniConsole.Core;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Pages.Reports;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Tests;

/// <summary>An administrator prices messages per channel on /reports, in the Russian UI as typed on any keyboard.</summary>
public sealed class ChannelPricesTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    [Theory]
    [InlineData("4,2", 4_20)]
    [InlineData("4.2", 4_20)]
    [InlineData(" 1 250,50 ₽", 1_250_50)]
    [InlineData("0", 0)]
    public void AmountsReadAsTyped(string text, long minor) => Assert.Equal(minor, MoneyInput.Parse(text)?.Minor);

    [Theory]
    [InlineData("-1")]
    [InlineData("1.234")]
    [InlineData("1,2.3")]
    [InlineData("abc")]
    [InlineData("")]
    public void NotAnAmountIsNull(string text) => Assert.Null(MoneyInput.Parse(text));

    [Fact]
    public async Task EveryChannelIsPricedAndATypoSavesNothing()
    {
        await using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        ctx.Services.AddSingleton(app.Services.GetRequiredService<CampaignResults>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<OmniConsole.Core.Feedback.FeedbackService>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MessagingOptions>>());
        ctx.Services.AddSingleton(Options.Create(new OmniConsoleOptions()));
        ctx.Services.AddSingleton<DisplayFormat>();
        ctx.AddAuthorization().SetAuthorized("admin@test").SetRoles(Roles.Administrator);
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new("ru-RU");
        var results = app.Services.GetRequiredService<CampaignResults>();

        var cut = ctx.Render<CampaignChannelsSection>();
        cut.WaitForAssertion(() => Assert.Equal(5, cut.FindAll("[data-testid=channel-prices] input").Count), TimeSpan.FromSeconds(10)); // all five, used or not
        cut.Find("input[data-testid=price-sms]").Input("4.2");
        cut.Find("input[data-testid=price-viber]").Input("-1");
        await cut.InvokeAsync(() => cut.Find("[data-testid=prices-save]").Click());

        cut.WaitForAssertion(() => Assert.Contains("От 0 до", cut.Find("[data-testid=channel-prices]").TextContent));
        Assert.DoesNotContain(Channel.Sms, (await results.PricesAsync(default)).Keys); // nothing saved

        cut.Find("input[data-testid=price-viber]").Input("1,5");
        await cut.InvokeAsync(() => cut.Find("[data-testid=prices-save]").Click());
        // Polled with awaits: a blocking .Result inside a bUnit wait would deadlock on a driver that is truly asynchronous.
        var prices = await results.PricesAsync(default);
        for (var i = 0; i < 100 && prices.GetValueOrDefault(Channel.Sms).Minor != 4_20; i++)
        {
            await Task.Delay(100);
            prices = await results.PricesAsync(default);
        }
        Assert.Equal(4_20, prices.GetValueOrDefault(Channel.Sms).Minor);
        Assert.Equal(1_50, prices[Channel.Viber].Minor);
        Assert.DoesNotContain(Channel.Push, prices.Keys); // left at 0: not written
        cut.WaitForAssertion(() => Assert.Equal("4,20", cut.Find("input[data-testid=price-sms]").GetAttribute("value")));
    }
}
