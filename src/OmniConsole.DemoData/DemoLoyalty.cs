using OmniConsole.Core.Loyalty;

namespace OmniConsole.DemoData;

/// <summary>
/// The demo's loyalty programme, set up after the demo data through the same services staff use: three tiers, a welcome
/// and a birthday bonus, a category promotion in the app, a draft for the marketer to try, and a promo campaign of
/// unique codes. The generated history was earned by the default rule alone (the database had only that rule then).
/// </summary>
public sealed class DemoLoyalty(EarningRuleService rules, TierService tiers, PromoCampaignService promos)
{
    private const string Actor = DemoShowcase.Marketer;

    public async Task SetUpAsync(CancellationToken ct)
    {
        // The demo retailer's staff work in Russian: its tiers and its base rule are named as they would name them.
        await tiers.SaveAsync([new("Бронза", 0), new("Серебро", 30_000), new("Золото", 100_000)], Actor, ct);
        if (await rules.GetAsync(EarningRule.DefaultRuleId, ct) is { } baseRule)
        {
            var renamed = EarningRuleService.ToInput(baseRule);
            renamed.Name = "Базовое начисление: 5 % от оплаченной суммы";
            await rules.UpdateAsync(EarningRule.DefaultRuleId, renamed, Actor, ct);
        }
        await rules.CreateAsync(new RuleInput { Name = "Приветственные 500 бонусов", Kind = "welcome", Status = "active", Points = 500, LifetimeDays = 90 }, Actor, ct);
        await rules.CreateAsync(new RuleInput { Name = "300 бонусов в день рождения", Kind = "birthday", Status = "active", Points = 300, LifetimeDays = 30 }, Actor, ct);
        await rules.CreateAsync(new RuleInput
        {
            Name = "x2 на ноутбуки в приложении", Status = "active", Percent = 5, Priority = 10, ActivationDays = 14, LifetimeDays = 365,
            Conditions = new RuleConditionsInput { Channels = ["app"], Categories = ["Ноутбуки"] },
        }, Actor, ct);
        await rules.CreateAsync(new RuleInput
        {
            Name = "Золото: +2 % ко всем покупкам", Status = "draft", Percent = 2, Priority = 5, ActivationDays = 14, LifetimeDays = 365,
            Conditions = new RuleConditionsInput { Tiers = ["Золото"] },
        }, Actor, ct);
        await promos.CreateAsync(new PromoCampaignInput
        {
            Name = "Аксессуары к ноутбуку −10 %", Kind = "unique", Count = 1_000, DiscountPercent = 10, UsesPerCustomer = 1,
        }, Actor, ct);
    }
}
