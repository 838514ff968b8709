using OmniConsole.Core.Catalog;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.Timeline;
using static OmniConsole.DemoData.DemoShowcase;

namespace OmniConsole.DemoData;

/// <summary>
/// The scripted histories of the <see cref="DemoShowcase"/> customers. Times are Moscow days relative to now
/// (<c>Day(-10, 14.5)</c> = ten days ago at 14:30 MSK), so the journeys always end in the last weeks.
/// Bonus effects (redemptions, accruals, activation) are worked out by the recorder like everyone else's.
/// </summary>
internal sealed class ShowcaseHistories(DemoCatalog catalog, DemoIdentifiers identifiers, DateTime nowUtc, int? activationDelayDays)
{
    private const int MoscowOffsetHours = 3;
    private HistoryPlan _plan = null!;
    private CustomerProfile _customer = null!;
    private int _messages;

    public IEnumerable<(CustomerProfile Profile, HistoryPlan Plan)> Create(IdSequences ids)
    {
        yield return AlexeyIvanovJourney(ids.NextCustomer());
        yield return MariaPetrovaJourney(ids.NextCustomer());
        yield return OlgaSmirnovaJourney(ids.NextCustomer());
        yield return DmitryKuznetsovJourney(ids.NextCustomer());
        yield return ElenaSokolovaJourney(ids.NextCustomer());
    }

    /// <summary>Journey 1: laptops in the app → consultation and purchase in store paying with points → accessories push with a code → a mouse with that code the next day.</summary>
    private (CustomerProfile, HistoryPlan) AlexeyIvanovJourney(long id)
    {
        var msk01 = catalog.Store(AlexeyIvanov.StoreCode);
        Begin(new CustomerProfile
        {
            Id = id, Gender = Gender.Male, FirstName = AlexeyIvanov.FirstName, LastName = AlexeyIvanov.LastName,
            BirthDate = new DateOnly(1986, 4, 12), City = catalog.City("Москва"), HomeStore = msk01,
            RegisteredAt = Day(-420, 12.25), RegisteredIn = Channel.Store, Segment = Segment.Active, BuysUntil = nowUtc, EngagedUntil = nowUtc,
            Phone = AlexeyIvanov.Phone, Email = AlexeyIvanov.Email, CardNumber = AlexeyIvanov.CardNumber,
            AppInstalledAt = Day(-300, 20), ShopsOnline = true,
            Consents = new()
            {
                [Channel.Email] = new(Day(-420, 12.3), true), [Channel.Sms] = new(Day(-420, 12.3), false),
                [Channel.Push] = new(Day(-300, 20.02), true),
            },
            Interests = [catalog.Category("Ноутбуки"), catalog.Category("Аксессуары"), catalog.Category("Телевизоры")],
        });
        SignUp(welcomeOpened: true);
        Purchase(Day(-400, 18.5), msk01, [("TV-1002", 1)]);
        Message(CampaignIds.WeeklyDigest, Day(-330, 10), opened: true);
        Purchase(Day(-150, 19.2), msk01, [("PHN-1004", 1), ("ACC-1012", 1)], redeemShare: 1);
        Message(CampaignIds.WeeklyDigest, Day(-90, 10), opened: false);
        OnlineOrderDelivered(Day(-60, 21.3), Channel.App, [("HPH-1001", 1)], deliveredAfterDays: 2);

        var app = Channel.App;
        View(Day(-12, 21), app, "LAP-1001");
        View(Day(-12, 21.05), app, "LAP-1002");
        View(Day(-12, 21.1), app, "LAP-1016");
        Add(Day(-12, 21.15), EventType.WishlistAdded, app, product: Product("LAP-1002"));
        Add(Day(-10, 15), EventType.StoreVisit, Channel.Store, store: msk01, text: "Консультация по ноутбукам: сравнили IdeaPad и MagicBook");
        Purchase(Day(-10, 15.5), msk01, [("LAP-1002", 1), ("ACC-1006", 1)], redeemShare: 1);

        var promo = new PlannedPromo(AlexeyIvanov.UsedPromoCode, CampaignIds.AccessoriesPromo, "−15 % на аксессуары к ноутбуку", 15, Day(-3, 12), Day(-3, 12).AddDays(7));
        Message(CampaignIds.AccessoriesPromo, promo.IssuedAt, opened: true, clicked: true, promo,
            $"Ваш промокод {promo.Code}: −15 % на аксессуары к новому ноутбуку");
        View(Day(-3, 12.15), app, "ACC-1002");
        Purchase(Day(-2, 13.4), msk01, [("ACC-1002", 1)], promo: promo);
        return (_customer, _plan);
    }

    /// <summary>Journey 2: skirt to favourites → VK ad → online order with pickup → bought in store → "bonuses active" push → cross-sell email.</summary>
    private (CustomerProfile, HistoryPlan) MariaPetrovaJourney(long id)
    {
        var pickupStore = catalog.Store(MariaPetrova.PickupStoreCode);
        Begin(new CustomerProfile
        {
            Id = id, Gender = Gender.Female, FirstName = MariaPetrova.FirstName, LastName = MariaPetrova.LastName,
            BirthDate = new DateOnly(1994, 9, 3), City = catalog.City("Москва"), HomeStore = pickupStore,
            RegisteredAt = Day(-300, 19), RegisteredIn = Channel.Online, Segment = Segment.Active, BuysUntil = nowUtc, EngagedUntil = nowUtc,
            Phone = MariaPetrova.Phone, Email = MariaPetrova.Email, CardNumber = MariaPetrova.CardNumber,
            AppInstalledAt = Day(-200, 9), ShopsOnline = true,
            Consents = new()
            {
                [Channel.Email] = new(Day(-300, 19.05), true), [Channel.Sms] = new(Day(-300, 19.05), true),
                [Channel.Push] = new(Day(-200, 9.02), true),
            },
            Interests = [catalog.Category("Юбки"), catalog.Category("Блузки"), catalog.Category("Колготки")],
        });
        SignUp(welcomeOpened: true);
        OnlineOrderDelivered(Day(-280, 20), Channel.Online, [("DRS-1004", 1)], deliveredAfterDays: 3);
        Purchase(Day(-120, 17.5), pickupStore, [("JNS-1010", 1), ("TSH-1004", 2)]);
        Message(CampaignIds.WeeklyDigest, Day(-60, 10), opened: true);

        var skirt = Product("SKR-1001");
        View(Day(-26, 20.2), Channel.App, skirt.Sku);
        Add(Day(-26, 20.25), EventType.WishlistAdded, Channel.App, product: skirt);
        Add(Day(-25, 13.1), EventType.AdClick, Channel.Social, product: skirt,
            message: new PlannedMessage(catalog.CampaignAt(CampaignIds.VkRetargeting, Day(-25, 13.1)), $"ad-{id}-{++_messages}"));
        View(Day(-25, 13.12), Channel.Online, skirt.Sku);
        var order = Order("WEB", [("SKR-1001", 1)]);
        Add(Day(-25, 13.2), EventType.CartUpdated, Channel.Online, cart: order.Lines);
        Add(Day(-25, 13.25), EventType.OrderPlaced, Channel.Online, store: pickupStore, order: order, text: "Примерка и самовывоз в магазине");
        Add(Day(-25, 13.26), EventType.CartUpdated, Channel.Online, cart: []);
        var boughtAt = Day(-23, 18.6);
        Add(boughtAt, EventType.Purchase, Channel.Store, store: pickupStore, order: order);
        // The trigger and the cross-sell follow the activation, which the earning rules schedule (14 days by default).
        var activatedAt = boughtAt.AddDays(activationDelayDays ?? 0);
        if (activationDelayDays is not null && activatedAt.AddHours(2) < nowUtc)
            Message(CampaignIds.BonusActivated, activatedAt.AddHours(2), opened: true, clicked: false, text: "Бонусы за юбку активны — ими можно оплатить до 50 % покупки");
        var crossSellAt = OnDay(activatedAt.AddDays(1), 10.5);
        if (crossSellAt.AddHours(1) < nowUtc)
        {
            Message(CampaignIds.CrossSell, crossSellAt, opened: true, clicked: true, text: "К вашей юбке: колготки и блузки");
            View(crossSellAt.AddMinutes(40), Channel.Online, "TGH-1004");
            View(crossSellAt.AddMinutes(43), Channel.Online, "BLS-1004");
        }
        return (_customer, _plan);
    }

    /// <summary>Abandoned cart: items left two days ago, a reminder email with a discount code, not used yet.</summary>
    private (CustomerProfile, HistoryPlan) OlgaSmirnovaJourney(long id)
    {
        var store = catalog.Store("MSK-03");
        Begin(new CustomerProfile
        {
            Id = id, Gender = Gender.Female, FirstName = OlgaSmirnova.FirstName, LastName = OlgaSmirnova.LastName,
            BirthDate = new DateOnly(1979, 1, 27), City = catalog.City("Москва"), HomeStore = store,
            RegisteredAt = Day(-200, 11), RegisteredIn = Channel.App, Segment = Segment.Active, BuysUntil = nowUtc, EngagedUntil = nowUtc,
            Phone = OlgaSmirnova.Phone, Email = OlgaSmirnova.Email, CardNumber = OlgaSmirnova.CardNumber,
            AppInstalledAt = Day(-200, 11), ShopsOnline = true,
            Consents = new()
            {
                [Channel.Email] = new(Day(-200, 11.05), true), [Channel.Sms] = new(Day(-200, 11.05), false),
                [Channel.Push] = new(Day(-200, 11.02), false),
            },
            Interests = [catalog.Category("Кухонная техника"), catalog.Category("Посуда"), catalog.Category("Текстиль")],
        });
        SignUp(welcomeOpened: false);
        Purchase(Day(-150, 12.5), store, [("CKW-1002", 1), ("TXT-1005", 1)]);
        OnlineOrderDelivered(Day(-90, 21), Channel.App, [("KIT-1003", 1)], deliveredAfterDays: 2);

        View(Day(-2, 21.05), Channel.Online, "KIT-1006");
        View(Day(-2, 21.1), Channel.Online, "KIT-1005");
        View(Day(-2, 21.15), Channel.Online, "CKW-1006");
        List<LinePayload> cart = [DemoCatalog.Line(catalog.Product("KIT-1006")), DemoCatalog.Line(catalog.Product("CKW-1006"), 2)];
        Add(Day(-2, 21.2), EventType.CartUpdated, Channel.Online, cart: cart);
        var promo = new PlannedPromo(OlgaSmirnova.OpenPromoCode, CampaignIds.AbandonedCart, "−10 % на товары из корзины", 10, Day(-1, 10), Day(-1, 10).AddDays(3));
        Message(CampaignIds.AbandonedCart, promo.IssuedAt, opened: true, clicked: false, promo,
            $"Вы забыли кофемашину в корзине. Промокод {promo.Code}: −10 % в течение трёх дней");
        return (_customer, _plan);
    }

    /// <summary>Win-back: regular purchases until eight months ago, since then only unopened mailings and a win-back SMS.</summary>
    private (CustomerProfile, HistoryPlan) DmitryKuznetsovJourney(long id)
    {
        var store = catalog.Store("SPB-01");
        var lastPurchase = OnDay(nowUtc.AddMonths(-DmitryKuznetsov.MonthsSinceLastPurchase), 18.3);
        Begin(new CustomerProfile
        {
            Id = id, Gender = Gender.Male, FirstName = DmitryKuznetsov.FirstName, LastName = DmitryKuznetsov.LastName,
            BirthDate = new DateOnly(1971, 6, 30), City = catalog.City("Санкт-Петербург"), HomeStore = store,
            RegisteredAt = Day(-520, 16), RegisteredIn = Channel.Store, Segment = Segment.Lapsed, BuysUntil = lastPurchase,
            EngagedUntil = lastPurchase.AddDays(10),
            Phone = DmitryKuznetsov.Phone, Email = DmitryKuznetsov.Email, CardNumber = DmitryKuznetsov.CardNumber, ShopsOnline = false,
            Consents = new() { [Channel.Email] = new(Day(-520, 16.05), true), [Channel.Sms] = new(Day(-520, 16.05), true) },
            Interests = [catalog.Category("Бытовая техника"), catalog.Category("Телевизоры"), catalog.Category("Джинсы")],
        });
        SignUp(welcomeOpened: true);
        Purchase(Day(-500, 17), store, [("APL-1004", 1)]);
        Purchase(Day(-400, 13), store, [("TV-1011", 1)]);
        Purchase(Day(-310, 19), store, [("JNS-1008", 1), ("ACC-1009", 1)]);
        Purchase(lastPurchase, store, [("APL-1007", 1)], redeemShare: 1);
        for (var daysAgo = -200; daysAgo < 0; daysAgo += 35) Message(CampaignIds.WeeklyDigest, Day(daysAgo, 10), opened: false);
        var promo = new PlannedPromo("BACK-KUZNETSOV20", CampaignIds.WinBack, "−20 % на покупку: возвращайтесь", 20, Day(-5, 11), Day(-5, 11).AddDays(14));
        Message(CampaignIds.WinBack, promo.IssuedAt, opened: false, clicked: false, promo, $"Дмитрий, мы скучаем! −20 % по коду {promo.Code} в течение двух недель");
        return (_customer, _plan);
    }

    /// <summary>Continuity of service: the call-centre complaint is visible to the Telegram agent the next day; the vacuum cleaner is returned in store.</summary>
    private (CustomerProfile, HistoryPlan) ElenaSokolovaJourney(long id)
    {
        var store = catalog.Store("MSK-04");
        Begin(new CustomerProfile
        {
            Id = id, Gender = Gender.Female, FirstName = ElenaSokolova.FirstName, LastName = ElenaSokolova.LastName,
            BirthDate = new DateOnly(1990, 11, 8), City = catalog.City("Москва"), HomeStore = store,
            RegisteredAt = Day(-330, 14), RegisteredIn = Channel.Online, Segment = Segment.Active, BuysUntil = nowUtc, EngagedUntil = nowUtc,
            Phone = ElenaSokolova.Phone, Email = ElenaSokolova.Email, CardNumber = ElenaSokolova.CardNumber, ShopsOnline = true,
            Consents = new()
            {
                [Channel.Email] = new(Day(-330, 14.05), true), [Channel.Sms] = new(Day(-330, 14.05), true),
                [Channel.Telegram] = new(Day(-330, 14.05), true),
            },
            Interests = [catalog.Category("Бытовая техника"), catalog.Category("Платья"), catalog.Category("Посуда")],
        });
        SignUp(welcomeOpened: true);
        Purchase(Day(-200, 18), store, [("DRS-1007", 1), ("TGH-1002", 2)]);
        Message(CampaignIds.TelegramNews, Day(-45, 11), opened: true);

        var vacuum = Product("APL-1003");
        View(Day(-15, 20), Channel.Online, vacuum.Sku);
        var bought = Order(DemoCatalog.OrderPrefix(store), [(vacuum.Sku, 1)]);
        Add(Day(-14, 17.5), EventType.Purchase, Channel.Store, store: store, order: bought);
        Add(Day(-6, 11.3), EventType.Call, Channel.CallCenter,
            text: $"Жалоба: пылесос {vacuum.Brand} перестал включаться через неделю после покупки. Заявка на возврат, чек {bought.Number}");
        Add(Day(-5, 19.75), EventType.Chat, Channel.Telegram,
            text: "Продолжение обращения из колл-центра: можно ли вернуть пылесос в магазине на Земляном Валу? Подтвердили, заявка уже есть");
        Add(Day(-4, 13), EventType.Return, Channel.Store, store: store, @return: new PlannedReturn(bought, bought.Lines));
        return (_customer, _plan);
    }

    // ---------- script building blocks ----------

    private void Begin(CustomerProfile customer)
    {
        _customer = customer;
        _plan = new HistoryPlan();
        _messages = 0;
    }

    private void SignUp(bool welcomeOpened)
    {
        var c = _customer;
        var store = c.RegisteredIn == Channel.Store ? c.HomeStore : null;
        if (c.AppInstalledAt is { } installed) Add(installed, EventType.AppInstalled, Channel.App);
        Add(c.RegisteredAt, EventType.ProfileUpdated, c.RegisteredIn, store: store);
        foreach (var decision in c.Consents.GroupBy(kv => kv.Value.DecidedAt))
            Add(decision.Key, EventType.ConsentChanged, decision.Any(kv => kv.Key == Channel.Push) ? Channel.App : c.RegisteredIn,
                consents: decision.ToDictionary(kv => kv.Key, kv => kv.Value.Initially));
        Message(CampaignIds.Welcome, c.RegisteredAt.AddMinutes(10), opened: welcomeOpened, clicked: welcomeOpened);
    }

    private void Purchase(DateTime at, Store store, (string Sku, int Quantity)[] items, double redeemShare = 0, PlannedPromo? promo = null) =>
        Add(at, EventType.Purchase, Channel.Store, store: store, order: Order(DemoCatalog.OrderPrefix(store), items, promo, redeemShare));

    private void OnlineOrderDelivered(DateTime at, Channel channel, (string Sku, int Quantity)[] items, int deliveredAfterDays)
    {
        var order = Order(channel == Channel.App ? "APP" : "WEB", items);
        Add(at, EventType.CartUpdated, channel, cart: order.Lines);
        Add(at.AddMinutes(4), EventType.OrderPlaced, channel, order: order);
        Add(at.AddMinutes(5), EventType.CartUpdated, channel, cart: []);
        Add(OnDay(at.AddDays(deliveredAfterDays), 15), EventType.Purchase, channel, order: order);
    }

    private void View(DateTime at, Channel channel, string sku) => Add(at, EventType.ProductViewed, channel, product: Product(sku));

    private void Message(string campaignId, DateTime at, bool opened, bool clicked = false, PlannedPromo? promo = null, string? text = null)
    {
        var campaign = catalog.CampaignAt(campaignId, at);
        var channel = campaign.Channel!.Value;
        var message = new PlannedMessage(campaign, $"msg-{_customer.Id}-{++_messages}", promo);
        Add(at, EventType.MessageDelivered, channel, message: message, text: text);
        if (opened) Add(at.AddMinutes(5), EventType.MessageOpened, channel, message: message);
        if (clicked) Add(at.AddMinutes(6), EventType.MessageClicked, channel, message: message);
    }

    private PlannedOrder Order(string prefix, (string Sku, int Quantity)[] items, PlannedPromo? promo = null, double redeemShare = 0) =>
        new(identifiers.NextOrderNumber(prefix), items.Select(i => DemoCatalog.Line(catalog.Product(i.Sku), i.Quantity)).ToList(), promo, redeemShare);

    private ProductPayload Product(string sku) => DemoCatalog.Payload(catalog.Product(sku));

    private void Add(DateTime at, EventType type, Channel channel, Store? store = null, ProductPayload? product = null, List<LinePayload>? cart = null,
        PlannedOrder? order = null, PlannedReturn? @return = null, PlannedMessage? message = null, Dictionary<Channel, bool>? consents = null, string? text = null)
    {
        if (at > nowUtc) throw new InvalidOperationException($"The showcase script plans {type} at {at:O}, after now ({nowUtc:O}).");
        _plan.Add(new PlannedEvent
        {
            At = at, Type = type, Channel = channel, Store = store, Product = product, Cart = cart, Order = order, Return = @return,
            Message = message, Consents = consents, Text = text,
        });
    }

    /// <summary><paramref name="days"/> from today (Moscow), at <paramref name="mskHour"/> Moscow time.</summary>
    private DateTime Day(int days, double mskHour) => OnDay(nowUtc.AddDays(days), mskHour);

    private static DateTime OnDay(DateTime utc, double mskHour)
    {
        var mskDay = utc.AddHours(MoscowOffsetHours).Date;
        return DateTime.SpecifyKind(mskDay.AddSeconds(Math.Round(mskHour * 3600)).AddHours(-MoscowOffsetHours), DateTimeKind.Utc);
    }
}
