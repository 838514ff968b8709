using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Segments;

namespace OmniConsole.DemoData;

/// <summary>
/// Finished campaigns with results for the demo, made through the campaign services with the sandbox providers: the
/// welcome cascade (an e-mail; a day later an SMS to whoever did not open it) launched twelve days ago, and a win-back
/// SMS nine days ago. The flow and the dispatcher run on a clock set back to those days, so messages, opens and the
/// purchases after them fall where they would have; prices per message give the channels a cost. The win-back is an
/// experiment: a 20 % control group and two texts, and a share of those who got a text come back to buy (more for the
/// bonus offer), so its results show an uplift over the control group's own purchases.
/// </summary>
public sealed class DemoCampaigns(IServiceProvider services, IOptions<MessagingOptions> messaging, TimeProvider clock, ILogger<DemoCampaigns> log)
{
    private const string Actor = DemoShowcase.Marketer;

    /// <summary>What one message costs the demo retailer per channel (kopecks): the generated history's messages cost the same.</summary>
    public static IReadOnlyDictionary<Channel, long> Prices { get; } = new Dictionary<Channel, long>
    {
        [Channel.Email] = 30, [Channel.Sms] = 350, [Channel.Push] = 5, [Channel.Viber] = 120, [Channel.Telegram] = 50,
    };

    public async Task SetUpAsync(CancellationToken ct)
    {
        if (!CampaignDefinition.SendChannels.All(c => string.Equals(messaging.Value.ProviderOf(c), "Sandbox", StringComparison.OrdinalIgnoreCase)))
        {
            log.LogInformation("Demo campaigns are not made: they need the sandbox provider for every channel (as in Development)");
            return;
        }
        await using (var scope = services.CreateAsyncScope())
        {
            var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync(ct);
            db.ChannelPrices.AddRange(Prices.Select(p => new ChannelPrice { Channel = p.Key, PriceMinor = p.Value }));
            await db.SaveChangesAsync(ct);
            await db.DisposeAsync();
        }
        var segments = services.GetRequiredService<SegmentService>();
        var women = await segments.CreateAsync("Женщины с согласием на e-mail", "Для приветственной цепочки",
            SegmentService.ParseOrThrow("""{"all":[{"attr":"gender","op":"eq","value":"female"},{"attr":"consent","op":"eq","value":"email"}]}"""), Actor, ct);
        var lapsed = await segments.CreateAsync("Нет покупок 120+ дней, SMS", "Для возврата",
            SegmentService.ParseOrThrow("""{"all":[{"attr":"lastPurchaseDaysAgo","op":"gte","value":120},{"attr":"consent","op":"eq","value":"sms"}]}"""), Actor, ct);

        var now = clock.GetUtcNow();
        await RunAsync(new CampaignInput
        {
            Name = "Приветственная цепочка: письмо, затем SMS", SegmentId = women.Segment.Id,
            Steps =
            [
                new CampaignStep { Channel = "email", Subject = "{{firstName}}, добро пожаловать в клуб!",
                    Body = "<p>Здравствуйте, {{firstName}}!</p><p>На вашем счёте {{bonusActive}} бонусов. <a href=\"https://shop.example.ru/new\">Новая коллекция</a></p><p><a href=\"{{unsubscribeUrl}}\">Отписаться</a></p>" },
                new CampaignStep { Wait = "P1D", Unless = "opened" },
                new CampaignStep { Channel = "sms", Text = "{{firstName}}, в клубе вас ждут бонусы: {{bonusActive}}. Загляните в магазин!" },
            ],
        }, now.AddDays(-12), ct);
        var winBack = await RunAsync(new CampaignInput
        {
            Name = "Вернитесь к нам: SMS, A/B-тест", SegmentId = lapsed.Segment.Id, ControlGroupPercent = 20,
            Steps =
            [
                new CampaignStep
                {
                    Channel = "sms",
                    Variants =
                    [
                        new StepVariant { Weight = 50, Text = "{{firstName}}, мы скучаем! −15 % на всё до воскресенья." },
                        new StepVariant { Weight = 50, Text = "{{firstName}}, дарим 500 бонусов к покупке до воскресенья. Ждём вас!" },
                    ],
                },
            ],
        }, now.AddDays(-9), ct);
        await ComeBackAsync(winBack, ct);
        var buyers = await segments.CreateAsync("Покупали за 30 дней, e-mail", "Для опроса после покупки",
            SegmentService.ParseOrThrow("""{"all":[{"attr":"purchases","withinDays":30,"op":"gte","value":1},{"attr":"consent","op":"eq","value":"email"}]}"""), Actor, ct);
        var survey = await RunAsync(new CampaignInput
        {
            Name = "Как вам у нас? NPS по e-mail", SegmentId = buyers.Segment.Id,
            Steps = [new CampaignStep { Survey = new SurveyStep { Channel = "email", Question = "Порекомендуете нас друзьям? Оцените от 0 до 10", Scale = "nps" } }],
        }, now.AddDays(-6), ct);
        await AnswerSurveyAsync(survey, ct);
        await ApplySandboxAsync(clock, ct);
    }

    /// <summary>What the demo's surveyed customers say: a share answers over the following days; detractors and comments open follow-ups.</summary>
    private static readonly (int Score, string? Comment)[] Answers =
    [
        (10, null), (10, "Всё отлично, консультант помог выбрать"), (9, null), (9, null), (9, "Быстро оформили"), (8, null), (8, null), (7, null),
        (7, "Цены могли бы быть ниже"), (6, "Долго ждал на кассе"), (5, null), (3, "Товар пришёл с царапиной"), (2, "Не смогли вернуть деньги на карту"),
    ];

    /// <summary>
    /// About a third of the survey's recipients answer within three days (the clock set to each answer's time, so the
    /// trend and follow-ups fall where they would have); Alexey Ivanov complains, and the demo consultant follows his
    /// complaint up; the marketer closed the others but the newest, a few left open for the queue.
    /// </summary>
    private async Task AnswerSurveyAsync(string campaignId, CancellationToken ct)
    {
        List<(long Id, DateTime SentAt, string? Address)> sent;
        await using (var db = await services.GetRequiredService<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync(ct))
            sent = (await db.Outbox.Where(m => m.CampaignId == campaignId && m.SentAtUtc != null).OrderBy(m => m.Id)
                .Select(m => new { m.Id, m.SentAtUtc, m.Address }).ToListAsync(ct)).Select(m => (m.Id, m.SentAtUtc!.Value, m.Address)).ToList();
        var links = services.GetRequiredService<Core.Campaigns.Delivery.TrackingLinks>();
        var random = new Random(2712);
        var then = new SetClock(clock.GetUtcNow());
        var feedback = ActivatorUtilities.CreateInstance<Core.Feedback.FeedbackService>(services, (TimeProvider)then);
        var answered = 0;
        foreach (var (id, sentAt, address) in sent)
        {
            var ivanov = address == DemoShowcase.AlexeyIvanov.Email;
            if (!ivanov && random.NextDouble() > 0.33) continue;
            var (score, comment) = ivanov ? (4, DemoShowcase.IvanovComplaint) : Answers[random.Next(Answers.Length)];
            then.Now = new DateTimeOffset(sentAt).AddMinutes(20 + random.Next(0, 60 * 72));
            await feedback.AnswerAsync(links.SurveyToken(id), score, comment, ct);
            answered++;
        }
        var queue = await feedback.FollowupsAsync(Core.Feedback.FollowupStatus.Open, 1000, null, null, ct);
        var closer = ActivatorUtilities.CreateInstance<Core.Feedback.FeedbackService>(services, clock);
        foreach (var f in queue.Items)
        {
            if (f.Comment == DemoShowcase.IvanovComplaint)
            {
                await closer.TakeAsync(f.FollowupId, DemoShowcase.Consultant, ct);
                await closer.CloseAsync(f.FollowupId, DemoShowcase.IvanovFollowUpNote, DemoShowcase.Consultant, ct);
            }
            else if (f.OpenedAt < clock.GetUtcNow().UtcDateTime.AddDays(-3.5)) // the last half-day's stay open: a few for the queue
                await closer.CloseAsync(f.FollowupId, "Связались с клиентом, поблагодарили за отзыв", Actor, ct);
        }
        log.LogInformation("Demo survey: {Answered} of {Sent} answered", answered, sent.Count);
    }

    /// <summary>Shares of a text's recipients who come back to buy within days of it: the demo's answer to the win-back test.</summary>
    private static readonly double[] ComeBackRates = [0.07, 0.13];

    /// <summary>
    /// Purchases by some of those who got the win-back's SMS, a few hours to four days after it, through ingestion as a
    /// till sends them (points, timeline, segments follow). The control group gets none of these: what it buys is the
    /// history's own, the baseline the uplift is measured against.
    /// </summary>
    private async Task ComeBackAsync(string campaignId, CancellationToken ct)
    {
        List<(string Phone, int Variant, DateTime SentAt)> sent;
        List<Core.Catalog.Product> products;
        await using (var db = await services.GetRequiredService<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync(ct))
        {
            sent = (await db.Outbox.Where(m => m.CampaignId == campaignId && m.SentAtUtc != null && m.Address != null).OrderBy(m => m.Id)
                    .Select(m => new { m.Address, m.Variant, m.SentAtUtc }).ToListAsync(ct))
                .Select(m => (m.Address!, m.Variant ?? 0, m.SentAtUtc!.Value)).ToList();
            products = await db.Products.AsNoTracking().OrderBy(p => p.Id).Take(60).ToListAsync(ct);
        }
        if (products.Count == 0) return;
        var random = new Random(2611);
        var events = new List<Core.Channels.EventRequest>();
        foreach (var (phone, variant, sentAt) in sent)
        {
            if (random.NextDouble() >= ComeBackRates[Math.Clamp(variant, 0, ComeBackRates.Length - 1)]) continue;
            var product = products[random.Next(products.Count)];
            var at = sentAt.AddHours(3 + random.Next(0, 93));
            events.Add(new Core.Channels.EventRequest
            {
                EventId = $"demo-winback-{events.Count + 1}", Type = "purchase", Channel = "store", StoreCode = "MSK-01",
                OccurredAt = at.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", System.Globalization.CultureInfo.InvariantCulture),
                Customer = new Core.IdentityResolution.CustomerData { Phone = phone },
                Order = new Core.Channels.OrderData
                {
                    OrderNumber = $"MSK01-WB{events.Count + 1:D5}", Total = product.PriceMinor / 100m,
                    Lines = [new Core.Channels.LineData { Sku = product.Sku, Name = product.Name, Category = product.Category, Brand = product.Brand, Quantity = 1, UnitPrice = product.PriceMinor / 100m }],
                },
            });
        }
        var ingestion = services.GetRequiredService<Core.Channels.EventIngestionService>();
        // One batch, as a store's day is uploaded after a lost connection.
        await ingestion.IngestAsync("demo", events, ct);
        log.LogInformation("Demo win-back: {Count} customers came back to buy", events.Count);
    }

    /// <summary>Launches a campaign on a clock set to <paramref name="at"/> and runs it to the end, a day at a time; its id.</summary>
    private async Task<string> RunAsync(CampaignInput input, DateTimeOffset at, CancellationToken ct)
    {
        var then = new SetClock(at);
        var campaigns = ActivatorUtilities.CreateInstance<CampaignService>(services, (TimeProvider)then);
        var flow = ActivatorUtilities.CreateInstance<CampaignFlow>(services, (TimeProvider)then);
        var dispatcher = ActivatorUtilities.CreateInstance<OutboxDispatcher>(services, (TimeProvider)then);
        var campaign = await campaigns.CreateAsync(input, Actor, ct);
        await campaigns.LaunchAsync(campaign.CampaignId, Actor, ct);
        for (var day = 0; day < 4; day++)
        {
            while (await flow.RunOnceAsync(ct) | await dispatcher.RunOnceAsync(ct) > 0) { }
            then.Now = then.Now.AddDays(1).AddHours(1);
            await ApplySandboxAsync(then, ct);
        }
        log.LogInformation("Demo campaign {Name} run", input.Name);
        return campaign.CampaignId;
    }

    private async Task ApplySandboxAsync(TimeProvider at, CancellationToken ct)
    {
        var tracking = ActivatorUtilities.CreateInstance<MessageTracking>(services, at);
        while (await tracking.ApplySandboxAsync(ct) > 0) { }
    }

    private sealed class SetClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
