using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using OmniConsole.Core;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Timeline;
using OmniConsole.Web.Components.Pages.Customers;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Tests;

/// <summary>The parts of the 360° page, rendered with the data a consultant would see.</summary>
public sealed class CustomerCardPartsTests
{
    private static readonly DateTime At = new(2026, 5, 20, 9, 0, 0, DateTimeKind.Utc);

    // MudBlazor's services dispose asynchronously only: each test owns its context and disposes it with await.
    private static BunitContext NewContext()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        ctx.Services.AddSingleton(Options.Create(new OmniConsoleOptions()));
        ctx.Services.AddSingleton<DisplayFormat>();
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new("en-US");
        return ctx;
    }

    [Fact]
    public async Task HeaderShowsIdentifiersBalanceAndConsents()
    {
        await using var ctx = NewContext();
        var header = new CustomerCard.Header(42, "Алексей Иванов", "Алексей", "Иванов", new DateOnly(1990, 4, 1), Gender.Male, "Москва", At,
            "Электроника, Москва", LoyaltyTiers.Base, new BonusBalance(new Money(123456), new Money(5000)),
            [new(IdentifierKind.Phone, "+79161234567", ""), new(IdentifierKind.Card, "2000000000017", "")],
            [new(Channel.Email, true, At), new(Channel.Sms, false, At)]);

        var cut = ctx.Render<CustomerHeader>(p => p.Add(x => x.Header, header));

        Assert.Equal("Алексей Иванов", cut.Find("[data-testid=customer-name]").TextContent);
        // A 100-character name without a space wraps inside the header instead of running off it.
        Assert.Contains("overflow-wrap: anywhere", cut.Find("[data-testid=customer-name]").GetAttribute("style"));
        // Points are points: no ₽ sign.
        Assert.Equal("1,234.56", cut.Find("[data-testid=bonus-active]").TextContent.Trim());
        Assert.Equal("50.00", cut.Find("[data-testid=bonus-pending]").TextContent.Trim());
        Assert.Contains("+7 916 123-45-67", cut.Find("[data-testid=customer-identifiers]").TextContent);
        Assert.Contains("born 4/1/1990", cut.Find("[data-testid=customer-birth-date]").TextContent);
        Assert.NotEmpty(cut.FindAll("[data-consent='email:yes']"));
        Assert.NotEmpty(cut.FindAll("[data-consent='sms:no']"));
        Assert.NotEmpty(cut.FindAll("[data-consent='push:no']"));
    }

    [Fact]
    public async Task AConsultantSeesOnlyTheIdentifierTheySearchedByInFull()
    {
        await using var ctx = NewContext();
        var header = new CustomerCard.Header(42, "Алексей Иванов", "Алексей", "Иванов", null, null, null, At, null, LoyaltyTiers.Base,
            new BonusBalance(Money.Zero, Money.Zero),
            [new(IdentifierKind.Phone, "+79161234567", ""), new(IdentifierKind.Email, "alexey@example.ru", ""), new(IdentifierKind.Card, "2000000000017", "")], []);

        var cut = ctx.Render<CustomerHeader>(p => p.Add(x => x.Header, header).Add(x => x.MaskContacts, true)
            .Add(x => x.Unmasked, new HashSet<string> { "+79161234567" }));

        var shown = cut.Find("[data-testid=customer-identifiers]").TextContent;
        Assert.Contains("+7 916 123-45-67", shown);       // searched by: in full
        Assert.Contains("a•••••@example.ru", shown);      // the others masked
        Assert.Contains("•••••••••0017", shown);
        Assert.DoesNotContain("alexey", shown);
        Assert.DoesNotContain("2000000000017", shown);
    }

    [Fact]
    public async Task InterestsShowTheOpenCartFavouritesAndPromoCodes()
    {
        await using var ctx = NewContext();
        var interests = new CustomerCard.Interests(
            [new LinePayload("SK-1", "Юбка миди", "Юбки", "Zarina", 2, 299000)], At,
            [new CustomerCard.ProductSeen("SK-2", "Колготки", "Аксессуары", 49900, At, Channel.App)],
            [],
            [new CustomerCard.OpenPromoCode("MOUSE10", "10 % на аксессуары", At.AddDays(7), 10, null)]);

        var cut = ctx.Render<CustomerInterests>(p => p.Add(x => x.Interests, interests));

        Assert.Contains("Юбка миди", cut.Find("[data-testid=interest-cart]").TextContent);
        Assert.Contains("5,980.00 ₽", cut.Find("[data-testid=interest-cart]").TextContent);
        Assert.Contains("Колготки", cut.Find("[data-testid=interest-wishlist]").TextContent);
        Assert.Contains("None", cut.Find("[data-testid=interest-viewed]").TextContent);
        Assert.Contains("MOUSE10", cut.Find("[data-testid=interest-promocodes]").TextContent);
    }

    [Fact]
    public async Task KpisShowValueFrequencyAndFavourites()
    {
        await using var ctx = NewContext();
        var kpis = new CustomerCard.Kpis(new Money(1_500_000), 12, new Money(125_000), At, 30.4, Channel.Store,
            ["Ноутбуки", "Аксессуары"], ["Acme"], [Channel.Store, Channel.App, Channel.Push]);

        var cut = ctx.Render<CustomerKpis>(p => p.Add(x => x.Kpis, kpis));

        Assert.Contains("15,000.00 ₽", cut.Find("[data-testid=kpi-ltv]").TextContent);
        Assert.Contains("paid, net of refunds", cut.Find("[data-testid=kpi-ltv]").TextContent);
        Assert.Contains("lifetime value ÷ orders", cut.Find("[data-testid=kpi-average]").TextContent);
        Assert.Contains("12", cut.Find("[data-testid=kpi-orders]").TextContent);
        Assert.Contains("30 days", cut.Find("[data-testid=kpi-frequency]").TextContent);
        Assert.Contains("Store", cut.Find("[data-testid=kpi-channel]").TextContent);
        Assert.Contains("Ноутбуки, Аксессуары", cut.Find("[data-testid=kpi-categories]").TextContent);
        Assert.Equal(3, cut.FindAll("[data-testid=channels-used] [data-channel]").Count);
    }
}
