using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using OmniConsole.Core;
using OmniConsole.Core.Common;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Pages.Customers;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Tests;

/// <summary>The bonus ledger on the 360° card, over the app's services and database, seen by each role.</summary>
public sealed class BonusLedgerCardTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    private BunitContext NewContext(string role)
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        ctx.Services.AddSingleton(app.Services.GetRequiredService<CustomerLedger>());
        ctx.Services.AddSingleton(app.Services.GetRequiredService<BonusAdjustments>());
        ctx.Services.AddSingleton(Options.Create(new OmniConsoleOptions()));
        ctx.Services.AddSingleton<DisplayFormat>();
        ctx.AddAuthorization().SetAuthorized($"{role.ToLowerInvariant()}@omniconsole.demo").SetRoles(role);
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new("en-US");
        ctx.Render<MudBlazor.MudPopoverProvider>();
        return ctx;
    }

    /// <summary>A customer who bought for 2,000 (100 points pending) and got 25 points from a marketer.</summary>
    private async Task<long> CustomerAsync()
    {
        var results = await app.PostAsync(new[] { Ev.Purchase(new { phone = Ev.NewPhone() }, 2000m, app.Clock.GetUtcNow().AddHours(-1), order: Ev.NewId("ord")) });
        var id = long.Parse(results.Single().CustomerId!);
        var adjusted = await app.Services.GetRequiredService<BonusAdjustments>().AdjustAsync(id, new Money(2500), "Apology", "marketer@omniconsole.demo", CancellationToken.None);
        Assert.Equal(AdjustmentOutcome.Done, adjusted.Outcome);
        return id;
    }

    [Fact]
    public async Task LedgerShowsEntriesNewestFirstWithRuleNamesPendingDatesAndRunningBalance()
    {
        var id = await CustomerAsync();
        await using var ctx = NewContext(Roles.Consultant);

        var cut = ctx.Render<CustomerBonusLedger>(p => p.Add(x => x.CustomerId, id));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=bonus-ledger-grid] tbody tr [data-kind]").Count), TimeSpan.FromSeconds(10));
        var rows = cut.FindAll("[data-testid=bonus-ledger-grid] tbody tr");
        Assert.Contains("Manual adjustment", rows[0].TextContent);
        Assert.Contains("Apology", rows[0].TextContent);
        Assert.Equal("+25.00", rows[0].QuerySelector("[data-testid=ledger-amount]")!.TextContent.Trim()); // points: no ₽
        Assert.Equal("125.00", rows[0].QuerySelector("[data-testid=ledger-balance]")!.TextContent.Trim());
        Assert.Contains("Accrual", rows[1].TextContent);
        Assert.Equal("· Base earning: 5 % of the paid amount (v1)", rows[1].QuerySelector("[data-testid=ledger-rule]")!.TextContent.Trim());
        Assert.Contains("pending until", rows[1].TextContent);
        Assert.Equal("100.00", rows[1].QuerySelector("[data-testid=ledger-balance]")!.TextContent.Trim());
        // Booked when the till's event arrived; the purchase itself was an hour earlier, as the timeline says.
        var format = new OmniConsole.Web.Components.Shared.DisplayFormat(Microsoft.Extensions.Options.Options.Create(new OmniConsoleOptions()));
        Assert.Equal($"order of {format.Time(app.Clock.GetUtcNow().AddHours(-1).UtcDateTime)}",
            rows[1].QuerySelector("[data-testid=ledger-order-time]")!.TextContent.Trim());
        Assert.Null(rows[0].QuerySelector("[data-testid=ledger-order-time]")); // an adjustment has no order
        Assert.Contains("No points expire in the next 30 days", cut.Find("[data-testid=bonus-expiring]").TextContent);
    }

    [Theory]
    [InlineData(Roles.Marketer, true)]
    [InlineData(Roles.Administrator, true)]
    [InlineData(Roles.Consultant, false)]
    [InlineData(Roles.Manager, false)]
    public async Task OnlyMarketersAndAdministratorsSeeTheAdjustButton(string role, bool sees)
    {
        var id = await CustomerAsync();
        await using var ctx = NewContext(role);

        var cut = ctx.Render<CustomerBonusLedger>(p => p.Add(x => x.CustomerId, id));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=bonus-ledger-grid] tbody tr [data-kind]")), TimeSpan.FromSeconds(10));
        Assert.Equal(sees, cut.FindAll("[data-testid=bonus-adjust]").Count == 1);
    }

    // MudBlazor puts extra attributes on the input itself or on its wrapper, depending on the field.
    private static AngleSharp.Dom.IElement Field(IRenderedComponent<MudBlazor.MudDialogProvider> cut, string id) =>
        cut.FindAll($"input[data-testid={id}], textarea[data-testid={id}]").FirstOrDefault() ?? cut.Find($"[data-testid={id}] input, [data-testid={id}] textarea");

    [Fact]
    public async Task AnAdjustmentBelowZeroIsRefusedWithAReadableMessage()
    {
        var id = await CustomerAsync(); // 25 active
        await using var ctx = NewContext(Roles.Marketer);
        var dialogs = ctx.Render<MudBlazor.MudDialogProvider>();
        var cut = ctx.Render<CustomerBonusLedger>(p => p.Add(x => x.CustomerId, id));

        await cut.InvokeAsync(() => cut.Find("[data-testid=bonus-adjust]").Click());
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-testid=adjust-apply]")));
        Field(dialogs, "adjust-amount").Input("-30");
        Field(dialogs, "adjust-reason").Input("duplicate");
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=adjust-apply]").Click());

        dialogs.WaitForAssertion(() => Assert.Contains("Only 25.00 points are active", dialogs.Find("[data-testid=adjust-error]").TextContent));
        var page = await app.Services.GetRequiredService<CustomerLedger>().ReadAsync(id, 0, 10, CancellationToken.None);
        Assert.Equal(2, page.Total); // nothing written
    }
}
