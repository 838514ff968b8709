namespace OmniConsole.DemoData;

/// <summary>
/// The demo customers whose histories tell the journeys of PRODUCT.md, with fixed identifiers so the README,
/// demos and end-to-end tests can find them. Their recent events lie within the last weeks before "now".
/// </summary>
public static class DemoShowcase
{
    /// <summary>Journey 1 (electronics): laptops browsed in the app, bought in store paying partly with points,
    /// then a push with an accessories promo code that he uses for a mouse in store the next day.</summary>
    public static class AlexeyIvanov
    {
        public const string FirstName = "Алексей";
        public const string LastName = "Иванов";
        public const string Phone = "+79161234567";
        public const string Email = "alexey.ivanov@example.ru";
        public const string CardNumber = "2000000000017";
        public const string StoreCode = "MSK-01";
        /// <summary>Issued by the accessories push, redeemed on the mouse purchase.</summary>
        public const string UsedPromoCode = "ACC-IVANOV15";
    }

    /// <summary>Journey 2 (clothing): skirt to favourites in the app → VK ad click → online order with pickup →
    /// bought in store → "your bonuses are active" push → cross-sell email with tights and blouses.</summary>
    public static class MariaPetrova
    {
        public const string FirstName = "Мария";
        public const string LastName = "Петрова";
        public const string Phone = "+79035550202";
        public const string Email = "maria.petrova@example.ru";
        public const string CardNumber = "2000000000024";
        public const string PickupStoreCode = "MSK-02";
    }

    /// <summary>Abandoned cart: items left in the online cart two days ago, a reminder email with a discount code she has not used yet.</summary>
    public static class OlgaSmirnova
    {
        public const string FirstName = "Ольга";
        public const string LastName = "Смирнова";
        public const string Phone = "+79265550303";
        public const string Email = "olga.smirnova@example.ru";
        public const string CardNumber = "2000000000031";
        /// <summary>Open: unused and still valid.</summary>
        public const string OpenPromoCode = "CART-SMIRNOVA10";
    }

    /// <summary>Win-back: last purchase eight months ago; since then only unopened mailings and a win-back SMS.</summary>
    public static class DmitryKuznetsov
    {
        public const string FirstName = "Дмитрий";
        public const string LastName = "Кузнецов";
        public const string Phone = "+79175550404";
        public const string Email = "dmitry.kuznetsov@example.ru";
        public const string CardNumber = "2000000000048";
        public const int MonthsSinceLastPurchase = 8;
    }

    /// <summary>Continuity of service: a complaint to the call centre about a vacuum cleaner, then a Telegram chat
    /// about the same case, then the return in store.</summary>
    public static class ElenaSokolova
    {
        public const string FirstName = "Елена";
        public const string LastName = "Соколова";
        public const string Phone = "+79855550505";
        public const string Email = "elena.sokolova@example.ru";
        public const string CardNumber = "2000000000055";
    }

    /// <summary>The campaigns of the demo data (message events carry these ids).</summary>
    public static class CampaignIds
    {
        public const string Welcome = "cmp-welcome";
        public const string WelcomeSmsReminder = "cmp-welcome-sms";
        public const string WeeklyDigest = "cmp-weekly-digest";
        public const string CrossSell = "cmp-cross-sell";
        public const string AbandonedCart = "cmp-abandoned-cart";
        public const string AccessoriesPromo = "cmp-accessories";
        public const string FlashSale = "cmp-flash-sale";
        public const string BonusActivated = "cmp-bonus-active";
        public const string WinBack = "cmp-win-back";
        public const string ViberSelection = "cmp-viber-selection";
        public const string TelegramNews = "cmp-telegram-news";
        public const string VkRetargeting = "cmp-vk-retargeting";
    }

    /// <summary>Who made the demo's segments, rules and campaigns: the demo's marketer account (the web app creates the accounts).</summary>
    public const string Marketer = "marketer@omniconsole.demo";

    /// <summary>Who worked the demo's feedback follow-ups: the demo's consultant account.</summary>
    public const string Consultant = "consultant@omniconsole.demo";

    /// <summary>Alexey Ivanov's answer to the demo's survey: a complaint, followed up and closed.</summary>
    public const string IvanovComplaint = "Курьер опоздал на два часа, а в магазине не смогли подсказать, где заказ";
    public const string IvanovFollowUpNote = "Позвонила, извинилась, начислили 500 бонусов за ожидание; курьерскую службу предупредили";

    /// <summary>The <c>Source</c> of every generated channel event and order (bonus activation and expiry items are OmniConsole's own, source <c>system</c>).</summary>
    public const string Source = "demo";

    public static IReadOnlyList<string> Phones { get; } =
        [AlexeyIvanov.Phone, MariaPetrova.Phone, OlgaSmirnova.Phone, DmitryKuznetsov.Phone, ElenaSokolova.Phone];
}
