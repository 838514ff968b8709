using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Audit;

namespace OmniConsole.Web.Tests;

/// <summary>Audit details are stored in English and read in the reader's language, values as they were stored.</summary>
public sealed class AuditTextTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    private static string InRussian(string stored)
    {
        var L = new ServiceCollection().AddLogging().AddLocalization(o => o.ResourcesPath = "Resources").BuildServiceProvider()
            .GetRequiredService<IStringLocalizer<SharedResource>>();
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("ru-RU");
        try { return AuditText.Translate(stored, s => L[s], CultureInfo.CurrentUICulture); }
        finally { CultureInfo.CurrentUICulture = previous; }
    }

    [Fact]
    public void CampaignPriceSegmentAndStaffDetailsReadInRussian()
    {
        Assert.Equal("Весна: запуск (cmp-1): запущена", InRussian(AuditText.Format(AuditText.CampaignLaunched, "Весна: запуск", "cmp-1")));
        Assert.Equal("Цена сообщения (Пуш): 4.20 (была 0.00)", InRussian(AuditText.Format(AuditText.ChannelPrice, "push", "4.20", "0.00")));
        Assert.Equal("vera@example.ru: заблокирован", InRussian(AuditText.Format(AuditText.StaffLocked, "vera@example.ru")));
        // The export, not the shorter version template it also fits; the blank's word translated too.
        Assert.Equal("Сегмент №7 «Москва», версия 3: строк 120, контакты скрыты (выгрузка №9)",
            InRussian(AuditText.Format(AuditText.SegmentExported, 7, "Москва", 3, 120, AuditText.Masked, 9)));
        Assert.Equal("Something else", InRussian("Something else"));
        // Role names and a promo campaign's codes to Excel read in Russian too.
        Assert.Equal("vera@example.ru: роль Консультант → Маркетолог", InRussian(AuditText.Format(AuditText.StaffRole, "vera@example.ru", "Consultant", "Marketer")));
        Assert.Equal("Промоакция №4 «Весна»: кодов в Excel 100", InRussian(AuditText.Format(AuditText.PromoCodesExported, 4, "Весна", 100)));
        Assert.Equal("список клиентов: имя Иванов, телефон +7916 (найдено 12)", InRussian("list: name=Иванов, phone=+7916 (12)"));
        Assert.Equal("vera@example.ru: роль Консультант, Менеджер → Маркетолог", InRussian(AuditText.Format(AuditText.StaffRole, "vera@example.ru", "Consultant, Manager", "Marketer")));
    }

    [Fact]
    public async Task ARulesSnapshotKeepsCyrillicAndPlusAsTyped()
    {
        var rules = app.Services.GetRequiredService<OmniConsole.Core.Loyalty.EarningRuleService>();
        var name = $"Золото: +2 % {Guid.NewGuid():N}"[..24];
        await rules.CreateAsync(new OmniConsole.Core.Loyalty.RuleInput
        {
            Name = name, Kind = "purchase", Status = "draft", Percent = 2, Priority = 5, Conditions = new(), ActivationDays = 14, LifetimeDays = 365,
        }, "marketer@test", default);
        await using var db = await app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<OmniConsole.Core.Data.OmniConsoleDbContext>>().CreateDbContextAsync();
        var details = db.AuditEntries.Where(a => a.Action == AuditAction.EarningRuleCreated).Select(a => a.Details).ToList();
        Assert.Contains(details, d => d!.Contains($"\"name\":\"{name}\"")); // not \u0417… or \u002B

        // The page and its Excel file read the snapshot as the rule in words, in the reader's language.
        var L = new ServiceCollection().AddLogging().AddLocalization(o => o.ResourcesPath = "Resources").BuildServiceProvider()
            .GetRequiredService<IStringLocalizer<SharedResource>>();
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("ru-RU");
        try
        {
            var shown = OmniConsole.Web.Components.Pages.Admin.AuditDetails.Show(details.Single(d => d!.Contains(name)), AuditAction.EarningRuleCreated, L);
            Assert.StartsWith("Правило начисления", shown);
            Assert.Contains("За покупку; черновик; 2 %; приоритет 5; ожидание 14 дн., действуют 365 дн.", shown);
            Assert.DoesNotContain("{", shown);
        }
        finally { CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = previous; }
    }
}
