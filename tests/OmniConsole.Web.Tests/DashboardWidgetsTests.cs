using System.Globalization;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using OmniConsole.Core;
using OmniConsole.Core.Dashboard;
using OmniConsole.Core.Data;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Pages.Dashboard;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Tests;

/// <summary>
/// The dashboard's widgets on known data posted through the channel API (this class has a database of its own):
/// Anna buys in a store and online, Boris in a store and the app (half of the app order returned), Clara twice in a store
/// (the second returned in full).
/// </summary>
public sealed class DashboardWidgetsTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>, IAsyncLifetime
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private DashboardSnapshot _snapshot = default!;

    public async Task InitializeAsync()
    {
        await Once.WaitAsync();
        try
        {
            await using (var db = await app.Services.GetRequiredService<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync())
                if (!await db.Orders.AnyAsync()) await HistoryAsync();
        }
        finally { Once.Release(); }
        _snapshot = await app.Services.GetRequiredService<DashboardFigures>().RefreshAsync(DashboardPeriod.Last30Days, CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task HistoryAsync()
    {
        var now = app.Clock.GetUtcNow();
        var (anna, boris, clara) = (new { phone = Ev.NewPhone() }, new { phone = Ev.NewPhone() }, new { phone = Ev.NewPhone() });
        await app.PostAsync(new[] { Ev.Purchase(anna, 2000m, now.AddDays(-5)) });
        await app.PostAsync(new[] { In(Ev.Purchase(anna, 1000m, now.AddDays(-3)), "online", null) });
        await app.PostAsync(new[] { In(Ev.Purchase(boris, 500m, now.AddDays(-10)), "store", "SPB-01") });
        await app.PostAsync(new[] { In(Ev.Purchase(boris, 3000m, now.AddDays(-2), order: "dash-b2"), "app", null) });
        await app.PostAsync(new[] { Ev.Purchase(clara, 800m, now.AddDays(-20)) });
        await app.PostAsync(new[] { Ev.Purchase(clara, 1200m, now.AddDays(-1), order: "dash-c2") });
        Assert.All(await app.PostAsync(new[] { Return(boris, "dash-b2", 1500m, now.AddHours(-5)), Return(clara, "dash-c2", 1200m, now.AddHours(-4)) }),
            r => Assert.Equal("accepted", r.Status));
    }

    private static Dictionary<string, object?> In(Dictionary<string, object?> e, string channel, string? store)
    {
        e["channel"] = channel;
        e["storeCode"] = store;
        return e;
    }

    private static Dictionary<string, object?> Return(object customer, string order, decimal refunded, DateTimeOffset at) => new()
    {
        ["eventId"] = Ev.NewId(), ["type"] = "return", ["channel"] = "store", ["storeCode"] = "MSK-01", ["occurredAt"] = Ev.At(at), ["customer"] = customer,
        ["order"] = new { orderNumber = order, total = refunded },
    };

    private BunitContext Context()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        ctx.Services.AddSingleton(app.Services.GetRequiredService<DashboardFigures>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<OmniConsole.Core.Campaigns.Delivery.ChannelBreakers>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<OmniConsole.Core.Campaigns.CampaignResults>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<OmniConsole.Core.Feedback.FeedbackService>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<TimeProvider>());
        ctx.Services.AddSingleton(Options.Create(new OmniConsoleOptions()));
        ctx.Services.AddSingleton<DisplayFormat>();
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new("en-US");
        return ctx;
    }

    private static string Text<T>(IRenderedComponent<T> cut, string testId) where T : IComponent => cut.Find($"[data-testid={testId}]").TextContent;

    [Fact]
    public async Task TheNetRevenueIsWhatADirectQuerySumsAndWhatWasWorkedOutByHand()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync();
        var from = _snapshot.FromUtc;
        var direct = await db.Database.SqlQuery<long>($"""
            SELECT SUM("TotalMinor" - "BonusRedeemedMinor" - "RefundedPaidMinor") AS "Value" FROM "Orders" WHERE "Status" = 'Purchased' AND "OccurredAtUtc" >= {from}
            """).SingleAsync();
        Assert.Equal(580000, direct); // 3,000 + (3,500 − 1,500) + (2,000 − 1,200)
        await using var ctx = Context();

        var cut = ctx.Render<SalesWidget>(p => p.Add(w => w.Snapshot, _snapshot));

        Assert.Contains("5,800.00 ₽", Text(cut, "kpi-revenue"));
        Assert.Contains("6", Text(cut, "kpi-purchases"));
        Assert.Contains("2,700.00 ₽", Text(cut, "kpi-refunded"));
        var rows = cut.FindAll("[data-testid=sales-by-channel] tbody tr");
        Assert.Equal(["store", "app", "online"], rows.Select(r => r.GetAttribute("data-channel")));
        Assert.Contains("3,300.00 ₽", rows[0].TextContent); // 2,000 + 500 + 800 + 1,200 − 1,200
        Assert.Contains("1,500.00 ₽", rows[1].TextContent);
        Assert.Contains("1,000.00 ₽", rows[2].TextContent);
        Assert.NotEmpty(cut.FindAll("[data-testid=chart-sales] svg"));
    }

    [Fact]
    public async Task OmnichannelBuyersSpendMoreThanSingleChannelOnes()
    {
        await using var ctx = Context();

        var cut = ctx.Render<OmnichannelWidget>(p => p.Add(w => w.Snapshot, _snapshot));

        Assert.Contains("2 (67%)", Text(cut, "kpi-omni-customers")); // Anna and Boris of three buyers
        Assert.Contains("1", Text(cut, "kpi-single-customers"));
        Assert.Contains("2,500.00 ₽", Text(cut, "kpi-omni-spend")); // (3,000 + 2,000) / 2
        Assert.Contains("800.00 ₽", Text(cut, "kpi-single-spend")); // Clara: 800 + 1,200 − 1,200
        Assert.Contains("3.1×", Text(cut, "omni-ratio"));
    }

    [Fact]
    public async Task CustomersTopStoresAndLiabilityShowTheirFigures()
    {
        await using var ctx = Context();

        var customers = ctx.Render<CustomersWidget>(p => p.Add(w => w.Figures, _snapshot.Customers));
        var stores = ctx.Render<TopStoresWidget>(p => p.Add(w => w.Stores, _snapshot.TopStores));
        var liability = ctx.Render<LiabilityWidget>(p => p.Add(w => w.Liability, _snapshot.Liability));

        Assert.Contains("3", Text(customers, "kpi-customers"));
        Assert.Contains("3", Text(customers, "kpi-active"));
        Assert.Contains("3", Text(customers, "kpi-new-customers"));
        Assert.NotEmpty(customers.FindAll("[data-testid=chart-new-customers] svg"));
        var rows = stores.FindAll("tbody tr");
        Assert.Equal(["MSK-01", "SPB-01"], rows.Select(r => r.GetAttribute("data-store")));
        Assert.Contains("2,800.00 ₽", rows[0].TextContent); // 2,000 + 800 + 1,200 − 1,200
        Assert.Contains("500.00 ₽", rows[1].TextContent);
        // 5 % of every paid amount (425 points), less 5 % of the 1,500 and 1,200 returned; Clara's first 40 are active already.
        Assert.Contains("290", Text(liability, "dashboard-liability-total"));
        Assert.Contains("40", Text(liability, "dashboard-liability-active"));
    }

    [Fact]
    public async Task CampaignsSayThereAreNoneYet()
    {
        await using var ctx = Context();
        ctx.Services.AddSingleton(app.Services.GetRequiredService<IDbContextFactory<OmniConsoleDbContext>>());

        var cut = ctx.Render<CampaignsWidget>();

        cut.WaitForAssertion(() => Assert.Contains("No campaigns yet", cut.Find("[data-testid=campaigns-none]").TextContent));
    }

    [Fact]
    public async Task ThePageSaysHowFreshItsFiguresAreAndSendsConsultantsToTheLookup()
    {
        await using var ctx = Context();
        ctx.AddAuthorization().SetAuthorized("manager@test").SetRoles(Roles.Manager);
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var page = ctx.Render<Home>();

        page.WaitForAssertion(() => Assert.Matches(@"Figures as of 1:00\sPM", page.Find("[data-testid=dashboard-freshness]").TextContent)); // 10:00 UTC in Moscow
        Assert.Contains("5,800.00 ₽", page.Find("[data-testid=kpi-revenue]").TextContent);

        await using var consultant = Context();
        consultant.AddAuthorization().SetAuthorized("consultant@test").SetRoles(Roles.Consultant);
        consultant.Render<Home>();
        Assert.EndsWith("/lookup", consultant.Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 1)]
    [InlineData(7, 2)]
    [InlineData(20, 5)]
    [InlineData(1_000_000, 200_000)]
    public void ValueAxesStepRoundlyToTheFigures(double max, int step) => Assert.Equal(step, DashboardCharts.AxisStep(max));
}
