using System.Globalization;
using OmniConsole.Core.Catalog;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Timeline;
using static OmniConsole.DemoData.DemoShowcase;

namespace OmniConsole.DemoData;

internal sealed partial class HistoryPlanner
{
    private enum Episode { Browse, StorePurchase, OnlineOrder, AbandonedCart, Campaign, PersonalOffer, Service, AdClick, StoreVisit, ProfileUpdate, WinBack }

    private static readonly (Episode Kind, double Weight)[] EpisodeWeights =
    [
        (Episode.Browse, 0.24), (Episode.StorePurchase, 0.13), (Episode.OnlineOrder, 0.09), (Episode.AbandonedCart, 0.035),
        (Episode.Campaign, 0.24), (Episode.PersonalOffer, 0.03), (Episode.Service, 0.05), (Episode.AdClick, 0.07),
        (Episode.StoreVisit, 0.05), (Episode.ProfileUpdate, 0.015), (Episode.WinBack, 0.02),
    ];

    private static readonly double TotalEpisodeWeight = EpisodeWeights.Sum(e => e.Weight);

    private static readonly string[] CallNotes =
    [
        "Уточнил статус заказа: передан в доставку", "Спрашивает о наличии «{0}» в магазине {1}",
        "Консультация по бонусной программе: как списать баллы на кассе", "Просит перенести доставку на выходные",
        "Вопрос по гарантии на «{0}»", "Не приходит SMS с кодом, помогли войти в приложение",
        "Хочет изменить e-mail в профиле", "Уточняет, когда сгорают бонусы",
    ];

    private static readonly string[] ChatNotes =
    [
        "Спросила, можно ли вернуть товар без чека", "Уточняет сроки доставки в {2}", "Помогли подобрать размер: «{0}»",
        "Промокод не применяется на сайте — подсказали, что он действует только на аксессуары", "Спросил про рассрочку на «{0}»",
        "Есть ли «{0}» в магазине {1}? Отложили до вечера",
    ];

    private static readonly (string Complaint, string FollowUp)[] Complaints =
    [
        ("Жалоба: «{0}» пришёл с дефектом, оформили заявку на обмен", "Продолжение обращения по «{0}»: уточняет дату обмена"),
        ("Жалоба: курьер опоздал на три часа", "Повторное обращение: просит компенсацию за опоздание курьера"),
        ("Жалоба: списали бонусы, но заказ отменён", "Продолжение: бонусы вернули, клиент доволен"),
    ];

    private static readonly string[] Reviews =
    [
        "★★★★★ «{0}»: отличное качество, рекомендую", "★★★★☆ Хороший товар, но доставка задержалась на день",
        "★★★★★ Консультант в магазине помог с выбором, спасибо!", "★★★☆☆ «{0}»: маломерит, пришлось менять размер",
        "★★★★★ Всё пришло быстро, упаковка целая", "★★☆☆☆ «{0}»: ожидал большего за эти деньги",
    ];

    private void RandomEpisode()
    {
        var roll = random.NextDouble() * TotalEpisodeWeight;
        var kind = EpisodeWeights[^1].Kind;
        foreach (var (k, weight) in EpisodeWeights)
        {
            if ((roll -= weight) < 0) { kind = k; break; }
        }

        var c = _customer;
        var start = c.RegisteredAt.AddHours(1);
        switch (kind)
        {
            case Episode.Browse: Browse(Moment(start, c.EngagedUntil, DigitalHours)); break;
            case Episode.StorePurchase when c.BuysUntil is { } until: StorePurchase(Moment(start, until, StoreHours)); break;
            case Episode.OnlineOrder when c.BuysUntil is { } until: OnlineOrder(Moment(start, until, DigitalHours)); break;
            case Episode.AbandonedCart: AbandonedCart(Moment(start, c.EngagedUntil, DigitalHours)); break;
            case Episode.Campaign: Campaign(Moment(start, nowUtc, MailingHours)); break;
            case Episode.PersonalOffer: PersonalOffer(Moment(start, nowUtc, MailingHours)); break;
            case Episode.Service: Service(Moment(start, c.EngagedUntil, ServiceHours)); break;
            case Episode.AdClick: AdClick(Moment(start, c.EngagedUntil, DigitalHours)); break;
            case Episode.StoreVisit: StoreVisit(Moment(start, c.EngagedUntil, StoreHours)); break;
            case Episode.ProfileUpdate:
                var at = Moment(start, c.EngagedUntil, DigitalHours);
                Add(new() { At = at, Type = EventType.ProfileUpdated, Channel = DigitalChannel(at) });
                break;
            case Episode.WinBack when c.Segment == Segment.Lapsed: WinBack(Moment(c.EngagedUntil, nowUtc, MailingHours)); break;
        }
    }

    /// <summary>A few products of one category looked at in the app or on the site, sometimes one saved to favourites.</summary>
    private void Browse(DateTime at, CategoryInfo? category = null)
    {
        var channel = DigitalChannel(at);
        category ??= InterestCategory();
        Product? last = null;
        for (var i = random.Next(2, 7); i > 0 && at <= nowUtc; i--, at = Later(at, 1, 6))
        {
            last = AnyProduct(category);
            Add(new() { At = at, Type = EventType.ProductViewed, Channel = channel, Product = DemoCatalog.Payload(last) });
        }
        if (last is not null && at <= nowUtc && random.NextDouble() < 0.3)
            Add(new() { At = at, Type = EventType.WishlistAdded, Channel = channel, Product = DemoCatalog.Payload(last) });
    }

    private void StorePurchase(DateTime at, CategoryInfo? category = null, Product? main = null, PlannedPromo? promo = null, bool followUps = true)
    {
        if (!_customer.ShopsInStore || !_customer.CanBuy(at) || at > nowUtc) return;
        var store = PickStore();
        var order = new PlannedOrder(identifiers.NextOrderNumber(DemoCatalog.OrderPrefix(store)), Basket(category ?? InterestCategory(), main), promo, RedeemShare(0.3));
        Add(new() { At = at, Type = EventType.Purchase, Channel = Channel.Store, Store = store, Order = order });
        if (followUps) AfterPurchase(order, at, Channel.Store, store);
    }

    /// <summary>
    /// Cart, order placed in the app or on the site (delivery, or pickup in a store), the cart emptied, then the purchase
    /// when the order is delivered or collected — unless that is still ahead: then the order waits as placed.
    /// </summary>
    private void OnlineOrder(DateTime at, CategoryInfo? category = null, List<LinePayload>? lines = null, PlannedPromo? promo = null, bool followUps = true)
    {
        if (!_customer.CanBuy(at) || at > nowUtc) return;
        var channel = DigitalChannel(at);
        if (lines is null)
        {
            category ??= InterestCategory();
            var main = AnyProduct(category);
            Add(new() { At = at, Type = EventType.ProductViewed, Channel = channel, Product = DemoCatalog.Payload(main) });
            lines = Basket(category, main);
            at = Later(at, 2, 15);
        }
        if (at > nowUtc) return;
        Add(new() { At = at, Type = EventType.CartUpdated, Channel = channel, Cart = lines });

        var placedAt = Later(at, 2, 10);
        var emptiedAt = placedAt.AddSeconds(30);
        if (emptiedAt > nowUtc || (promo is not null && placedAt > promo.ValidUntil.AddHours(-2))) return;
        var pickup = _customer.ShopsInStore && random.NextDouble() < 0.45 ? PickStore() : null;
        var order = new PlannedOrder(identifiers.NextOrderNumber(channel == Channel.App ? "APP" : "WEB"), lines, promo, RedeemShare(0.2));
        Add(new() { At = placedAt, Type = EventType.OrderPlaced, Channel = channel, Store = pickup, Order = order });
        Add(new() { At = emptiedAt, Type = EventType.CartUpdated, Channel = channel, Cart = [] });

        var receivedAt = DaysLater(placedAt, 1, 4, pickup is null ? DeliveryHours : StoreHours);
        if (promo is not null && receivedAt > promo.ValidUntil) receivedAt = Later(placedAt, 60, 100);
        if (receivedAt > nowUtc || !_customer.CanBuy(receivedAt)) return;
        var purchaseChannel = pickup is null ? channel : Channel.Store;
        Add(new() { At = receivedAt, Type = EventType.Purchase, Channel = purchaseChannel, Store = pickup, Order = order });
        if (followUps) AfterPurchase(order, receivedAt, purchaseChannel, pickup);
    }

    /// <summary>Sometimes a return, a review, the "bonuses active" push and a cross-sell email with things that go with the purchase.</summary>
    private void AfterPurchase(PlannedOrder order, DateTime at, Channel channel, Store? store)
    {
        if (random.NextDouble() < 0.05)
        {
            var returnAt = DaysLater(at, 2, 14, StoreHours);
            var inStore = channel == Channel.Store || (_customer.ShopsInStore && random.NextDouble() < 0.5);
            List<LinePayload> lines = order.Lines.Count > 1 ? [order.Lines[^1]] : [order.Lines[0]];
            if (returnAt <= nowUtc)
                Add(new()
                {
                    At = returnAt, Type = EventType.Return, Channel = inStore ? Channel.Store : channel,
                    Store = inStore ? store ?? _customer.HomeStore : null, Return = new PlannedReturn(order, lines),
                });
        }
        var reviewAt = DaysLater(at, 3, 15, DigitalHours);
        if (reviewAt <= nowUtc && reviewAt <= _customer.EngagedUntil && random.NextDouble() < 0.1)
            Add(new() { At = reviewAt, Type = EventType.Review, Channel = DigitalChannel(reviewAt), Text = Note(Reviews, order.Lines[0].Name) });

        var activatesAt = at.AddDays(activationDelayDays ?? 0);
        if (activationDelayDays is not null && random.NextDouble() < 0.5)
            Deliver(CampaignIds.BonusActivated, Later(activatesAt, 60, 180), openRate: 0.45, clickRate: 0.2,
                text: "Бонусы за покупку начислены и доступны для оплаты");
        if (random.NextDouble() < 0.25)
        {
            var crossSell = Deliver(CampaignIds.CrossSell, DaysLater(activatesAt, 1, 1, MailingHours), openRate: 0.35, clickRate: 0.3);
            var category = catalog.Category(order.Lines[0].Category!);
            if (crossSell.Clicked && category.Companions.Count > 0)
                Browse(Later(crossSell.LastAt, 1, 3), catalog.Category(category.Companions[random.Next(category.Companions.Count)]));
        }
    }

    /// <summary>Items put in the cart and left there. A reminder email with a time-limited discount brings some customers back.</summary>
    private void AbandonedCart(DateTime at)
    {
        var channel = DigitalChannel(at);
        var category = InterestCategory();
        var main = AnyProduct(category);
        Add(new() { At = at, Type = EventType.ProductViewed, Channel = channel, Product = DemoCatalog.Payload(main) });
        var cartAt = Later(at, 1, 8);
        if (cartAt > nowUtc) return;
        var lines = Basket(category, main);
        Add(new() { At = cartAt, Type = EventType.CartUpdated, Channel = channel, Cart = lines });

        var remindAt = DaysLater(cartAt, 1, 1, MailingHours);
        if (remindAt > nowUtc || !_customer.CanMessage(Channel.Email, remindAt)) return;
        var promo = NewPromo("CART", CampaignIds.AbandonedCart, 10, "−10 % на товары из корзины", remindAt, TimeSpan.FromDays(3));
        var reminder = Deliver(CampaignIds.AbandonedCart, remindAt, openRate: 0.45, clickRate: 0.5, promo,
            $"Промокод {promo.Code}: −10 % на товары из корзины до {DayMonth(promo.ValidUntil)}");
        if (reminder.Clicked && random.NextDouble() < 0.4)
            OnlineOrder(Later(reminder.LastAt, 2, 20), lines: lines, promo: promo, followUps: false);
    }

    /// <summary>The channel's regular mailing; a click leads to browsing and now and then to an order. Push flash sales sometimes carry a one-day code.</summary>
    private void Campaign(DateTime at)
    {
        var channel = PickMessagingChannel(at);
        if (channel is null) return;
        var campaignId = RegularCampaign(channel.Value);
        if (channel == Channel.Email) at = WeeklyMailingDay(at);
        PlannedPromo? promo = null;
        string? text = null;
        if (channel == Channel.Push && random.NextDouble() < 0.4)
        {
            promo = NewPromo("DAY", campaignId, 10, "−10 % на всё, только сегодня и завтра", at, TimeSpan.FromHours(36));
            text = $"Промокод {promo.Code}: −10 % на всё до {DayMonth(promo.ValidUntil)}";
        }
        var (openRate, clickRate) = channel switch
        {
            Channel.Email => (0.3, 0.25),
            Channel.Push => (0.25, 0.4),
            Channel.Viber => (0.6, 0.15),
            _ => (0.5, 0.2),
        };
        var delivery = Deliver(campaignId, at, openRate, clickRate, promo, text);
        if (!delivery.Clicked) return;
        var visitAt = Later(delivery.LastAt, 1, 3);
        if (promo is not null && random.NextDouble() < 0.5)
            OnlineOrder(visitAt, promo: promo, followUps: false);
        else if (random.NextDouble() < 0.12)
            OnlineOrder(visitAt, followUps: false);
        else if (visitAt <= nowUtc)
            Browse(visitAt);
    }

    /// <summary>A push with a personal accessories code (journey 1); about a third use it in store within the week.</summary>
    private void PersonalOffer(DateTime at)
    {
        if (at > nowUtc || !_customer.CanMessage(Channel.Push, at)) return;
        var promo = NewPromo("ACC", CampaignIds.AccessoriesPromo, 15, "−15 % на аксессуары", at, TimeSpan.FromDays(7));
        var offer = Deliver(CampaignIds.AccessoriesPromo, at, openRate: 0.5, clickRate: 0.3, promo,
            $"Ваш промокод {promo.Code}: −15 % на аксессуары до {DayMonth(promo.ValidUntil)}");
        if (random.NextDouble() >= (offer.Opened ? 0.45 : 0.1)) return;
        var accessories = catalog.Category("Аксессуары");
        var useAt = DaysLater(offer.LastAt, 1, 5, StoreHours);
        if (useAt > promo.ValidUntil) return;
        if (_customer.ShopsInStore) StorePurchase(useAt, accessories, promo: promo, followUps: false);
        else OnlineOrder(Later(offer.LastAt, 5, 30), accessories, promo: promo, followUps: false);
    }

    /// <summary>A call or a chat; complaints are often followed up in a messenger the next day (the agent sees the call).</summary>
    private void Service(DateTime at)
    {
        var product = AnyProduct(InterestCategory()).Name;
        if (random.NextDouble() < 0.2)
        {
            var (complaint, followUp) = Complaints[random.Next(Complaints.Length)];
            Add(new() { At = at, Type = EventType.Call, Channel = Channel.CallCenter, Text = Note([complaint], product) });
            var followUpAt = DaysLater(at, 1, 2, ServiceHours);
            if (followUpAt <= nowUtc && random.NextDouble() < 0.6)
                Add(new() { At = followUpAt, Type = EventType.Chat, Channel = ChatChannel(), Text = Note([followUp], product) });
            return;
        }
        if (random.NextDouble() < 0.55)
            Add(new() { At = at, Type = EventType.Call, Channel = Channel.CallCenter, Text = Note(CallNotes, product) });
        else
            Add(new() { At = at, Type = EventType.Chat, Channel = ChatChannel(), Text = Note(ChatNotes, product) });
    }

    /// <summary>A VK retargeting ad clicked, usually landing on the product page.</summary>
    private void AdClick(DateTime at)
    {
        var product = AnyProduct(InterestCategory());
        var ad = new PlannedMessage(catalog.CampaignAt(CampaignIds.VkRetargeting, at), $"ad-{_customer.Id}-{++_messages}");
        Add(new() { At = at, Type = EventType.AdClick, Channel = Channel.Social, Product = DemoCatalog.Payload(product), Message = ad });
        var landedAt = Later(at, 0, 1);
        if (landedAt > nowUtc || random.NextDouble() >= 0.7) return;
        Add(new() { At = landedAt, Type = EventType.ProductViewed, Channel = Channel.Online, Product = DemoCatalog.Payload(product) });
        var savedAt = Later(landedAt, 1, 3);
        if (savedAt <= nowUtc && random.NextDouble() < 0.15)
            Add(new() { At = savedAt, Type = EventType.WishlistAdded, Channel = Channel.Online, Product = DemoCatalog.Payload(product) });
    }

    /// <summary>A visit to the store, often after looking the product up online; about a third buy there and then.</summary>
    private void StoreVisit(DateTime at)
    {
        if (!_customer.ShopsInStore) return;
        var category = InterestCategory();
        var product = AnyProduct(category);
        var lookedAt = OnDay(at.AddDays(-random.Next(1, 4)), DigitalHours);
        if (random.NextDouble() < 0.5 && lookedAt > _customer.RegisteredAt.AddHours(1))
            Add(new() { At = lookedAt, Type = EventType.ProductViewed, Channel = DigitalChannel(lookedAt), Product = DemoCatalog.Payload(product) });
        var store = PickStore();
        Add(new()
        {
            At = at, Type = EventType.StoreVisit, Channel = Channel.Store, Store = store,
            Text = random.NextDouble() < 0.3 ? $"Консультация: {product.Category}" : null,
        });
        if (random.NextDouble() < 0.35) StorePurchase(Later(at, 15, 60), category, product);
    }

    /// <summary>An SMS with a big personal discount for customers who stopped buying more than six months ago.</summary>
    private void WinBack(DateTime at)
    {
        var promo = NewPromo("BACK", CampaignIds.WinBack, 20, "−20 % на покупку: возвращайтесь", at, TimeSpan.FromDays(14));
        Deliver(CampaignIds.WinBack, at, openRate: 0, clickRate: 0.05, promo,
            $"Мы скучаем! −20 % по коду {promo.Code} до {DayMonth(promo.ValidUntil)}");
    }

    private Channel? PickMessagingChannel(DateTime at)
    {
        Span<Channel> channels = [Channel.Email, Channel.Email, Channel.Email, Channel.Push, Channel.Push, Channel.Telegram, Channel.Viber];
        var start = random.Next(channels.Length);
        for (var i = 0; i < channels.Length; i++)
        {
            var channel = channels[(start + i) % channels.Length];
            if (_customer.CanMessage(channel, at)) return channel;
        }
        return null;
    }

    private Channel ChatChannel() => random.Next(3) switch { 0 => Channel.Telegram, 1 => Channel.Viber, _ => Channel.CallCenter };

    /// <summary>The weekly mailing goes out on Thursday mornings.</summary>
    private DateTime WeeklyMailingDay(DateTime at)
    {
        var thursday = at.AddDays(-(((int)at.DayOfWeek - (int)DayOfWeek.Thursday + 7) % 7));
        var sent = OnDay(thursday, MailingHours);
        return sent > _customer.RegisteredAt.AddHours(1) ? sent : at;
    }

    private string Note(string[] templates, string product) =>
        string.Format(CultureInfo.InvariantCulture, templates[random.Next(templates.Length)], product,
            _customer.HomeStore?.Name ?? "рядом с домом", _customer.City.Name);
}
