using System.Net;
using Bunit;
using ClosedXML.Excel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using OmniConsole.Core;
using OmniConsole.Core.Common;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Staff;
using OmniConsole.Web.Components.Pages.Reports;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Tests;

/// <summary>The loyalty report on /reports and its Excel file, over the app's database.</summary>
public sealed class LoyaltyReportPageTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    /// <summary>A store purchase (accrual pending) and a marketer's +12.34: figures in this month, store and "no order".</summary>
    private async Task HistoryAsync()
    {
        var results = await app.PostAsync(new[] { Ev.Purchase(new { phone = Ev.NewPhone() }, 2000m, app.Clock.GetUtcNow().AddHours(-1), order: Ev.NewId("ord")) });
        var adjusted = await app.Services.GetRequiredService<BonusAdjustments>()
            .AdjustAsync(long.Parse(results.Single().CustomerId!), new Money(1234), "goodwill", "marketer@test", CancellationToken.None);
        Assert.Equal(AdjustmentOutcome.Done, adjusted.Outcome);
    }

    [Fact]
    public async Task TheExcelFileHasTheReportsFiguresInTypedCells()
    {
        await HistoryAsync();
        var expected = await app.Services.GetRequiredService<LoyaltyReport>().BuildAsync(CancellationToken.None);
        var client = await app.SignedInAsync(Roles.Manager);

        var response = await client.GetAsync(LoyaltyReportWorkbook.DownloadPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OmniConsole.Web.Components.Shared.SmallWorkbook.ContentType, response.Content.Headers.ContentType?.MediaType);
        using var book = new XLWorkbook(await response.Content.ReadAsStreamAsync());
        Assert.Equal(4, book.Worksheets.Count);
        var summary = book.Worksheet(1);
        Assert.Equal(XLDataType.DateTime, summary.Cell(2, 2).DataType);
        Assert.Equal(XLDataType.Number, summary.Cell(4, 2).DataType);
        Assert.Equal((double)expected.Active.Major, summary.Cell(4, 2).GetDouble());
        Assert.Equal((double)expected.Pending.Major, summary.Cell(5, 2).GetDouble());
        Assert.True(expected.Pending.Major >= 100m); // the purchase's 5 % of 2,000 at least

        var months = book.Worksheet(2);
        var rows = months.RowsUsed().Skip(1).ToList();
        Assert.Equal(12, rows.Count);
        Assert.All(rows, r => Assert.Equal(XLDataType.DateTime, r.Cell(1).DataType));
        Assert.All(rows, r => Assert.Equal(XLDataType.Number, r.Cell(2).DataType));
        Assert.Equal(new DateTime(2026, 6, 1), rows[^1].Cell(1).GetDateTime());
        Assert.Equal((double)expected.ByMonth[^1].Movement.Accrued.Major, rows[^1].Cell(2).GetDouble());
        Assert.True(rows[^1].Cell(6).GetDouble() >= 12.34); // adjusted

        var channels = book.Worksheet(3).RowsUsed().Skip(1).ToDictionary(r => r.Cell(1).GetString(), r => r.Cell(2).GetDouble());
        Assert.Equal((double)expected.ByChannel.Single(c => c.Channel == Core.Common.Channel.Store).Movement.Accrued.Major, channels["Store"]);
        Assert.Contains("No order (system)", channels.Keys);
        var rules = book.Worksheet(4).RowsUsed().Skip(1).ToList();
        Assert.Equal("Base earning: 5 % of the paid amount", rules[0].Cell(1).GetString());
        Assert.Equal(XLDataType.Number, rules[0].Cell(2).DataType);
    }

    [Fact]
    public async Task ConsultantsCannotDownloadTheReport()
    {
        var client = await app.SignedInAsync(Roles.Consultant);
        var response = await client.GetAsync(LoyaltyReportWorkbook.DownloadPath);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TheReportSectionShowsLiabilityMonthsChannelsAndRules()
    {
        await HistoryAsync();
        await using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        ctx.Services.AddSingleton(app.Services.GetRequiredService<LoyaltyReport>());
        ctx.Services.AddSingleton(Options.Create(new OmniConsoleOptions()));
        ctx.Services.AddSingleton<DisplayFormat>();
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new("en-US");

        var cut = ctx.Render<LoyaltyReportSection>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=liability-pending]")), TimeSpan.FromSeconds(10));
        var pending = decimal.Parse(cut.Find("[data-testid=liability-pending]").TextContent.Replace("Pending points outstanding", "").Trim(),
            System.Globalization.CultureInfo.GetCultureInfo("en-US"));
        Assert.True(pending >= 100m);
        Assert.Equal(12, cut.FindAll("[data-testid=loyalty-by-month] tbody tr").Count);
        Assert.Contains("Jun 2026", cut.Find("[data-testid=loyalty-by-month] tbody tr:last-child").TextContent);
        Assert.Contains("Store", cut.Find("[data-testid=loyalty-by-channel]").TextContent);
        Assert.Contains("No order (system)", cut.Find("[data-testid=loyalty-by-channel]").TextContent);
        Assert.Contains("Base earning: 5 % of the paid amount", cut.Find("[data-testid=loyalty-top-rules]").TextContent);
        Assert.Equal("/reports/loyalty.xlsx", cut.Find("[data-testid=loyalty-report-download]").GetAttribute("href"));
    }
}
