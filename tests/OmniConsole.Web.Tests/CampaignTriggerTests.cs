using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Campaigns;
using OmniConsole.Core.Data;
using OmniConsole.Core.Loyalty;
using OmniConsole.Core.Segments;

namespace OmniConsole.Web.Tests;

/// <summary>
/// Triggered campaigns on the test clock (issue 15, "each trigger"): who meets the trigger gets the campaign's message,
/// who does not gets none, a second pass enrols no one twice, and a new occurrence enters again once the first is done.
/// The clock only moves forward and tests share it, so every time here is relative to the clock's now.
/// </summary>
public sealed class CampaignTriggerTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    private T Get<T>() where T : notnull => app.Services.GetRequiredService<T>();

    // Registration in DI is the campaign job's business; the service is built from the app's own services.
    private CampaignTriggers Triggers => _triggers ??= ActivatorUtilities.CreateInstance<CampaignTriggers>(app.Services);
    private CampaignTriggers? _triggers;

    private DateTimeOffset Now => app.Clock.GetUtcNow();

    /// <summary>Customers in a city of their own with an e-mail and e-mail consent (and the birth dates given); the segment of that city.</summary>
    private async Task<(int SegmentId, List<long> Customers, List<string> Phones)> AudienceAsync(int count, params string?[] birthDates)
    {
        var city = $"Город-{Guid.NewGuid():N}"[..14];
        var at = Now.AddMinutes(-5);
        var events = new List<object>();
        var phones = Enumerable.Range(0, count).Select(_ => Ev.NewPhone()).ToList();
        foreach (var (phone, i) in phones.Select((p, i) => (p, i)))
        {
            events.Add(new Dictionary<string, object?>
            {
                ["eventId"] = Ev.NewId(), ["type"] = "profile_updated", ["channel"] = "online", ["occurredAt"] = Ev.At(at),
                ["customer"] = new Dictionary<string, object?>
                {
                    ["phone"] = phone, ["email"] = $"t{i}-{Guid.NewGuid():N}"[..14] + "@example.ru", ["firstName"] = $"Имя{i}", ["city"] = city,
                    ["birthDate"] = i < birthDates.Length ? birthDates[i] : null,
                },
            });
            events.Add(new Dictionary<string, object?>
            {
                ["eventId"] = Ev.NewId(), ["type"] = "consent_changed", ["channel"] = "online", ["occurredAt"] = Ev.At(at.AddMinutes(1)),
                ["customer"] = new { phone }, ["consents"] = new Dictionary<string, bool> { ["email"] = true },
            });
        }
        var results = await app.PostAsync(events.ToArray());
        Assert.All(results, r => Assert.True(r.Status == "accepted", string.Join("; ", r.Errors?.Select(e => $"{e.Field}: {e.Message}") ?? [])));
        app.Clock.Advance(TimeSpan.FromMinutes(2)); // the segment vocabulary knows cities a minute old: let it learn this one
        var segment = await Get<SegmentService>().CreateAsync("city " + city, null, SegmentService.ParseOrThrow($$"""{"attr":"city","op":"eq","value":"{{city}}"}"""), "test", default);
        return (segment.Segment.Id, results.Where((_, i) => i % 2 == 0).Select(r => long.Parse(r.CustomerId!)).ToList(), phones);
    }

    private async Task<string> LaunchAsync(int segmentId, CampaignTrigger trigger, params CampaignStep[] steps)
    {
        var campaigns = Get<CampaignService>();
        var campaign = await campaigns.CreateAsync(new CampaignInput
        {
            Name = $"Trigger {trigger.Kind}", SegmentId = segmentId, Trigger = trigger,
            Steps = steps.Length > 0 ? [.. steps] : [new CampaignStep { Channel = "email", Subject = "Для вас, {{firstName}}", Body = "<p>Здравствуйте!</p>" }],
        }, "marketer@test", default);
        await campaigns.LaunchAsync(campaign.CampaignId, "marketer@test", default);
        return campaign.CampaignId;
    }

    /// <summary>The triggers once, then the flow and the dispatcher until nothing moves (the campaign job's round); how many entered.</summary>
    private async Task<int> RunAsync()
    {
        var entered = await Triggers.RunOnceAsync(default);
        for (var i = 0; i < 50; i++)
        {
            var moved = await Get<CampaignFlow>().RunOnceAsync(default);
            var sent = await Get<OutboxDispatcher>().RunOnceAsync(default);
            if (!moved && sent == 0) return entered;
        }
        throw new InvalidOperationException("The campaign never settled.");
    }

    /// <summary>Delivered messages per customer of the campaign.</summary>
    private async Task<Dictionary<long, int>> DeliveredAsync(string campaignId)
    {
        await using var db = await Get<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync();
        return await db.Outbox.AsNoTracking().Where(m => m.CampaignId == campaignId && m.Status == MessageStatus.Delivered)
            .GroupBy(m => m.CustomerId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
    }

    private async Task<(int Audience, List<string> Occurrences)> RecipientsAsync(string campaignId, long customerId)
    {
        await using var db = await Get<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync();
        var audience = await db.Campaigns.Where(c => c.Id == campaignId).Select(c => c.Audience).SingleAsync();
        var occurrences = await db.CampaignRecipients.Where(r => r.CampaignId == campaignId && r.CustomerId == customerId)
            .OrderBy(r => r.Id).Select(r => r.Occurrence).ToListAsync();
        return (audience, occurrences);
    }

    private Task PostAsync(params object[] events) => PostCheckedAsync(events);

    private async Task PostCheckedAsync(object[] events)
    {
        var results = await app.PostAsync(events);
        Assert.All(results, r => Assert.True(r.Status == "accepted", string.Join("; ", r.Errors?.Select(e => $"{e.Field}: {e.Message}") ?? [])));
    }

    private static Dictionary<string, object?> Cart(string phone, DateTimeOffset at, int lines = 1) => new()
    {
        ["eventId"] = Ev.NewId(), ["type"] = "cart_updated", ["channel"] = "online", ["occurredAt"] = Ev.At(at), ["customer"] = new { phone },
        ["cart"] = new
        {
            lines = Enumerable.Range(0, lines).Select(_ => new { sku = "LAP-001", name = "Ноутбук Acme 15", category = "Ноутбуки", brand = "Acme", quantity = 1, unitPrice = 54990.00m }).ToArray(),
        },
    };

    private static Dictionary<string, object?> Purchase(string phone, DateTimeOffset at) => Ev.Purchase(new { phone }, 1000m, at);

    /// <summary>A lot of points as loyalty writes them (the lifecycle job records its activation on the timeline when its time comes).</summary>
    private async Task AddLotAsync(long customerId, DateTimeOffset activates, DateTimeOffset expires, bool activationRecorded = false)
    {
        await using var db = await Get<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync();
        db.BonusLots.Add(new BonusLot
        {
            CustomerId = customerId, Kind = BonusLotKind.Adjustment, AmountMinor = 500_00, RemainingMinor = 500_00,
            ActivatesAtUtc = activates.UtcDateTime, ExpiresAtUtc = expires.UtcDateTime, ActivationRecorded = activationRecorded,
        });
        await db.SaveChangesAsync();
    }

    private static CampaignStep Email(string subject) => new() { Channel = "email", Subject = subject, Body = "<p>{{firstName}}, корзина ждёт</p>" };

    [Fact]
    public async Task AnAbandonedCartEntersOncePerCartNeverWhileInTheFlowAndANewCartAfterAPurchaseEntersAgain()
    {
        var (segmentId, customers, phones) = await AudienceAsync(4);
        var (left, bought, old, none) = (customers[0], customers[1], customers[2], customers[3]);
        await PostAsync(Cart(phones[0], Now), Cart(phones[1], Now), Purchase(phones[1], Now.AddMinutes(10)), Cart(phones[2], Now.AddDays(-40)));
        // A reminder, then another two days later: the first cart keeps its customer in the flow for two days.
        var id = await LaunchAsync(segmentId, new CampaignTrigger { Kind = "cartAbandoned", Hours = 3 },
            Email("Вы забыли корзину"), new CampaignStep { Wait = "P2D" }, Email("Корзина всё ещё ждёт"));

        app.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await RunAsync()); // two hours: not abandoned yet
        app.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await RunAsync());
        Assert.Equal(new Dictionary<long, int> { [left] = 1 }, await DeliveredAsync(id)); // not the buyer, not last month's cart, not the one with none
        Assert.Equal(0, await RunAsync()); // the same cart again: no one

        // A new cart while the first is still in the flow waits until it is through.
        await PostAsync(Purchase(phones[0], Now), Cart(phones[0], Now.AddMinutes(1)));
        app.Clock.Advance(TimeSpan.FromHours(4));
        Assert.Equal(0, await RunAsync());
        app.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(0, await RunAsync()); // the second reminder goes and the first cart's way ends in this round
        Assert.Equal(1, await RunAsync()); // now the new cart enters
        Assert.Equal(3, (await DeliveredAsync(id))[left]);
        var (audience, occurrences) = await RecipientsAsync(id, left);
        Assert.Equal(2, occurrences.Count);
        Assert.All(occurrences, o => Assert.StartsWith("cart:", o));
        Assert.NotEqual(occurrences[0], occurrences[1]);
        Assert.Equal(2, audience);
        Assert.DoesNotContain(bought, (await DeliveredAsync(id)).Keys);
        Assert.DoesNotContain(old, (await DeliveredAsync(id)).Keys);
        Assert.DoesNotContain(none, (await DeliveredAsync(id)).Keys);
    }

    [Fact]
    public async Task AFirstPurchaseInTheLastWeekGetsTheWelcomeOnce()
    {
        var (segmentId, customers, phones) = await AudienceAsync(4);
        var (first, twice, longAgo) = (customers[0], customers[1], customers[2]);
        await PostAsync(Purchase(phones[0], Now.AddHours(-1)), Purchase(phones[1], Now.AddDays(-20)), Purchase(phones[1], Now.AddHours(-1)),
            Purchase(phones[2], Now.AddDays(-8)));
        var id = await LaunchAsync(segmentId, new CampaignTrigger { Kind = "firstPurchase" });

        Assert.Equal(1, await RunAsync());
        Assert.Equal(new Dictionary<long, int> { [first] = 1 }, await DeliveredAsync(id)); // not the second purchase, not last month's first, not the one who never bought
        Assert.Equal(0, await RunAsync());
        app.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await RunAsync()); // a first purchase is one occurrence, ever
        Assert.Equal(["first"], (await RecipientsAsync(id, first)).Occurrences);
        Assert.DoesNotContain(twice, (await DeliveredAsync(id)).Keys);
        Assert.DoesNotContain(longAgo, (await DeliveredAsync(id)).Keys);
    }

    [Fact]
    public async Task ATriggeredCampaignsControlGroupEntersOnceAndGetsNothing()
    {
        var (segmentId, customers, phones) = await AudienceAsync(20);
        await PostAsync(phones.Select(p => (object)Purchase(p, Now.AddHours(-1))).ToArray());
        var campaigns = Get<CampaignService>();
        var campaign = await campaigns.CreateAsync(new CampaignInput
        {
            Name = "Welcome with a control group", SegmentId = segmentId, Trigger = new CampaignTrigger { Kind = "firstPurchase" }, ControlGroupPercent = 50,
            Steps = [Email("Добро пожаловать")],
        }, "marketer@test", default);
        await campaigns.LaunchAsync(campaign.CampaignId, "marketer@test", default);

        Assert.Equal(20, await RunAsync());
        Assert.Equal(0, await RunAsync()); // each first purchase enters once, on either side
        await using var db = await Get<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync();
        var states = await db.CampaignRecipients.AsNoTracking().Where(r => r.CampaignId == campaign.CampaignId).ToDictionaryAsync(r => r.CustomerId, r => r.State);
        var control = customers.Where(c => Experiment.IsControl(campaign.CampaignId, c, 50)).ToHashSet();
        Assert.InRange(control.Count, 1, 19);
        Assert.All(customers, c => Assert.Equal(control.Contains(c) ? RecipientState.Control : RecipientState.Finished, states[c]));
        Assert.Equal(customers.Where(c => !control.Contains(c)).Order(), (await DeliveredAsync(campaign.CampaignId)).Keys.Order());
    }

    [Fact]
    public async Task NHoursAfterEachPurchaseTheCustomerEntersOncePerPurchaseWithItsStore()
    {
        var (segmentId, customers, phones) = await AudienceAsync(3);
        await PostAsync(Purchase(phones[0], Now.AddHours(-25)), Purchase(phones[1], Now.AddHours(-1)), Purchase(phones[2], Now.AddDays(-10)));
        var id = await LaunchAsync(segmentId, new CampaignTrigger { Kind = "afterEvent", EventType = "purchase", Hours = 24 });

        Assert.Equal(1, await RunAsync()); // the purchase a day ago; not the hour-old one yet, not last week's
        Assert.Equal(0, await RunAsync());
        var occurrence = (await RecipientsAsync(id, customers[0])).Occurrences.Single();
        Assert.StartsWith("event:", occurrence);
        Assert.NotNull(CampaignTriggers.StoreOf(occurrence)); // the till's store, for the survey's summary by store
        app.Clock.Advance(TimeSpan.FromHours(24));
        Assert.Equal(1, await RunAsync()); // now the second customer's purchase is a day old
        Assert.Equal([customers[0], customers[1]], (await DeliveredAsync(id)).Keys.Order());
    }

    [Fact]
    public async Task EnteringAWatchedSegmentStartsTheFlowOncePerEntryButNotForThoseInItAtLaunch()
    {
        var (segmentId, customers, phones) = await AudienceAsync(4);
        var city = (await Get<SegmentService>().GetAsync(segmentId, default))!.Definition.Value!.GetValue<string>();
        var buyers = await Get<SegmentService>().CreateAsync("buyers " + Guid.NewGuid().ToString("N")[..6], null, SegmentService.ParseOrThrow(
            $$"""{"all":[{"attr":"city","op":"eq","value":"{{city}}"},{"attr":"purchases","op":"gte","value":1}]}"""), "test", default);
        await PostAsync(Purchase(phones[0], Now.AddHours(-1))); // in the watched segment before the launch
        var segmentTriggers = Get<SegmentTriggers>();
        var id = await LaunchAsync(segmentId, new CampaignTrigger { Kind = "segmentEntered", SegmentId = buyers.Segment.Id });

        Assert.Equal(0, await segmentTriggers.RunOnceAsync(default)); // the first pass takes the snapshot: no one enters
        await PostAsync(Purchase(phones[1], Now), Purchase(phones[2], Now));
        Assert.Equal(2, await segmentTriggers.RunOnceAsync(default));
        Assert.Equal(0, await segmentTriggers.RunOnceAsync(default)); // still in it: no second entry
        await RunAsync();
        Assert.Equal(new Dictionary<long, int> { [customers[1]] = 1, [customers[2]] = 1 }, await DeliveredAsync(id));

        // Leaving and entering again is an occurrence again; a segmentLeft campaign sees the leaver.
        var leftId = await LaunchAsync(segmentId, new CampaignTrigger { Kind = "segmentLeft", SegmentId = buyers.Segment.Id });
        Assert.Equal(0, await segmentTriggers.RunOnceAsync(default));
        await Get<SegmentService>().UpdateAsync(buyers.Segment.Id, buyers.Segment.Name, null, SegmentService.ParseOrThrow(
            $$"""{"all":[{"attr":"city","op":"eq","value":"{{city}}"},{"attr":"purchases","op":"gte","value":2}]}"""), "test", default);
        await PostAsync(Purchase(phones[1], Now.AddMinutes(1))); // customer 1 has two purchases now: still in; 0 and 2 left
        Assert.Equal(2, await segmentTriggers.RunOnceAsync(default)); // 0 and 2 leave (the left campaign)
        await RunAsync();
        Assert.Equal([customers[0], customers[2]], (await DeliveredAsync(leftId)).Keys.Order());
        await PostAsync(Purchase(phones[2], Now.AddMinutes(2)));
        Assert.Equal(1, await segmentTriggers.RunOnceAsync(default)); // 2 entered again
        await RunAsync();
        Assert.Equal(2, (await RecipientsAsync(id, customers[2])).Occurrences.Count);
        Assert.Equal(2, (await DeliveredAsync(id))[customers[2]]);
    }

    [Fact]
    public async Task NoPurchaseForNDaysWinsBackOncePerLapseAndAgainAfterALaterPurchaseLapses()
    {
        var (segmentId, customers, phones) = await AudienceAsync(3);
        var (lapsed, recent, never) = (customers[0], customers[1], customers[2]);
        await PostAsync(Purchase(phones[0], Now.AddDays(-31)), Purchase(phones[1], Now.AddDays(-10)));
        var id = await LaunchAsync(segmentId, new CampaignTrigger { Kind = "noPurchase", Days = 30 });

        Assert.Equal(1, await RunAsync());
        Assert.Equal(new Dictionary<long, int> { [lapsed] = 1 }, await DeliveredAsync(id));
        app.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await RunAsync()); // still the same lapse

        // The win-back worked: a purchase, then 30 quiet days are a new lapse; the other customer's lapse begins too.
        await PostAsync(Purchase(phones[0], Now));
        app.Clock.Advance(TimeSpan.FromDays(29));
        Assert.Equal(1, await RunAsync()); // the recent buyer's purchase is now 40 days old
        app.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, await RunAsync());
        Assert.Equal(new Dictionary<long, int> { [lapsed] = 2, [recent] = 1 }, await DeliveredAsync(id));
        var (audience, occurrences) = await RecipientsAsync(id, lapsed);
        Assert.Equal(2, occurrences.Distinct().Count());
        Assert.All(occurrences, o => Assert.StartsWith("lapsed:", o));
        Assert.Equal(3, audience);
        Assert.DoesNotContain(never, (await DeliveredAsync(id)).Keys);
    }

    [Fact]
    public async Task NDaysAfterThePurchaseEntersOncePerOrderInADailyWindow()
    {
        var (segmentId, customers, phones) = await AudienceAsync(3);
        var (due, later, bought) = (customers[0], customers[1], customers[2]);
        // Three days after: due now; the second's purchase is a day younger; the third bought again since (the latest counts).
        await PostAsync(Purchase(phones[0], Now.AddDays(-3).AddHours(-2)), Purchase(phones[1], Now.AddDays(-2).AddHours(-2)),
            Purchase(phones[2], Now.AddDays(-3).AddHours(-2)), Purchase(phones[2], Now.AddDays(-1)));
        var id = await LaunchAsync(segmentId, new CampaignTrigger { Kind = "afterPurchase", Days = 3 });

        Assert.Equal(1, await RunAsync());
        Assert.Equal(new Dictionary<long, int> { [due] = 1 }, await DeliveredAsync(id));
        Assert.Equal(0, await RunAsync());
        app.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await RunAsync()); // the second customer's day; the first is past the window
        Assert.Equal(new Dictionary<long, int> { [due] = 1, [later] = 1 }, await DeliveredAsync(id));

        // Another order, another occurrence.
        await PostAsync(Purchase(phones[0], Now));
        app.Clock.Advance(TimeSpan.FromDays(3).Add(TimeSpan.FromHours(1)));
        Assert.Equal(1, await RunAsync()); // the first customer's new order
        Assert.Equal(new Dictionary<long, int> { [due] = 2, [later] = 1 }, await DeliveredAsync(id)); // the third's day passed while no one ran
        var occurrences = (await RecipientsAsync(id, due)).Occurrences;
        Assert.Equal(2, occurrences.Distinct().Count());
        Assert.All(occurrences, o => Assert.StartsWith("after:", o));
    }

    [Fact]
    public async Task TheBirthdayInTheDisplayTimeZoneEntersOnceAYearAnd29FebruaryOn28FebruaryInOtherYears()
    {
        // 21:30 UTC is already the next day in Moscow (UTC+3): the birthday is Moscow's date.
        var next = Now.UtcDateTime.Date.AddDays(1).AddHours(21.5);
        var moscowDay = DateOnly.FromDateTime(next.AddHours(3));
        var utcDay = DateOnly.FromDateTime(next);
        var plainYear = Enumerable.Range(next.Year + 1, 8).First(y => !DateTime.IsLeapYear(y));
        var (segmentId, customers, _) = await AudienceAsync(3, $"1990-{moscowDay:MM-dd}", $"1991-{utcDay:MM-dd}", "2000-02-29");
        var (birthday, yesterday, leapDay) = (customers[0], customers[1], customers[2]);
        var id = await LaunchAsync(segmentId, new CampaignTrigger { Kind = "birthday" });

        app.Clock.SetUtcNow(new DateTimeOffset(next, TimeSpan.Zero));
        Assert.Equal(1, await RunAsync());
        Assert.Equal(new Dictionary<long, int> { [birthday] = 1 }, await DeliveredAsync(id));
        app.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await RunAsync()); // the same birthday again: no one

        // 28 February of a year without the 29th: the leap-day customer's birthday.
        app.Clock.SetUtcNow(new DateTimeOffset(plainYear, 2, 28, 9, 0, 0, TimeSpan.Zero));
        Assert.Equal(1, await RunAsync());
        Assert.Equal(1, (await DeliveredAsync(id))[leapDay]);

        // A year on: the first customer's next birthday is a new occurrence.
        var nextYear = new DateOnly(plainYear + 1, moscowDay.Month, moscowDay.Day == 29 && moscowDay.Month == 2 ? 28 : moscowDay.Day);
        app.Clock.SetUtcNow(new DateTimeOffset(nextYear.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));
        Assert.Equal(1, await RunAsync());
        Assert.Equal(new Dictionary<long, int> { [birthday] = 2, [leapDay] = 1 }, await DeliveredAsync(id));
        Assert.Equal([$"birthday:{moscowDay.Year}", $"birthday:{nextYear.Year}"], (await RecipientsAsync(id, birthday)).Occurrences);
        Assert.DoesNotContain(yesterday, (await DeliveredAsync(id)).Keys);
    }

    [Fact]
    public async Task BonusesActivatedInTheLastDayEnterOncePerActivation()
    {
        var (segmentId, customers, _) = await AudienceAsync(3);
        var (activated, pending, stale) = (customers[0], customers[1], customers[2]);
        await AddLotAsync(activated, Now.AddHours(1), Now.AddDays(365));
        await AddLotAsync(pending, Now.AddDays(3), Now.AddDays(365));
        await AddLotAsync(stale, Now.AddMinutes(30), Now.AddDays(365));
        await Get<BonusLifecycle>().RunOnceAsync(default); // nothing due yet
        app.Clock.Advance(TimeSpan.FromMinutes(40));
        await Get<BonusLifecycle>().RunOnceAsync(default); // the stale lot's item, too old by the time the campaign starts
        app.Clock.Advance(TimeSpan.FromHours(25));
        await Get<BonusLifecycle>().RunOnceAsync(default); // the first customer's item, dated 24 h 40 min ago: too old as well
        var id = await LaunchAsync(segmentId, new CampaignTrigger { Kind = "bonusActivated" });
        Assert.Equal(0, await RunAsync());

        // A fresh activation enters; the item is written by the lifecycle job, then the trigger sees it.
        await AddLotAsync(activated, Now.AddHours(1), Now.AddDays(365));
        app.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await RunAsync()); // the lot is active but its item is not on the timeline yet
        await Get<BonusLifecycle>().RunOnceAsync(default);
        Assert.Equal(1, await RunAsync());
        Assert.Equal(new Dictionary<long, int> { [activated] = 1 }, await DeliveredAsync(id));
        Assert.Equal(0, await RunAsync());

        // Another activation the same day is another occurrence.
        await AddLotAsync(activated, Now.AddHours(1), Now.AddDays(365));
        app.Clock.Advance(TimeSpan.FromHours(2));
        await Get<BonusLifecycle>().RunOnceAsync(default);
        Assert.Equal(1, await RunAsync());
        Assert.Equal(new Dictionary<long, int> { [activated] = 2 }, await DeliveredAsync(id));
        var occurrences = (await RecipientsAsync(id, activated)).Occurrences;
        Assert.Equal(2, occurrences.Distinct().Count());
        Assert.All(occurrences, o => Assert.StartsWith("bonus:", o));
    }

    [Fact]
    public async Task ActivePointsExpiringWithinNDaysEnterOncePerExpiryDate()
    {
        var (segmentId, customers, _) = await AudienceAsync(4);
        var (expiring, later, pending, none) = (customers[0], customers[1], customers[2], customers[3]);
        var start = Now;
        await AddLotAsync(expiring, start.AddDays(-100), start.AddDays(5), activationRecorded: true);
        await AddLotAsync(expiring, start.AddDays(-50), start.AddDays(12), activationRecorded: true);
        await AddLotAsync(later, start.AddDays(-100), start.AddDays(20), activationRecorded: true);
        await AddLotAsync(pending, start.AddDays(1), start.AddDays(6)); // not active yet
        var id = await LaunchAsync(segmentId, new CampaignTrigger { Kind = "pointsExpiring", Days = 7 });

        Assert.Equal(1, await RunAsync());
        Assert.Equal(new Dictionary<long, int> { [expiring] = 1 }, await DeliveredAsync(id));
        Assert.Equal(0, await RunAsync()); // the same expiry: no one
        Assert.Equal([$"expiring:{start.AddDays(5):yyyy-MM-dd}"], (await RecipientsAsync(id, expiring)).Occurrences);

        // The first lot has expired; the next one is now within the 7 days: a new occurrence. The pending lot became active.
        app.Clock.Advance(TimeSpan.FromDays(6));
        await Get<BonusLifecycle>().RunOnceAsync(default);
        Assert.Equal(1, await RunAsync()); // the pending lot expired on the way: its customer is not due
        Assert.Equal(new Dictionary<long, int> { [expiring] = 2 }, await DeliveredAsync(id));
        Assert.Equal([$"expiring:{start.AddDays(5):yyyy-MM-dd}", $"expiring:{start.AddDays(12):yyyy-MM-dd}"], (await RecipientsAsync(id, expiring)).Occurrences);
        Assert.DoesNotContain(later, (await DeliveredAsync(id)).Keys);
        Assert.DoesNotContain(none, (await DeliveredAsync(id)).Keys);
    }
}
