using System.Net;
using ClosedXML.Excel;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Segments;
using OmniConsole.Core.Staff;
using OmniConsole.Tests;
using OmniConsole.Web.Components.Pages.Admin;
using OmniConsole.Web.Components.Pages.Campaigns;
using OmniConsole.Web.Components.Pages.Reports;
using OmniConsole.Web.Components.Shared;

namespace OmniConsole.Web.Tests;

/// <summary>Every workbook staff download opens in Excel in either language: sheet names within Excel's rules, headers in the user's language.</summary>
public sealed class WorkbookLanguageTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    private async Task<XLWorkbook> DownloadAsync(string path, string culture)
    {
        var admin = await app.SignedInAsync(Roles.Administrator);
        admin.DefaultRequestHeaders.Add("Cookie", $".AspNetCore.Culture={Uri.EscapeDataString($"c={culture}|uic={culture}")}");
        var response = await admin.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} in {culture}: {(int)response.StatusCode}");
        return new XLWorkbook(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
    }

    [Theory]
    [InlineData("ru-RU")]
    [InlineData("en-US")]
    public async Task EveryWorkbookDownloadsWithSheetNamesExcelAccepts(string culture)
    {
        var services = app.Services;
        var segment = await services.GetRequiredService<SegmentService>().CreateAsync("Книги " + Guid.NewGuid().ToString("N")[..6], null,
            SegmentService.ParseOrThrow("""{"attr":"city","op":"eq","value":"Тула"}"""), "marketer@test.ru", default);
        var campaign = await services.GetRequiredService<CampaignService>().CreateAsync(new CampaignInput
        {
            // An experiment, so the results have their experiment sheet too.
            Name = "Книга результатов", SegmentId = segment.Segment.Id, ControlGroupPercent = 10,
            Steps = [new CampaignStep { Channel = "sms", Variants = [new StepVariant { Weight = 1, Text = "Привет" }, new StepVariant { Weight = 1, Text = "Здравствуйте" }] }],
        }, "marketer@test.ru", default);
        var promo = await services.GetRequiredService<PromoCampaignService>().CreateAsync(new PromoCampaignInput
        {
            Name = "Коды книги", Kind = "unique", Count = 2, DiscountPercent = 5, ValidFrom = app.Clock.GetUtcNow().AddDays(-1), UsesPerCustomer = 1, Channels = ["online"],
        }, "marketer@test.ru", default);
        var customer = (await app.PostAsync(new[] { Ev.View(new { phone = Ev.NewPhone() }, app.Clock.GetUtcNow().AddHours(-1)) }))[0].CustomerId;

        string[] paths =
        [
            LoyaltyReportWorkbook.DownloadPath, AuditWorkbook.DownloadPath, CampaignResultsWorkbook.Link(campaign.CampaignId),
            $"/loyalty/promo-campaigns/{promo.PromoCampaignId}/codes.xlsx", $"/customers/{customer}/data.xlsx",
        ];
        foreach (var path in paths)
        {
            using var book = await DownloadAsync(path, culture);
            Assert.All(book.Worksheets, s => Assert.InRange(s.Name.Length, 1, SheetNames.MaxLength));
            if (culture != "ru-RU") continue;
            // Everything the app wrote in a Russian session is Russian: sheet names, headers, values, audit details.
            var english = book.Worksheets.SelectMany(s => s.CellsUsed().Select(c => (Where: $"{s.Name}!{c.Address}", Text: c.GetFormattedString())).Prepend((Where: "sheet", Text: s.Name)))
                .Select(c => (c.Where, c.Text, Words: EnglishWords.In(c.Text))).Where(c => c.Words.Count > 0).ToList();
            Assert.True(english.Count == 0, $"{path}: " + string.Join("; ", english.Take(10).Select(c => $"{c.Where} '{c.Text}' ({string.Join(", ", c.Words)})")));
        }
        using var results = await DownloadAsync(paths[2], culture);
        Assert.Equal(culture == "ru-RU" ? "Эксперимент" : "Experiment", results.Worksheet(3).Name);
        using var codes = await DownloadAsync(paths[3], culture);
        Assert.Equal(culture == "ru-RU" ? ("Промокоды", "Код") : ("Promo codes", "Code"), (codes.Worksheet(1).Name, codes.Worksheet(1).Cell(1, 1).GetString()));
    }

    [Fact]
    public void ANameTooLongOrWithForbiddenCharactersIsMadeToFit()
    {
        Assert.Equal(31, SheetNames.Fit("Правила с наибольшим начислением за период").Length);
        Assert.Equal("Итоги  2026", SheetNames.Fit("Итоги: 2026"));
        Assert.Equal("Sheet", SheetNames.Fit("[]"));
    }
}
