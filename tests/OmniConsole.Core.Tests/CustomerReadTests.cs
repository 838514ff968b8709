using Microsoft.EntityFrameworkCore;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Common;
using OmniConsole.Core.Customers;
using OmniConsole.Core.IdentityResolution;
using OmniConsole.Tests.Shared;

namespace OmniConsole.Core.Tests;

/// <summary>What staff read about customers: the card's figures, the lookup box, the list's city filter.</summary>
public sealed class CustomerReadTests : IDisposable
{
    private readonly TestDatabase _db = new();

    private async Task<long> SendAsync(params EventRequest[] events)
    {
        var results = await _db.Ingestion().IngestAsync("till", events, CancellationToken.None);
        Assert.All(results, r => Assert.Equal(EventStatus.Accepted, r.Status));
        return long.Parse(results[0].CustomerId!);
    }

    private EventRequest Profile(string id, string phone, string first, string last, string? city = null) => new()
    {
        EventId = id, Type = "profile_updated", Channel = "online", OccurredAt = Events.At(_db.Clock.GetUtcNow().AddDays(-1)),
        Customer = new CustomerData { Phone = phone, FirstName = first, LastName = last, City = city },
    };

    private async Task<IReadOnlyList<CustomerSearch.Hit>> SearchAsync(string query)
    {
        await using var db = _db.Open();
        var search = new CustomerSearch(_db.Factory, new CustomerLookup(_db.Normalizer), _db.Normalizer, new Core.Audit.AuditLog(_db.Factory, _db.Clock, new Core.Data.WriteGate()));
        return await search.SearchAsync(db, query, 20, "test", CancellationToken.None);
    }

    [Fact]
    public async Task EveryMoneyFigureOnTheCardIsPaidNetOfRefunds()
    {
        var now = _db.Clock.GetUtcNow();
        const string phone = "+79035550505";
        // Two purchases: 10,000, and 3,000 of which 500 in points (the first one's points are active by then);
        // then 6,000 of the first returned. Paid net of refunds: 10,000 + 2,500 − 6,000 = 6,500 over 2 orders.
        var id = await SendAsync(Events.Purchase("p1", phone, 10_000m, now.AddDays(-30), orderNumber: "A"));
        await SendAsync(Events.Purchase("p2", phone, 3_000m, now.AddDays(-10), redeemed: 500m, orderNumber: "B"));
        await SendAsync(Events.Return("r1", phone, "A", 6_000m, now.AddDays(-5)));

        await using var db = _db.Open();
        var kpis = await CustomerCard.KpisAsync(db, id, CancellationToken.None);
        var ltv = await db.Customers.Where(c => c.Id == id).Select(c => c.LifetimeValueMinor).SingleAsync();

        Assert.Equal(new Money(650_000), kpis.LifetimeValue); // 10,000 + 2,500 − 6,000
        Assert.Equal(ltv, kpis.LifetimeValue.Minor); // the lookup API's lifetimeValue
        Assert.Equal(2, kpis.Orders);
        Assert.Equal(new Money(325_000), kpis.AverageCheck); // not (10,000 + 3,000) / 2
    }

    [Fact]
    public async Task LookupFindsAFirstNameAloneALastNameAndBothInEitherOrder()
    {
        var maria = await SendAsync(Profile("m", "+79035550202", "Мария", "Петрова"));
        var other = await SendAsync(Profile("o", "+79035550303", "Ольга", "Марьина"));

        Assert.Equal([maria], (await SearchAsync("Мария")).Select(h => h.Id));
        Assert.Equal([maria], (await SearchAsync("мария")).Select(h => h.Id));
        Assert.Equal([maria], (await SearchAsync("Петрова")).Select(h => h.Id));
        Assert.Equal([maria], (await SearchAsync("Петрова Мария")).Select(h => h.Id));
        Assert.Equal([maria], (await SearchAsync("Мария Петрова")).Select(h => h.Id));
        Assert.Equal([maria], (await SearchAsync("  мария   петрова ")).Select(h => h.Id));
        Assert.Equal([other], (await SearchAsync("Ольга")).Select(h => h.Id));
        Assert.Equal([maria, other], (await SearchAsync("Мар")).Select(h => h.Id).Order());
    }

    [Fact]
    public async Task TheListsNameFilterReadsANameAsTheLookupBoxDoes()
    {
        var maria = await SendAsync(Profile("m", "+79035550202", "Мария", "Петрова"));
        var alexey = await SendAsync(Profile("a", "+79035550404", "Алексей", "Иванов"));
        var other = await SendAsync(Profile("o", "+79035550303", "Ольга", "Марьина"));
        var list = new CustomerList(_db.Factory, _db.Normalizer, new Core.Audit.AuditLog(_db.Factory, _db.Clock, new Core.Data.WriteGate()),
            new Core.Segments.SegmentService(_db.Factory, new Core.Segments.SegmentVocabulary(_db.Factory, _db.Clock), _db.Options, _db.Clock));

        async Task<IEnumerable<long>> NamedAsync(string name)
        {
            await using var db = _db.Open();
            var page = await list.ReadAsync(db, new CustomerList.Filter(Name: name), CustomerList.SortBy.Name, false, 0, 25, "test", CancellationToken.None);
            Assert.Equal(page.Rows.Count, page.Total);
            return page.Rows.Select(r => r.Id).Order();
        }

        Assert.Equal([alexey], await NamedAsync("Алексей"));
        Assert.Equal([alexey], await NamedAsync("Алексей Иванов"));
        Assert.Equal([alexey], await NamedAsync("Иванов Алексей"));
        Assert.Equal([alexey], await NamedAsync("иванов"));
        Assert.Equal([maria], await NamedAsync("Мария"));
        Assert.Equal(new[] { maria, other }.Order(), await NamedAsync("Мар")); // Марьина by last name, Мария by first
        Assert.Empty(await NamedAsync("Мария Иванова"));
    }

    [Fact]
    public async Task AnAccrualsJournalRowNamesItsRuleOnceEvenAfterTheRuleIsRenamed()
    {
        var id = await SendAsync(Events.Purchase("p-renamed", "+79035559999", 2000m, _db.Clock.GetUtcNow()));
        await using (var db = _db.Open())
            await db.EarningRules.Where(r => r.Id == Core.Loyalty.EarningRule.DefaultRuleId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Name, "Базовое начисление"));

        var page = await new Core.Loyalty.CustomerLedger(_db.Factory, _db.Clock).ReadAsync(id, 0, 10, CancellationToken.None);

        var accrual = Assert.Single(page.Rows);
        Assert.Equal("Базовое начисление (v1)", accrual.RuleName);
        Assert.Null(accrual.Note); // the name noted when it accrued is not shown again beside the rule's name now
    }

    [Fact]
    public async Task TheListShowsASavedSegmentsMembersAndSearchesAmongThem()
    {
        var kazan = await SendAsync(Profile("k", "+79035551101", "Алексей", "Казанский", city: "Казань"));
        var kazan2 = await SendAsync(Profile("k2", "+79035551102", "Мария", "Волгина", city: "Казань"));
        await SendAsync(Profile("m", "+79035551103", "Алексей", "Московский", city: "Москва"));
        var segments = new Core.Segments.SegmentService(_db.Factory, new Core.Segments.SegmentVocabulary(_db.Factory, _db.Clock), _db.Options, _db.Clock);
        var list = new CustomerList(_db.Factory, _db.Normalizer, new Core.Audit.AuditLog(_db.Factory, _db.Clock, new Core.Data.WriteGate()), segments);
        var saved = await segments.CreateAsync("Казань", null, Core.Segments.SegmentService.ParseOrThrow("""{"attr":"city","op":"eq","value":"Казань"}"""), "test", default);

        async Task<long[]> ListedAsync(CustomerList.Filter filter)
        {
            await using var db = _db.Open();
            var page = await list.ReadAsync(db, filter, CustomerList.SortBy.Name, false, 0, 25, "test", CancellationToken.None);
            Assert.Equal(page.Rows.Count, page.Total);
            return [.. page.Rows.Select(r => r.Id).Order()];
        }

        Assert.Equal(new[] { kazan, kazan2 }.Order(), await ListedAsync(new(SegmentId: saved.Segment.Id)));
        Assert.Equal([kazan], await ListedAsync(new(Name: "Алексей", SegmentId: saved.Segment.Id)));
        // The segment list shows each segment's last daily count.
        await segments.RecordSizesAsync(default);
        _db.Clock.Advance(TimeSpan.FromDays(1));
        await SendAsync(Profile("k3", "+79035551104", "Ольга", "Казанцева", city: "Казань"));
        await segments.RecordSizesAsync(default);
        var latest = (await segments.LatestSizesAsync([saved.Segment.Id], default))[saved.Segment.Id];
        Assert.Equal((3, DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(_db.Clock.GetUtcNow().UtcDateTime, segments.Zone))), (latest.Count, latest.Day));

        await segments.ArchiveAsync(saved.Segment.Id, "test", default);
        Assert.Empty(await ListedAsync(new(SegmentId: saved.Segment.Id))); // an archived segment has no members to browse
    }

    [Theory]
    [InlineData("+7 916 123")]
    [InlineData("8 916 123")]
    [InlineData("8916123")]
    [InlineData("+7 (916) 123-")]
    public async Task LookupFindsCustomersByTheStartOfTheirPhone(string typed)
    {
        var a = await SendAsync(Profile("a", "+79161234567", "Алексей", "Иванов"));
        var b = await SendAsync(Profile("b", "+79161239999", "Борис", "Сидоров"));
        await SendAsync(Profile("c", "+79171234567", "Вера", "Кузнецова"));

        var hits = await SearchAsync(typed);

        Assert.Equal(new[] { a, b }, hits.Select(h => h.Id).Order());
        Assert.Equal("+79161234567", hits.Single(h => h.Id == a).Phone); // as stored: the page formats it, or masks it
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("м")]
    [InlineData("+7 9")]
    public async Task LookupIgnoresQueriesTooShortToMean(string typed)
    {
        await SendAsync(Profile("a", "+79161234567", "Мария", "Иванова"));
        Assert.Empty(await SearchAsync(typed));
    }

    [SqliteFact] // reads SQLite's query plans
    public async Task LookupBoxSearchesSeekIndexesSoTheyStayFastAtAMillionCustomers()
    {
        await SendAsync(Profile("a", "+79161234567", "Мария", "Петрова"));
        var search = new CustomerSearch(_db.Factory, new CustomerLookup(_db.Normalizer), _db.Normalizer, new Core.Audit.AuditLog(_db.Factory, _db.Clock, new Core.Data.WriteGate()));

        var plans = await QueryPlans.OfAsync(_db, async db =>
        {
            await search.SearchAsync(db, "Мария", 20, "test", CancellationToken.None);
            await search.SearchAsync(db, "Мария Петрова", 20, "test", CancellationToken.None);
            await search.SearchAsync(db, "+7 916 123", 20, "test", CancellationToken.None);
        });

        var customerReads = plans.Where(p => p.Sql.Contains("FROM \"Customers\"", StringComparison.Ordinal)).ToList();
        Assert.Contains(customerReads, p => p.Plan.Contains("IX_Customers_SearchFirstName"));
        Assert.Contains(customerReads, p => p.Plan.Contains("IX_Customers_SearchName"));
        Assert.Contains(plans, p => p.Sql.Contains("FROM \"CustomerIdentifiers\"", StringComparison.Ordinal)
            && p.Plan.Contains("SEARCH", StringComparison.Ordinal) && p.Plan.Contains("Kind=? AND Value>? AND Value<?", StringComparison.Ordinal));
        Assert.All(plans, p => Assert.DoesNotMatch(@"(?m)^SCAN (c|i)\b(?! USING)", p.Plan)); // never a walk through a whole table
        Assert.All(plans, p => Assert.DoesNotContain("IX_Customers_MergedIntoId", p.Plan)); // nor through every live customer
    }

    [Fact]
    public async Task StartupBackfillGivesOlderCustomersTheirFirstNameKey()
    {
        var id = await SendAsync(Profile("a", "+79161234567", "Мария", "Иванова"));
        await using (var db = _db.Open())
            await db.Customers.ExecuteUpdateAsync(s => s.SetProperty(c => c.SearchFirstName, (string?)null)); // as before the migration
        Assert.Empty(await SearchAsync("Мария"));

        await using (var db = _db.Open())
        {
            Assert.True(SearchNameBackfill.IsNeededAfter(["20260101000000_Earlier", $"20261202000000_{SearchNameBackfill.Migration}"]));
            Assert.False(SearchNameBackfill.IsNeededAfter([]));
            if (!TestDatabases.OnPostgreSql) // PostgreSQL's migrations start after it
                Assert.Contains(db.Database.GetMigrations(), m => m.EndsWith("_" + SearchNameBackfill.Migration)); // the name is the migration's
            Assert.Equal(1, await SearchNameBackfill.RunAsync(db, CancellationToken.None));
        }

        Assert.Equal([id], (await SearchAsync("Мария")).Select(h => h.Id));
    }

    [Fact]
    public async Task CityFilterListsTheCitiesCustomersLiveInNotOnlyStoreCities()
    {
        await SendAsync(Profile("a", "+79161234567", "Мария", "Иванова", city: "Тверь"));
        await SendAsync(Events.Purchase("p", "+79161230000", 100m, _db.Clock.GetUtcNow())); // store MSK-01, a customer without a city

        await using var db = _db.Open();
        Assert.Contains("Тверь", await CustomerList.CitiesAsync(db, CancellationToken.None));
    }

    [Fact]
    public async Task AStoreVisitNamesTheStoreNotItsCode()
    {
        await using (var db = _db.Open())
        {
            db.Stores.Add(new Catalog.Store { Code = "MSK-04", Name = "Москва, ТРЦ Атриум", City = "Москва" });
            await db.SaveChangesAsync();
        }
        var id = await SendAsync(new EventRequest
        {
            EventId = "visit", Type = "store_visit", Channel = "store", StoreCode = "MSK-04", OccurredAt = Events.At(_db.Clock.GetUtcNow()),
            Customer = new CustomerData { Phone = "+79161234567" },
        });

        await using var read = _db.Open();
        var item = (await Timeline.TimelineQuery.ReadAsync(read, id, 10, null, null, CancellationToken.None)).Items.Single();
        Assert.Equal("Visited store Москва, ТРЦ Атриум", item.Summary); // what the API returns
        Assert.Equal("Visited store Москва, ТРЦ Атриум",
            Timeline.TimelineText.Summary(item.Type, item.Channel, item.Payload, System.Globalization.CultureInfo.InvariantCulture, storeName: item.StoreName));
    }

    public void Dispose() => _db.Dispose();
}
