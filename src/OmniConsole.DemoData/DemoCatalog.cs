using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Catalog;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Timeline;
using static OmniConsole.DemoData.DemoShowcase;

namespace OmniConsole.DemoData;

internal enum Department { Electronics, Clothing, Home }

/// <summary>A city customers live in; <see cref="Stores"/> is empty where the retailer has no store (those customers buy online).</summary>
internal sealed record City(string Name, int UtcOffsetHours, double Weight, IReadOnlyList<Store> Stores);

internal sealed record CategoryInfo(string Name, Department Department, IReadOnlyList<Product> Products, IReadOnlyList<string> Companions);

/// <summary>
/// The retailer the demo data describes: stores in Russian cities, a catalogue of a few hundred products and the
/// campaigns. Fixed tables, independent of the seed, so SKUs and store codes are stable. Rows that already exist
/// (same store code, SKU or campaign id) are reused; the others get ids after the existing ones and are written.
/// </summary>
internal sealed class DemoCatalog
{
    private readonly Dictionary<string, Store> _storesByCode;
    private readonly Dictionary<string, Product> _productsBySku;
    private readonly Dictionary<string, Campaign> _campaignsById;
    private readonly Dictionary<string, CategoryInfo> _categories;
    private readonly DateTime _now, _historyStart;

    private DemoCatalog(Dictionary<string, Store> storesByCode, Dictionary<string, Product> productsBySku, Dictionary<string, Campaign> campaignsById,
        List<Store> newStores, List<Product> newProducts, List<Campaign> newCampaigns, DateTime nowUtc)
    {
        _now = nowUtc;
        _historyStart = nowUtc.AddDays(-HistoryDays);
        _storesByCode = storesByCode;
        _productsBySku = productsBySku;
        _campaignsById = campaignsById;
        NewStores = newStores;
        NewProducts = newProducts;
        NewCampaigns = newCampaigns;
        _categories = CatalogueProducts().GroupBy(p => p.Category, p => productsBySku[p.Product.Sku])
            .ToDictionary(g => g.Key.Name, g => new CategoryInfo(g.Key.Name, g.Key.Department, g.ToList(), g.Key.Companions), StringComparer.Ordinal);
        CategoriesByDepartment = _categories.Values.GroupBy(c => c.Department).ToDictionary(g => g.Key, g => (IReadOnlyList<CategoryInfo>)g.ToList());
        Cities = CityTable.Select(c => new City(c.Name, c.UtcOffset, c.Weight,
            StoreTable.Where(s => s.City == c.Name).Select(s => storesByCode[s.Code]).ToList())).ToList();
    }

    /// <summary>Rows of the tables below that the database does not have yet, with ids after the existing ones.</summary>
    public IReadOnlyList<Store> NewStores { get; }
    public IReadOnlyList<Product> NewProducts { get; }
    public IReadOnlyList<Campaign> NewCampaigns { get; }

    public IReadOnlyList<City> Cities { get; }
    public IReadOnlyDictionary<Department, IReadOnlyList<CategoryInfo>> CategoriesByDepartment { get; }

    public Store Store(string code) => _storesByCode[code];
    public Product Product(string sku) => _productsBySku[sku];
    public CategoryInfo Category(string name) => _categories[name];
    public City City(string name) => Cities.First(c => c.Name == name);

    public static async Task<DemoCatalog> LoadAsync(OmniConsoleDbContext db, DateTime nowUtc, CancellationToken ct)
    {
        var stores = await db.Stores.AsNoTracking().ToDictionaryAsync(s => s.Code, StringComparer.Ordinal, ct);
        var products = await db.Products.AsNoTracking().ToDictionaryAsync(p => p.Sku, StringComparer.Ordinal, ct);
        var campaigns = await db.Campaigns.AsNoTracking().ToDictionaryAsync(c => c.Id, StringComparer.Ordinal, ct);

        var nextStoreId = stores.Values.Select(s => s.Id).DefaultIfEmpty().Max();
        var newStores = StoreTable.Where(s => !stores.ContainsKey(s.Code))
            .Select(s => new Store { Id = ++nextStoreId, Code = s.Code, Name = s.Name, City = s.City, Address = s.Address }).ToList();
        foreach (var s in newStores) stores[s.Code] = s;

        var nextProductId = products.Values.Select(p => p.Id).DefaultIfEmpty().Max();
        var newProducts = CatalogueProducts().Select(p => p.Product).Where(p => !products.ContainsKey(p.Sku)).ToList();
        foreach (var p in newProducts)
        {
            p.Id = ++nextProductId;
            products[p.Sku] = p;
        }

        var newCampaigns = CampaignHistory(nowUtc).Where(c => !campaigns.ContainsKey(c.Id)).ToList();
        foreach (var c in newCampaigns) campaigns[c.Id] = c;

        return new DemoCatalog(stores, products, campaigns, newStores, newProducts, newCampaigns, nowUtc);
    }

    /// <summary>
    /// A regular mailing's campaign for the month of <paramref name="at"/> (each month's issue is a campaign of its own);
    /// any other campaign as it is.
    /// </summary>
    public Campaign CampaignAt(string id, DateTime at)
    {
        if (!MonthlyCampaigns.Contains(id)) return _campaignsById[id];
        var month = at < _historyStart ? _historyStart : at > _now ? _now : at;
        return _campaignsById[MonthlyId(id, month)];
    }

    /// <summary>The campaign ids the generator gives a regular mailing's issues: <c>cmp-weekly-digest-2026-03</c>.</summary>
    public static string MonthlyId(string id, DateTime month) => $"{id}-{month:yyyy-MM}";

    /// <summary>
    /// The campaigns of the 18 months of history, each with its messages' steps and dates: the regular mailings one
    /// campaign per month (launched on the month's first day, finished at its end), the always-on ones (welcome, the
    /// abandoned cart, cross-sell, win-back…) over the whole history. Finished: what the retailer did before today's
    /// campaigns. Their audiences and results come from the messages the histories deliver.
    /// </summary>
    private static IEnumerable<Campaign> CampaignHistory(DateTime nowUtc)
    {
        var start = nowUtc.AddDays(-HistoryDays);
        var ru = CultureInfo.GetCultureInfo("ru-RU").DateTimeFormat;
        foreach (var c in CampaignTable)
        {
            var definition = c.Step is null ? null : JsonValue.Serialize(new CampaignInput { Name = c.Name, Steps = [c.Step], Trigger = c.Trigger });
            if (!MonthlyCampaigns.Contains(c.Id))
            {
                yield return new Campaign
                {
                    Id = c.Id, Name = c.Name, Channel = c.Channel, CreatedAtUtc = start.AddDays(-14), CreatedBy = Marketer,
                    LaunchedAtUtc = start, FinishedAtUtc = nowUtc, Status = CampaignStatus.Completed, DefinitionJson = definition, EnrollmentDone = true,
                };
                continue;
            }
            for (var month = new DateTime(start.Year, start.Month, 1, 0, 0, 0, DateTimeKind.Utc); month <= nowUtc; month = month.AddMonths(1))
            {
                // From the month's first day at 10:00 to its last at 21:00, Moscow time.
                var launched = month < start ? start : month.AddHours(7);
                var finished = month.AddMonths(1).AddHours(-6) < nowUtc ? month.AddMonths(1).AddHours(-6) : nowUtc;
                yield return new Campaign
                {
                    Id = MonthlyId(c.Id, month), Name = $"{c.Name}: {ru.MonthNames[month.Month - 1]} {month.Year}", Channel = c.Channel,
                    CreatedAtUtc = launched.AddDays(-3), CreatedBy = Marketer, LaunchedAtUtc = launched, FinishedAtUtc = finished,
                    Status = CampaignStatus.Completed, DefinitionJson = definition, EnrollmentDone = true,
                };
            }
        }
    }


    /// <summary>How far back histories go: 18 months.</summary>
    public const int HistoryDays = 548;

    public static ProductPayload Payload(Product p) => new(p.Sku, p.Name, p.Category, p.Brand, p.PriceMinor);

    public static LinePayload Line(Product p, int quantity = 1) => new(p.Sku, p.Name, p.Category, p.Brand, quantity, p.PriceMinor);

    /// <summary>Tills number their checks by store: MSK01-00001234.</summary>
    public static string OrderPrefix(Store store) => store.Code.Replace("-", "", StringComparison.Ordinal);

    // ---------- the tables ----------

    private static readonly (string Code, string Name, string City, string Address)[] StoreTable =
    [
        ("MSK-01", "Москва, ТРЦ Авиапарк", "Москва", "Ходынский бульвар, 4"),
        ("MSK-02", "Москва, Тверская", "Москва", "ул. Тверская, 22"),
        ("MSK-03", "Москва, ТЦ Европейский", "Москва", "пл. Киевского Вокзала, 2"),
        ("MSK-04", "Москва, ТРЦ Атриум", "Москва", "ул. Земляной Вал, 33"),
        ("MSK-05", "Москва, ТРЦ Колумбус", "Москва", "ул. Кировоградская, 13А"),
        ("MSK-06", "Москва, ТЦ Щука", "Москва", "ул. Щукинская, 42"),
        ("SPB-01", "Санкт-Петербург, Невский", "Санкт-Петербург", "Невский пр., 48"),
        ("SPB-02", "Санкт-Петербург, ТРК Галерея", "Санкт-Петербург", "Лиговский пр., 30А"),
        ("SPB-03", "Санкт-Петербург, ТРЦ Охта Молл", "Санкт-Петербург", "Брантовская дор., 3"),
        ("SPB-04", "Санкт-Петербург, ТРК Питерленд", "Санкт-Петербург", "Приморский пр., 72"),
        ("KZN-01", "Казань, ТРЦ Кольцо", "Казань", "ул. Петербургская, 1"),
        ("KZN-02", "Казань, ТЦ Тандем", "Казань", "пр. Ибрагимова, 56"),
        ("EKB-01", "Екатеринбург, ТРЦ Гринвич", "Екатеринбург", "ул. 8 Марта, 46"),
        ("EKB-02", "Екатеринбург, ТЦ Пассаж", "Екатеринбург", "ул. Вайнера, 10"),
        ("NSK-01", "Новосибирск, ТРЦ Аура", "Новосибирск", "ул. Военная, 5"),
        ("NSK-02", "Новосибирск, ТРЦ Галерея", "Новосибирск", "ул. Гоголя, 13"),
        ("NNV-01", "Нижний Новгород, ТРЦ Небо", "Нижний Новгород", "ул. Белинского, 124"),
        ("KRD-01", "Краснодар, ТРЦ Красная Площадь", "Краснодар", "ул. Дзержинского, 100"),
        ("KRD-02", "Краснодар, ТРЦ Галерея", "Краснодар", "ул. Головатого, 313"),
        ("SAM-01", "Самара, ТРК Космопорт", "Самара", "ул. Дыбенко, 30"),
    ];

    private static readonly (string Name, int UtcOffset, double Weight)[] CityTable =
    [
        ("Москва", 3, 0.34), ("Санкт-Петербург", 3, 0.18), ("Казань", 3, 0.05), ("Екатеринбург", 5, 0.05),
        ("Новосибирск", 7, 0.05), ("Нижний Новгород", 3, 0.04), ("Краснодар", 3, 0.05), ("Самара", 4, 0.04),
        // No store here: these customers shop online and in the app.
        ("Воронеж", 3, 0.025), ("Ростов-на-Дону", 3, 0.025), ("Уфа", 5, 0.02), ("Пермь", 5, 0.02), ("Красноярск", 7, 0.02),
        ("Челябинск", 5, 0.02), ("Омск", 6, 0.015), ("Тюмень", 5, 0.015), ("Ярославль", 3, 0.015), ("Иркутск", 8, 0.015),
    ];

    /// <summary>The regular mailings: one campaign per month.</summary>
    private static readonly HashSet<string> MonthlyCampaigns =
        [CampaignIds.WeeklyDigest, CampaignIds.FlashSale, CampaignIds.ViberSelection, CampaignIds.TelegramNews];

    private static CampaignStep Email(string subject, string body) =>
        new() { Channel = "email", Subject = subject, Body = $"<p>Здравствуйте, {{{{firstName}}}}!</p><p>{body}</p><p><a href=\"{{{{unsubscribeUrl}}}}\">Отписаться</a></p>" };

    private static CampaignStep Message(Channel channel, string text) => new() { Channel = channel.ApiName(), Text = text };

    private static readonly (string Id, string Name, Channel Channel, CampaignStep? Step, CampaignTrigger? Trigger)[] CampaignTable =
    [
        (CampaignIds.Welcome, "Добро пожаловать в клуб", Channel.Email,
            Email("{{firstName}}, добро пожаловать в клуб!", "На вашем счёте {{bonusActive}} бонусов. Ими можно оплатить до половины покупки."), null),
        (CampaignIds.WelcomeSmsReminder, "Приветственный бонус: напоминание", Channel.Sms,
            Message(Channel.Sms, "{{firstName}}, в клубе вас ждут бонусы: {{bonusActive}}. Загляните в магазин!"), null),
        (CampaignIds.WeeklyDigest, "Новинки недели", Channel.Email,
            Email("Новинки недели", "Мы собрали новинки недели и то, что покупают чаще всего."), null),
        (CampaignIds.CrossSell, "Вам подойдёт к покупке", Channel.Email,
            Email("{{firstName}}, вам подойдёт к покупке", "Мы подобрали то, что подойдёт к вашей покупке."), new CampaignTrigger { Kind = "afterPurchase", Days = 1 }),
        (CampaignIds.AbandonedCart, "Вы забыли товары в корзине", Channel.Email,
            Email("Вы забыли товары в корзине", "Товары ждут вас в корзине, а к ним — скидка 10 %."), new CampaignTrigger { Kind = "cartAbandoned", Hours = 3 }),
        (CampaignIds.AccessoriesPromo, "Промокод на аксессуары", Channel.Push,
            Message(Channel.Push, "{{firstName}}, ваш личный промокод: −15 % на аксессуары"), null),
        (CampaignIds.FlashSale, "Скидки одного дня", Channel.Push, Message(Channel.Push, "Скидки одного дня: только сегодня"), null),
        (CampaignIds.BonusActivated, "Ваши бонусы активны", Channel.Push,
            Message(Channel.Push, "Ваши бонусы активны: {{bonusActive}}. Ими можно оплатить до 50 % покупки"), new CampaignTrigger { Kind = "bonusActivated" }),
        (CampaignIds.WinBack, "Мы скучаем: скидка на возвращение", Channel.Sms,
            Message(Channel.Sms, "{{firstName}}, мы скучаем! −20 % на покупку по личному коду"), new CampaignTrigger { Kind = "noPurchase", Days = 180 }),
        (CampaignIds.ViberSelection, "Подборка недели", Channel.Viber, Message(Channel.Viber, "{{firstName}}, подборка недели для вас"), null),
        (CampaignIds.TelegramNews, "Новинки и подборки", Channel.Telegram, Message(Channel.Telegram, "Новинки и подборки недели"), null),
        // Ads are bought in VK's own cabinet: the clicks come back as events, there is nothing to send.
        (CampaignIds.VkRetargeting, "Ретаргетинг ВКонтакте", Channel.Social, null, null),
    ];

    private sealed record CategorySpec(string Prefix, string Name, Department Department, (string Brand, string Name, int PriceRub)[] Models,
        (string Suffix, double PriceFactor)[] Variants, string[] Companions);

    private static readonly (string, double)[] Single = [("", 1.0)];

    private static readonly CategorySpec[] Categories =
    [
        new("LAP", "Ноутбуки", Department.Electronics,
            [("Lenovo", "Ноутбук Lenovo IdeaPad Slim 3 15", 52_990), ("Lenovo", "Ноутбук Lenovo ThinkPad E14", 84_990),
             ("ASUS", "Ноутбук ASUS VivoBook 15", 49_990), ("ASUS", "Ноутбук ASUS Zenbook 14 OLED", 104_990),
             ("HP", "Ноутбук HP Pavilion 15", 69_990), ("Acer", "Ноутбук Acer Aspire 5", 57_990),
             ("HUAWEI", "Ноутбук HUAWEI MateBook D 16", 74_990), ("HONOR", "Ноутбук HONOR MagicBook X16", 59_990),
             ("Apple", "Ноутбук Apple MacBook Air 13 M2", 109_990), ("MSI", "Ноутбук MSI Modern 15", 54_990)],
            [("8/256 ГБ", 1.0), ("16/512 ГБ", 1.22)], ["Аксессуары", "Наушники"]),
        new("PHN", "Смартфоны", Department.Electronics,
            [("Samsung", "Смартфон Samsung Galaxy A35", 32_990), ("Samsung", "Смартфон Samsung Galaxy S24", 79_990),
             ("Xiaomi", "Смартфон Xiaomi Redmi Note 13", 21_990), ("Xiaomi", "Смартфон Xiaomi 14T", 54_990),
             ("Apple", "Смартфон Apple iPhone 15", 84_990), ("HONOR", "Смартфон HONOR 200", 39_990),
             ("realme", "Смартфон realme 12 Pro", 34_990), ("POCO", "Смартфон POCO X6 Pro", 31_990), ("Tecno", "Смартфон Tecno Spark 20 Pro", 16_990)],
            [("128 ГБ", 1.0), ("256 ГБ", 1.15)], ["Аксессуары", "Наушники", "Умные часы"]),
        new("TAB", "Планшеты", Department.Electronics,
            [("Apple", "Планшет Apple iPad 10.9", 44_990), ("Samsung", "Планшет Samsung Galaxy Tab S9 FE", 42_990),
             ("Xiaomi", "Планшет Xiaomi Pad 6", 29_990), ("HUAWEI", "Планшет HUAWEI MatePad 11.5", 27_990)],
            [("Wi-Fi 128 ГБ", 1.0), ("LTE 256 ГБ", 1.25)], ["Аксессуары"]),
        new("TV", "Телевизоры", Department.Electronics,
            [("Samsung", "Телевизор Samsung Crystal UHD", 39_990), ("LG", "Телевизор LG UQ75", 36_990),
             ("Xiaomi", "Телевизор Xiaomi TV A Pro", 31_990), ("Hisense", "Телевизор Hisense A6K", 29_990), ("TCL", "Телевизор TCL P735", 33_990)],
            [("43 дюйма", 1.0), ("55 дюймов", 1.45), ("65 дюймов", 2.0)], ["Аксессуары"]),
        new("HPH", "Наушники", Department.Electronics,
            [("Sony", "Наушники Sony WH-1000XM5", 34_990), ("JBL", "Наушники JBL Tune 520BT", 4_490),
             ("Apple", "Наушники Apple AirPods Pro 2", 24_990), ("Samsung", "Наушники Samsung Galaxy Buds2 Pro", 12_990),
             ("Xiaomi", "Наушники Xiaomi Redmi Buds 5", 2_990), ("Marshall", "Наушники Marshall Major IV", 12_490),
             ("HUAWEI", "Наушники HUAWEI FreeBuds 5i", 5_990)],
            [("чёрные", 1.0), ("белые", 1.0)], ["Аксессуары"]),
        new("WCH", "Умные часы", Department.Electronics,
            [("Apple", "Умные часы Apple Watch SE", 27_990), ("Samsung", "Умные часы Samsung Galaxy Watch6", 24_990),
             ("Xiaomi", "Фитнес-браслет Xiaomi Smart Band 8", 3_990), ("HUAWEI", "Умные часы HUAWEI Watch GT 4", 19_990),
             ("Amazfit", "Умные часы Amazfit GTR 4", 14_990)],
            [("чёрного цвета", 1.0), ("серебристого цвета", 1.05)], ["Аксессуары"]),
        new("ACC", "Аксессуары", Department.Electronics,
            [("Logitech", "Мышь беспроводная Logitech M185", 1_290), ("Logitech", "Мышь Logitech MX Master 3S", 9_990),
             ("Xiaomi", "Мышь Xiaomi Wireless Mouse Lite", 990), ("Logitech", "Клавиатура Logitech K380", 3_990),
             ("Defender", "Коврик для мыши Defender", 490), ("Rivacase", "Сумка для ноутбука Rivacase 15.6", 2_990),
             ("Xiaomi", "Рюкзак Xiaomi City Backpack", 3_490), ("Baseus", "Кабель Baseus USB-C 1 м", 690),
             ("Anker", "Зарядное устройство Anker 65 Вт", 3_990), ("Xiaomi", "Внешний аккумулятор Xiaomi 20000 мА·ч", 2_990),
             ("Samsung", "Карта памяти Samsung EVO Plus 128 ГБ", 1_490), ("Red Line", "Чехол для смартфона Red Line", 790),
             ("Red Line", "Защитное стекло Red Line", 590), ("Digma", "Подставка для ноутбука Digma", 1_990),
             ("SanDisk", "Флешка SanDisk Ultra 64 ГБ", 790)],
            Single, ["Аксессуары"]),
        new("SKR", "Юбки", Department.Clothing,
            [("Zarina", "Юбка плиссированная миди Zarina", 3_499), ("Love Republic", "Юбка-карандаш Love Republic", 3_999),
             ("Befree", "Юбка джинсовая мини Befree", 2_299), ("Sela", "Юбка трикотажная Sela", 1_999), ("Incity", "Юбка макси Incity", 3_299)],
            [("чёрная", 1.0), ("бежевая", 1.0), ("синяя", 1.0)], ["Колготки", "Блузки"]),
        new("DRS", "Платья", Department.Clothing,
            [("Zarina", "Платье-рубашка Zarina", 4_999), ("Love Republic", "Платье миди Love Republic", 5_999),
             ("Befree", "Платье трикотажное Befree", 2_999), ("Gloria Jeans", "Платье джинсовое Gloria Jeans", 2_799), ("Incity", "Платье вечернее Incity", 6_499)],
            [("чёрное", 1.0), ("зелёное", 1.0), ("красное", 1.0)], ["Колготки", "Сумки и аксессуары"]),
        new("BLS", "Блузки", Department.Clothing,
            [("Love Republic", "Блузка шёлковая Love Republic", 3_999), ("Zarina", "Блузка с бантом Zarina", 2_999),
             ("Befree", "Рубашка оверсайз Befree", 2_499), ("Sela", "Блузка из вискозы Sela", 1_999)],
            [("белая", 1.0), ("голубая", 1.0), ("чёрная", 1.0)], ["Юбки", "Колготки"]),
        new("TGH", "Колготки", Department.Clothing,
            [("Conte", "Колготки Conte Active 40 den", 499), ("Omsa", "Колготки Omsa Attiva 20 den", 399),
             ("Golden Lady", "Колготки Golden Lady Repose 40 den", 599), ("Conte", "Колготки Conte Tension 70 den", 649)],
            [("размер 2", 1.0), ("размер 3", 1.0), ("размер 4", 1.0)], ["Юбки", "Платья"]),
        new("JNS", "Джинсы", Department.Clothing,
            [("Gloria Jeans", "Джинсы прямые Gloria Jeans", 2_499), ("O'STIN", "Джинсы slim O'STIN", 2_999),
             ("Levi's", "Джинсы Levi's 501", 8_990), ("Befree", "Джинсы mom Befree", 2_799), ("Sela", "Джинсы straight Sela", 2_299)],
            [("размер 44", 1.0), ("размер 46", 1.0), ("размер 48", 1.0)], ["Футболки", "Обувь"]),
        new("TSH", "Футболки", Department.Clothing,
            [("O'STIN", "Футболка базовая O'STIN", 799), ("Gloria Jeans", "Футболка с принтом Gloria Jeans", 699),
             ("Sela", "Футболка-поло Sela", 1_299), ("Befree", "Футболка оверсайз Befree", 999)],
            [("белая", 1.0), ("чёрная", 1.0), ("серая", 1.0)], ["Джинсы"]),
        new("JCK", "Верхняя одежда", Department.Clothing,
            [("O'STIN", "Куртка утеплённая O'STIN", 6_999), ("Zarina", "Тренч Zarina", 7_999), ("Finn Flare", "Пуховик Finn Flare", 14_999),
             ("Gloria Jeans", "Ветровка Gloria Jeans", 3_499), ("Love Republic", "Пальто Love Republic", 11_999)],
            [("чёрного цвета", 1.0), ("бежевого цвета", 1.0)], ["Трикотаж", "Сумки и аксессуары"]),
        new("KNT", "Трикотаж", Department.Clothing,
            [("Sela", "Свитер оверсайз Sela", 2_499), ("Zarina", "Кардиган Zarina", 3_299), ("O'STIN", "Худи O'STIN", 2_199), ("Finn Flare", "Джемпер из шерсти Finn Flare", 4_499)],
            [("серого цвета", 1.0), ("молочного цвета", 1.0)], ["Джинсы"]),
        new("SHO", "Обувь", Department.Clothing,
            [("Rieker", "Ботинки Rieker", 8_990), ("Ecco", "Кроссовки Ecco", 12_990), ("Kari", "Кеды Kari", 2_499),
             ("Ralf Ringer", "Лоферы Ralf Ringer", 7_990), ("Zenden", "Сапоги Zenden", 6_990)],
            [("размер 38", 1.0), ("размер 40", 1.0), ("размер 42", 1.0)], ["Сумки и аксессуары"]),
        new("BAG", "Сумки и аксессуары", Department.Clothing,
            [("Zarina", "Шарф кашемировый Zarina", 1_999), ("Love Republic", "Сумка кросс-боди Love Republic", 3_499),
             ("Befree", "Ремень кожаный Befree", 999), ("Sela", "Шапка вязаная Sela", 899)],
            [("чёрного цвета", 1.0), ("бежевого цвета", 1.0)], ["Верхняя одежда"]),
        new("KIT", "Кухонная техника", Department.Home,
            [("Redmond", "Чайник электрический Redmond RK-G178", 2_990), ("Philips", "Блендер Philips HR2041", 4_490),
             ("De'Longhi", "Кофемашина De'Longhi Magnifica S", 39_990), ("Redmond", "Мультиварка Redmond RMC-M90", 5_990),
             ("Polaris", "Тостер Polaris PET 0720", 2_490), ("Bosch", "Миксер Bosch MFQ 2210", 3_990), ("Tefal", "Аэрогриль Tefal Easy Fry", 8_990)],
            [("белого цвета", 1.0), ("чёрного цвета", 1.0)], ["Посуда"]),
        new("APL", "Бытовая техника", Department.Home,
            [("Xiaomi", "Робот-пылесос Xiaomi Robot Vacuum S10", 19_990), ("Dyson", "Пылесос Dyson V8", 34_990),
             ("Kitfort", "Пылесос вертикальный Kitfort KT-5171", 8_990), ("Philips", "Утюг Philips DST 3020", 3_990),
             ("Tefal", "Парогенератор Tefal Express", 14_990), ("Polaris", "Обогреватель Polaris PMH 2095", 3_490),
             ("Xiaomi", "Увлажнитель воздуха Xiaomi Humidifier 2", 4_990)],
            Single, ["Текстиль"]),
        new("CKW", "Посуда", Department.Home,
            [("Tefal", "Сковорода Tefal Ultimate 26 см", 3_490), ("Tefal", "Набор кастрюль Tefal Cook&Clip", 7_990),
             ("Fissman", "Набор ножей Fissman", 2_990), ("Luminarc", "Набор тарелок Luminarc", 1_990),
             ("Bodum", "Френч-пресс Bodum Chambord", 3_490), ("Attribute", "Набор бокалов Attribute", 1_290),
             ("Fissman", "Сотейник Fissman 24 см", 2_490), ("Tefal", "Термокружка Tefal Travel Mug", 1_990)],
            Single, ["Кухонная техника", "Текстиль"]),
        new("TXT", "Текстиль", Department.Home,
            [("Togas", "Комплект постельного белья Togas", 7_990), ("Cleanelly", "Комплект постельного белья Cleanelly", 3_990),
             ("Arya", "Плед Arya", 2_490), ("Togas", "Полотенце банное Togas", 1_490), ("Sofi de Marko", "Подушка Sofi de Marko", 1_990),
             ("Verossa", "Одеяло Verossa", 3_490)],
            [("белого цвета", 1.0), ("серого цвета", 1.0)], ["Освещение"]),
        new("LGT", "Освещение", Department.Home,
            [("Xiaomi", "Настольная лампа Xiaomi Mi LED", 3_490), ("Camelion", "Торшер Camelion", 4_990),
             ("Gauss", "Умная лампа Gauss", 990), ("ЭРА", "Светильник потолочный ЭРА", 2_990)],
            [("белого цвета", 1.0), ("чёрного цвета", 1.0)], ["Текстиль"]),
        new("STG", "Хранение", Department.Home,
            [("Attribute", "Набор контейнеров Attribute", 1_490), ("Econova", "Корзина для белья Econova", 990),
             ("Zalger", "Вешалки Zalger, 10 шт.", 790), ("Hausmann", "Органайзер для обуви Hausmann", 1_290)],
            Single, ["Текстиль"]),
    ];

    /// <summary>Every model in every variant, numbered per category from 1001 in table order: LAP-1001, LAP-1002, …</summary>
    private static IEnumerable<(CategorySpec Category, Product Product)> CatalogueProducts()
    {
        foreach (var category in Categories)
        {
            var number = 1000;
            foreach (var model in category.Models)
                foreach (var (suffix, factor) in category.Variants)
                    yield return (category, new Product
                    {
                        Sku = $"{category.Prefix}-{++number}",
                        Name = suffix.Length == 0 ? model.Name : $"{model.Name}, {suffix}",
                        Category = category.Name,
                        Brand = model.Brand,
                        PriceMinor = (factor == 1.0 ? model.PriceRub : ShelfPrice(model.PriceRub * factor)) * 100,
                    });
        }
    }

    /// <summary>A variant's price as shops write it, rounded up: 64 648 → 64 990, 4 715 → 4 790.</summary>
    private static long ShelfPrice(double roubles) =>
        roubles >= 10_000 ? (long)Math.Ceiling((roubles + 10) / 1_000) * 1_000 - 10 : (long)Math.Ceiling((roubles + 10) / 100) * 100 - 10;
}
