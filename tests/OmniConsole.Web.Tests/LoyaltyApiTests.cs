using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OmniConsole.Web.Tests;

/// <summary>Earning rules, tiers and promo campaigns over HTTP (MANAGEMENT-API.md, loyalty), through the real app and SQLite file.</summary>
public sealed class LoyaltyApiTests : IDisposable
{
    private readonly OmniConsoleFactory _app = new();

    private static string FirstField(JsonElement problem) => problem.GetProperty("errors")[0].GetProperty("field").GetString()!;

    [Fact]
    public async Task ARuleIsCreatedAsADraftActivatedVersionedAndAccruesOnAPurchase()
    {
        var api = _app.Api(OmniConsoleFactory.ManagementKey);
        var created = await api.PostAsJsonAsync("/api/v1/loyalty/rules", new
        {
            name = "x3 on Electronics in the app", percent = 10, priority = 10,
            conditions = new { channels = new[] { "app" }, categories = new[] { "Electronics" } }, activationDays = 0, lifetimeDays = 30,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rule = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = rule.GetProperty("ruleId").GetInt32();
        Assert.Equal(("draft", 1, "purchase"), (rule.GetProperty("status").GetString(), rule.GetProperty("version").GetInt32(), rule.GetProperty("kind").GetString()));

        var body = new
        {
            name = "x3 on Electronics in the app", percent = 10, priority = 10, status = "active",
            conditions = new { channels = new[] { "app" }, categories = new[] { "Electronics" } }, activationDays = 0, lifetimeDays = 30,
        };
        var activated = await (await api.PutAsJsonAsync($"/api/v1/loyalty/rules/{id}", body)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("active", 2), (activated.GetProperty("status").GetString(), activated.GetProperty("version").GetInt32()));

        var purchase = new
        {
            eventId = "p1", type = "purchase", channel = "app", occurredAt = "2026-06-01T12:00:00+03:00", customer = new { phone = "+79161234567" },
            order = new
            {
                orderNumber = "A-1", total = 3000, lines = new object[]
            {
                new { sku = "TV", name = "TV", category = "Electronics", quantity = 1, unitPrice = 2000 },
                new { sku = "BK", name = "Book", category = "Books", quantity = 1, unitPrice = 1000 },
            }
            },
        };
        Assert.Equal("accepted", (await _app.PostAsync(new object[] { purchase })).Single().Status);
        var list = await api.GetFromJsonAsync<JsonElement>("/api/v1/loyalty/rules");
        var accrued = list.GetProperty("items").EnumerateArray().ToDictionary(r => r.GetProperty("ruleId").GetInt32(), r => r.GetProperty("accrued").GetDecimal());
        Assert.Equal(200m, accrued[id]);  // 10 % of the 2,000 of Electronics
        Assert.Equal(150m, accrued[1]);   // the default 5 % of 3,000

        var ended = await api.PutAsJsonAsync($"/api/v1/loyalty/rules/{id}", new { name = "x", percent = 10, status = "ended" });
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        var again = await api.PutAsJsonAsync($"/api/v1/loyalty/rules/{id}", new { name = "x", percent = 10, status = "active" });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("status", FirstField(await again.Content.ReadFromJsonAsync<JsonElement>()));
    }

    [Fact]
    public async Task ASegmentRuleAccruesToMembersThroughTheApp()
    {
        var api = _app.Api(OmniConsoleFactory.ManagementKey);
        var visits = new[] { ("+79161230001", "Москва"), ("+79161230002", "Казань") }.Select((c, i) => (object)new
        {
            eventId = $"v{i}", type = "store_visit", channel = "store", storeCode = "MSK-01", occurredAt = "2026-05-20T12:00:00+03:00",
            customer = new { phone = c.Item1, city = c.Item2 },
        }).ToList();
        await _app.PostAsync(visits);
        var segment = await (await api.PostAsJsonAsync("/api/v1/segments", new { name = "Moscow", definition = new { attr = "city", op = "eq", value = "Москва" } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var rule = await api.PostAsJsonAsync("/api/v1/loyalty/rules", new
        {
            name = "Moscow +2 %", percent = 2, status = "active", conditions = new { segmentId = segment.GetProperty("segmentId").GetInt32() }, lifetimeDays = 30,
        });
        Assert.Equal(HttpStatusCode.Created, rule.StatusCode);
        var purchases = new[] { "+79161230001", "+79161230002" }.Select((phone, i) => (object)new
        {
            eventId = $"p{i}", type = "purchase", channel = "store", storeCode = "MSK-01", occurredAt = "2026-05-21T12:00:00+03:00",
            customer = new { phone }, order = new { orderNumber = $"A-{i}", total = 1000 },
        }).ToList();
        Assert.All(await _app.PostAsync(purchases), r => Assert.Equal("accepted", r.Status));
        var id = (await rule.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ruleId").GetInt32();
        Assert.Equal(20m, (await api.GetFromJsonAsync<JsonElement>($"/api/v1/loyalty/rules/{id}")).GetProperty("accrued").GetDecimal());
    }

    [Theory]
    [InlineData("""{"name":"Too much","percent":120}""", "percent")]
    [InlineData("""{"name":"Negative","percent":-1}""", "percent")]
    [InlineData("""{"name":"Window","percent":5,"conditions":{"validFrom":"2026-07-01T00:00:00Z","validTo":"2026-06-01T00:00:00Z"}}""", "conditions.validTo")]
    [InlineData("""{"name":"Segment","percent":5,"conditions":{"segmentId":999}}""", "conditions.segmentId")]
    [InlineData("""{"name":"Channel","percent":5,"conditions":{"channels":["pigeon"]}}""", "conditions.channels[0]")]
    [InlineData("""{"name":"Birthday","kind":"birthday","percent":5}""", "points")]
    [InlineData("""{"name":"Type","percent":"five"}""", "percent")]
    public async Task ARuleThatMakesNoSenseIs400NamingTheFieldAndNothingIsSaved(string json, string field)
    {
        var api = _app.Api(OmniConsoleFactory.ManagementKey);
        var response = await api.PostAsync("/api/v1/loyalty/rules", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        var list = await api.GetFromJsonAsync<JsonElement>("/api/v1/loyalty/rules");
        Assert.Equal(1, list.GetProperty("items").GetArrayLength()); // the default rule only
    }

    [Fact]
    public async Task TiersAreAscendingFromZeroAndTheLookupReturnsTheCustomersTier()
    {
        var api = _app.Api(OmniConsoleFactory.ManagementKey);
        var unordered = await api.PutAsJsonAsync("/api/v1/loyalty/tiers", new[] { new { name = "Bronze", minSpent = 0m }, new { name = "Gold", minSpent = 50000m }, new { name = "Silver", minSpent = 10000m } });
        Assert.Equal(HttpStatusCode.BadRequest, unordered.StatusCode);
        Assert.Equal("[2].minSpent", FirstField(await unordered.Content.ReadFromJsonAsync<JsonElement>()));
        var notFromZero = await api.PutAsJsonAsync("/api/v1/loyalty/tiers", new[] { new { name = "Silver", minSpent = 10000m } });
        Assert.Equal(HttpStatusCode.BadRequest, notFromZero.StatusCode);

        var purchase = new
        {
            eventId = "p1", type = "purchase", channel = "store", storeCode = "MSK-01", occurredAt = "2026-05-20T12:00:00+03:00",
            customer = new { phone = "+79161234567" }, order = new { orderNumber = "A-1", total = 20000 }
        };
        Assert.Equal("accepted", (await _app.PostAsync(new object[] { purchase })).Single().Status);
        var saved = await api.PutAsJsonAsync("/api/v1/loyalty/tiers", new[] { new { name = "Bronze", minSpent = 0m }, new { name = "Silver", minSpent = 10000m }, new { name = "Gold", minSpent = 50000m } });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(3, (await api.GetFromJsonAsync<JsonElement>("/api/v1/loyalty/tiers")).GetArrayLength());
        var lookup = await _app.Api(OmniConsoleFactory.TillKey).GetFromJsonAsync<JsonElement>("/api/v1/customers/lookup?phone=%2B79161234567");
        Assert.Equal("Silver", lookup.GetProperty("tier").GetString());
    }

    [Fact]
    public async Task UniqueCodesAreGeneratedPagedIssuedOnceEachAndAreUnambiguous()
    {
        var api = _app.Api(OmniConsoleFactory.ManagementKey);
        var tooMany = await api.PostAsJsonAsync("/api/v1/loyalty/promo-campaigns", new { name = "Too many", kind = "unique", count = 100_001, discountPercent = 10 });
        Assert.Equal("count", FirstField(await tooMany.Content.ReadFromJsonAsync<JsonElement>()));

        var created = await api.PostAsJsonAsync("/api/v1/loyalty/promo-campaigns", new { name = "Accessories after a laptop", kind = "unique", count = 3, bonusPoints = 300 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("promoCampaignId").GetInt32();

        var first = await api.GetFromJsonAsync<JsonElement>($"/api/v1/loyalty/promo-campaigns/{id}/codes?limit=2");
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        var rest = await api.GetFromJsonAsync<JsonElement>($"/api/v1/loyalty/promo-campaigns/{id}/codes?limit=2&after={first.GetProperty("next").GetString()}");
        Assert.Equal(1, rest.GetProperty("items").GetArrayLength());
        var codes = first.GetProperty("items").EnumerateArray().Concat(rest.GetProperty("items").EnumerateArray()).Select(c => c.GetProperty("code").GetString()!).ToList();
        Assert.Equal(3, codes.Distinct().Count());
        Assert.All(codes, c => Assert.True(c.Length >= 8 && !c.Any(ch => "0O1IL".Contains(ch)), c));

        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsJsonAsync($"/api/v1/loyalty/promo-campaigns/{id}/issue", new { customer = new { phone = "+79160000000" } })).StatusCode);
        var customers = Enumerable.Range(1, 4).Select(i => new
        {
            eventId = $"v{i}", type = "store_visit", channel = "store", storeCode = "MSK-01",
            occurredAt = "2026-05-20T12:00:00+03:00", customer = new { phone = $"+791612345{i:00}" }
        }).ToList();
        await _app.PostAsync(customers);
        var issued = new List<string>();
        for (var i = 1; i <= 3; i++)
            issued.Add((await (await api.PostAsJsonAsync($"/api/v1/loyalty/promo-campaigns/{id}/issue", new { customer = new { phone = $"+791612345{i:00}" } })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!);
        Assert.Equal(codes.Order(), issued.Order());
        var sameAgain = await (await api.PostAsJsonAsync($"/api/v1/loyalty/promo-campaigns/{id}/issue", new { customer = new { phone = "+79161234501" } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(issued[0], sameAgain.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsJsonAsync($"/api/v1/loyalty/promo-campaigns/{id}/issue", new { customer = new { phone = "+79161234504" } })).StatusCode);

        // The code works for its owner, in any case and with spaces, and accrues its points at once.
        var code = issued[1];
        var purchase = new
        {
            eventId = "p1", type = "purchase", channel = "online", occurredAt = "2026-06-01T12:00:00+03:00",
            customer = new { phone = "+79161234502" }, order = new { orderNumber = "A-1", total = 1000, promoCode = " " + code[..4].ToLowerInvariant() + " " + code[4..] }
        };
        Assert.Equal("accepted", (await _app.PostAsync(new object[] { purchase })).Single().Status);
        var campaign = await api.GetFromJsonAsync<JsonElement>($"/api/v1/loyalty/promo-campaigns/{id}");
        Assert.Equal((3, 1, 1000m), (campaign.GetProperty("issued").GetInt32(), campaign.GetProperty("used").GetInt32(), campaign.GetProperty("revenue").GetDecimal()));
        var quote = await _app.Api(OmniConsoleFactory.TillKey).GetFromJsonAsync<JsonElement>("/api/v1/customers/lookup?phone=%2B79161234502");
        Assert.Equal(300m, quote.GetProperty("bonus").GetProperty("active").GetDecimal());
    }

    public void Dispose() => _app.Dispose();
}
