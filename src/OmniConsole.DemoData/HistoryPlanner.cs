using System.Globalization;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Catalog;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Timeline;

namespace OmniConsole.DemoData;

/// <summary>
/// Plans a customer's history as a sequence of episodes (a browsing session, an online order, a campaign message
/// and the reaction to it, a call, …) placed at random moments of the customer's life with the retailer, until the
/// customer's share of the event budget is used. Everything respects the profile: messages only through channels
/// consented to at that moment, purchases only while the customer buys, nothing after now.
/// </summary>
internal sealed partial class HistoryPlanner(Random random, DemoCatalog catalog, DemoIdentifiers identifiers, DateTime nowUtc, int? activationDelayDays)
{
    /// <summary>Local hours of the day when each kind of activity happens.</summary>
    private static readonly (double From, double To) StoreHours = (10, 21.5), DigitalHours = (8, 23.9),
        MailingHours = (10, 12.5), ServiceHours = (9, 21), DeliveryHours = (10, 20);

    private readonly List<CategoryInfo> _allCategories = catalog.CategoriesByDepartment.Values.SelectMany(c => c).ToList();
    private CustomerProfile _customer = null!;
    private HistoryPlan _plan = null!;
    private int _messages;

    public HistoryPlan Plan(CustomerProfile customer, int budget)
    {
        Begin(customer);
        Registration();
        ConsentReversals();
        AnchorPurchase();
        // Episodes that cannot happen for this customer (a store visit without a store nearby) add nothing; the cap ends the loop anyway.
        for (var attempt = 0; _plan.Count < budget && attempt < budget * 4; attempt++) RandomEpisode();
        return _plan;
    }

    private void Begin(CustomerProfile customer)
    {
        _customer = customer;
        _plan = new HistoryPlan();
        _messages = 0;
    }

    /// <summary>Times only grow within an episode, so an episode that runs into the present simply ends there.</summary>
    private void Add(PlannedEvent e)
    {
        if (e.At <= nowUtc) _plan.Add(e);
    }

    // ---------- the customer's life with the retailer ----------

    private void Registration()
    {
        var c = _customer;
        var signUp = c.RegisteredIn;
        var store = signUp == Channel.Store ? c.HomeStore : null;
        if (c.AppInstalledAt is { } installed) Add(new() { At = installed, Type = EventType.AppInstalled, Channel = Channel.App });
        Add(new() { At = c.RegisteredAt, Type = EventType.ProfileUpdated, Channel = signUp, Store = store });

        // One consent_changed per decision moment: the sign-up form, and the push prompt after the app is installed.
        foreach (var decision in c.Consents.GroupBy(kv => kv.Value.DecidedAt).OrderBy(g => g.Key))
        {
            var pushPrompt = decision.Any(kv => kv.Key == Channel.Push);
            Add(new()
            {
                At = decision.Key, Type = EventType.ConsentChanged, Channel = pushPrompt ? Channel.App : signUp, Store = pushPrompt ? null : store,
                Consents = decision.ToDictionary(kv => kv.Key, kv => kv.Value.Initially),
            });
        }

        // Cascade: a welcome email; who has not opened it within a day gets an SMS reminder.
        var welcome = Deliver(DemoShowcase.CampaignIds.Welcome, c.RegisteredAt.AddMinutes(10), openRate: 0.55, clickRate: 0.35);
        if (welcome.Delivered && !welcome.Opened)
            Deliver(DemoShowcase.CampaignIds.WelcomeSmsReminder, c.RegisteredAt.AddHours(25), openRate: 0, clickRate: 0.08);
    }

    private void ConsentReversals()
    {
        foreach (var (channel, consent) in _customer.Consents)
        {
            if (consent.ReversedAt is not { } at) continue;
            if (consent.Reversal == ConsentReversal.Unsubscribed)
            {
                var message = NewMessage(catalog.CampaignAt(RegularCampaign(channel), at.AddMinutes(-10)));
                Add(new() { At = at.AddMinutes(-10), Type = EventType.MessageDelivered, Channel = channel, Message = message });
                Add(new() { At = at, Type = EventType.Unsubscribed, Channel = channel, Message = message });
            }
            else
            {
                Add(new()
                {
                    At = at, Type = EventType.ConsentChanged, Channel = DigitalChannel(at),
                    Consents = new() { [channel] = !consent.Initially },
                });
            }
        }
    }

    /// <summary>Makes the segment true: active customers bought within the last five months, lapsed ones just before they stopped.</summary>
    private void AnchorPurchase()
    {
        if (_customer.BuysUntil is not { } until) return;
        var lapsed = _customer.Segment == Segment.Lapsed;
        var from = lapsed ? until.AddDays(-4) : Max(_customer.RegisteredAt.AddHours(2), nowUtc.AddDays(-150));
        var to = lapsed ? until : nowUtc.AddDays(-1);
        var at = Moment(from, Max(from, to), StoreHours);
        if (_customer.ShopsInStore && random.NextDouble() < 0.65) StorePurchase(at);
        // Online orders are collected days after they are placed.
        else OnlineOrder(Max(_customer.RegisteredAt.AddHours(1), at.AddDays(-5)));
    }

    // ---------- building blocks ----------

    private CategoryInfo InterestCategory()
    {
        if (random.NextDouble() < 0.2) return _allCategories[random.Next(_allCategories.Count)];
        // The first interest is the strongest.
        var interests = _customer.Interests;
        return interests[Math.Min(interests.Count - 1, (int)(interests.Count * random.NextDouble() * random.NextDouble()))];
    }

    private Product AnyProduct(CategoryInfo category) => category.Products[random.Next(category.Products.Count)];

    /// <summary>A main product, sometimes something that goes with it; cheap things sometimes by two or three.</summary>
    private List<LinePayload> Basket(CategoryInfo category, Product? main = null)
    {
        main ??= AnyProduct(category);
        var lines = new List<LinePayload> { Line(main) };
        if (random.NextDouble() < 0.45 && category.Companions.Count > 0)
        {
            var companion = AnyProduct(catalog.Category(category.Companions[random.Next(category.Companions.Count)]));
            if (companion.Sku != main.Sku) lines.Add(Line(companion));
        }
        if (random.NextDouble() < 0.12)
        {
            var another = AnyProduct(category);
            if (lines.TrueForAll(l => l.Sku != another.Sku)) lines.Add(Line(another));
        }
        return lines;
    }

    private LinePayload Line(Product p) => DemoCatalog.Line(p, p.PriceMinor < 100_000 && random.NextDouble() < 0.3 ? random.Next(2, 4) : 1);

    private double RedeemShare(double probability) => random.NextDouble() < probability ? 0.4 + 0.6 * random.NextDouble() : 0;

    private Store PickStore()
    {
        var stores = _customer.City.Stores;
        return random.NextDouble() < 0.8 ? _customer.HomeStore! : stores[random.Next(stores.Count)];
    }

    /// <summary>App for customers who have it installed by then (most of the time), otherwise the website.</summary>
    private Channel DigitalChannel(DateTime at) =>
        _customer.AppInstalledAt <= at && (!_customer.ShopsOnline || random.NextDouble() < 0.6) ? Channel.App : Channel.Online;

    private PlannedMessage NewMessage(Campaign campaign, PlannedPromo? promo = null) =>
        new(campaign, $"msg-{_customer.Id}-{++_messages}", promo);

    private PlannedPromo NewPromo(string prefix, string campaignId, int percent, string description, DateTime issuedAt, TimeSpan validFor) =>
        new(identifiers.NextPromoCode(prefix), campaignId, description, percent, issuedAt, issuedAt + validFor);

    /// <summary>The recurring campaign of a messaging channel (SMS is kept for reminders and win-back).</summary>
    private static string RegularCampaign(Channel channel) => channel switch
    {
        Channel.Email => DemoShowcase.CampaignIds.WeeklyDigest,
        Channel.Push => DemoShowcase.CampaignIds.FlashSale,
        Channel.Viber => DemoShowcase.CampaignIds.ViberSelection,
        Channel.Telegram => DemoShowcase.CampaignIds.TelegramNews,
        _ => DemoShowcase.CampaignIds.WinBack,
    };

    private readonly record struct Delivery(bool Delivered, bool Opened, bool Clicked, DateTime LastAt);

    /// <summary>
    /// A campaign message if the customer may get it then: delivered, maybe opened, maybe clicked. SMS reports no
    /// opens. After the customer lapsed, messages are rarely read.
    /// </summary>
    private Delivery Deliver(string campaignId, DateTime at, double openRate, double clickRate, PlannedPromo? promo = null, string? text = null)
    {
        var campaign = catalog.CampaignAt(campaignId, at);
        var channel = campaign.Channel!.Value;
        if (at > nowUtc || !_customer.CanMessage(channel, at)) return default;
        var message = NewMessage(campaign, promo);
        Add(new() { At = at, Type = EventType.MessageDelivered, Channel = channel, Message = message, Text = text });
        if (at > _customer.EngagedUntil) (openRate, clickRate) = (openRate * 0.2, clickRate * 0.2);

        var last = at;
        var opened = false;
        if (channel != Channel.Sms)
        {
            var openedAt = Later(at, 2, channel == Channel.Email ? 600 : 90);
            if (openedAt > nowUtc || random.NextDouble() >= openRate) return new(true, false, false, at);
            Add(new() { At = openedAt, Type = EventType.MessageOpened, Channel = channel, Message = message });
            (opened, last) = (true, openedAt);
        }
        var clickedAt = Later(last, 1, 10);
        if (clickedAt > nowUtc || random.NextDouble() >= clickRate) return new(true, opened, false, last);
        Add(new() { At = clickedAt, Type = EventType.MessageClicked, Channel = channel, Message = message });
        return new(true, opened, true, clickedAt);
    }

    // ---------- time ----------

    /// <summary>A random moment between the two, at a plausible local hour for the activity when the day allows it.</summary>
    private DateTime Moment(DateTime from, DateTime to, (double From, double To) hours)
    {
        if (to <= from) return from;
        var uniform = from.AddSeconds((long)((to - from).TotalSeconds * random.NextDouble()));
        var atHour = OnDay(uniform, hours);
        return atHour >= from && atHour <= to ? atHour : uniform;
    }

    /// <summary>The same local day as <paramref name="utc"/>, at a random local hour within <paramref name="hours"/>.</summary>
    private DateTime OnDay(DateTime utc, (double From, double To) hours)
    {
        var offset = _customer.City.UtcOffsetHours;
        var localDay = utc.AddHours(offset).Date;
        var seconds = (long)((hours.From + random.NextDouble() * (hours.To - hours.From)) * 3600);
        return DateTime.SpecifyKind(localDay.AddSeconds(seconds).AddHours(-offset), DateTimeKind.Utc);
    }

    /// <summary>Some days later at a plausible hour; never before <paramref name="utc"/>.</summary>
    private DateTime DaysLater(DateTime utc, int minDays, int maxDays, (double From, double To) hours)
    {
        var at = OnDay(utc.AddDays(random.Next(minDays, maxDays + 1)), hours);
        return at > utc ? at : Later(utc, 20, 90);
    }

    private DateTime Later(DateTime utc, int minMinutes, int maxMinutes) => utc.AddSeconds(random.Next(minMinutes * 60, maxMinutes * 60 + 1));

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static string DayMonth(DateTime utc) => utc.AddHours(3).ToString("dd.MM", CultureInfo.InvariantCulture);
}
