using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using OmniConsole.Core.Audit;

namespace OmniConsole.Web.Tests;

/// <summary>Audit details are stored in English and read in the reader's language, values as they were stored.</summary>
public sealed class AuditTextTests
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
    }
}
