using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OmniConsole.Core.Channels;
using OmniConsole.Core.Data;
using OmniConsole.Core.Timeline;

namespace OmniConsole.Web.Tests;

/// <summary>POST /api/v1/events: API.md's rules on batches, idempotency, identity resolution and bad input.</summary>
public sealed class ChannelApiEventsTests(OmniConsoleFactory app) : IClassFixture<OmniConsoleFactory>
{
    private DateTimeOffset Now => app.Clock.GetUtcNow();

    private async Task<T> ReadDbAsync<T>(Func<OmniConsoleDbContext, Task<T>> read)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<OmniConsoleDbContext>>().CreateDbContextAsync();
        return await read(db);
    }

    [Fact]
    public async Task PhoneWrittenThreeWaysIsOneCustomer()
    {
        var results = await app.PostAsync(new[]
        {
            Ev.View(new { phone = "8 (926) 123-45-67" }, Now),
            Ev.View(new { phone = "+7 926 1234567" }, Now),
            Ev.View(new { phone = "79261234567" }, Now),
        });
        Assert.All(results, r => Assert.Equal(EventStatus.Accepted, r.Status));
        Assert.Single(results.Select(r => r.CustomerId).Distinct());
        var customerId = long.Parse(results[0].CustomerId!);
        var stored = await ReadDbAsync(db => db.CustomerIdentifiers.Where(i => i.CustomerId == customerId).Select(i => i.Value).ToListAsync());
        Assert.Equal(["+79261234567"], stored);
    }

    [Fact]
    public async Task EmailAndCardAreNormalisedAndNewIdentifiersJoinTheCustomer()
    {
        var phone = Ev.NewPhone();
        var results = await app.PostAsync(new[]
        {
            Ev.View(new { phone }, Now),
            Ev.View(new { phone, email = "  Olga.S@Example.RU ", cardNumber = "2000 1111 2222 3" }, Now),
            Ev.View(new { email = "olga.s@example.ru" }, Now),
            Ev.View(new { cardNumber = "2000111122223" }, Now),
        });
        Assert.Single(results.Select(r => r.CustomerId).Distinct());
        var lookup = await app.Api().GetFromJsonAsync<JsonElement>("/api/v1/customers/lookup?email=OLGA.S@example.ru");
        Assert.Equal(results[0].CustomerId, lookup.GetProperty("customerId").GetString());
    }

    [Fact]
    public async Task SameEventIdFromSameKeyIsADuplicateButFromAnotherKeyIsANewEvent()
    {
        var id = Ev.NewId();
        var phone = Ev.NewPhone();
        var first = await app.PostAsync(new[] { Ev.View(new { phone }, Now, id), Ev.View(new { phone = Ev.NewPhone() }, Now, id) });
        var again = await app.PostAsync(new[] { Ev.View(new { phone = Ev.NewPhone() }, Now, id) });
        var otherKey = await app.PostAsync(new[] { Ev.View(new { phone }, Now, id) }, OmniConsoleFactory.ShopKey);

        Assert.Equal(EventStatus.Accepted, first[0].Status);
        Assert.Equal(EventStatus.Duplicate, first[1].Status);
        Assert.Equal(first[0].CustomerId, first[1].CustomerId);
        Assert.Equal(EventStatus.Duplicate, again[0].Status);
        Assert.Equal(first[0].CustomerId, again[0].CustomerId);
        Assert.Equal(EventStatus.Accepted, otherKey[0].Status);
        Assert.Equal(2, await ReadDbAsync(db => db.CustomerEvents.CountAsync(e => e.SourceEventId == id)));
    }

    [Fact]
    public async Task OneBadEventIsRejectedWithFieldErrorsAndTheOthersAreKept()
    {
        var phone = Ev.NewPhone();
        var bad = new Dictionary<string, object?>[]
        {
            new() { ["type"] = "product_viewed", ["channel"] = "app", ["occurredAt"] = Ev.At(Now), ["customer"] = new { phone } },
            new() { ["eventId"] = Ev.NewId(), ["type"] = "teleport", ["channel"] = "app", ["occurredAt"] = Ev.At(Now), ["customer"] = new { phone } },
            new() { ["eventId"] = Ev.NewId(), ["type"] = "call", ["channel"] = "system", ["occurredAt"] = Ev.At(Now), ["customer"] = new { phone } },
            new() { ["eventId"] = Ev.NewId(), ["type"] = "call", ["channel"] = "callcenter", ["occurredAt"] = "2026-05-01T10:00:00", ["customer"] = new { phone } },
            new() { ["eventId"] = Ev.NewId(), ["type"] = "call", ["channel"] = "callcenter", ["occurredAt"] = Ev.At(Now.AddDays(2)), ["customer"] = new { phone } },
            new() { ["eventId"] = Ev.NewId(), ["type"] = "call", ["channel"] = "callcenter", ["occurredAt"] = Ev.At(Now), ["customer"] = new { firstName = "Анна" } },
            new() { ["eventId"] = Ev.NewId(), ["type"] = "call", ["channel"] = "callcenter", ["occurredAt"] = Ev.At(Now), ["customer"] = new { phone = "12" } },
            new() { ["eventId"] = Ev.NewId(), ["type"] = "purchase", ["channel"] = "store", ["occurredAt"] = Ev.At(Now), ["customer"] = new { phone },
                    ["order"] = new { orderNumber = "X1", total = 10.001m } },
            new() { ["eventId"] = Ev.NewId(), ["type"] = "purchase", ["channel"] = "online", ["occurredAt"] = Ev.At(Now), ["customer"] = new { phone },
                    ["order"] = new { orderNumber = "X2", total = "lots" } },
            new() { ["eventId"] = Ev.NewId(), ["type"] = "cart_updated", ["channel"] = "online", ["occurredAt"] = Ev.At(Now), ["customer"] = new { phone } },
            new() { ["eventId"] = Ev.NewId(), ["type"] = "consent_changed", ["channel"] = "app", ["occurredAt"] = Ev.At(Now), ["customer"] = new { phone },
                    ["consents"] = new Dictionary<string, bool> { ["pigeon"] = true } },
        };
        var good = Ev.View(new { phone }, Now);
        var results = await app.PostAsync(bad.Append(good).ToArray());

        var expected = new[] { "eventId", "type", "channel", "occurredAt", "occurredAt", "customer", "customer.phone", "order.total", "order.total", "cart.lines", "consents.pigeon" };
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(EventStatus.Rejected, results[i].Status);
            Assert.Contains(results[i].Errors, e => e.Field == expected[i] && e.Message.Length > 5);
        }
        Assert.Equal(EventStatus.Accepted, results[^1].Status);
        Assert.Equal(1, await ReadDbAsync(db => db.CustomerIdentifiers.CountAsync(i => i.Value == phone)));
        var customerId = long.Parse(results[^1].CustomerId!);
        Assert.Equal(1, await ReadDbAsync(db => db.CustomerEvents.CountAsync(e => e.CustomerId == customerId)));
    }

    [Fact]
    public async Task StorePurchaseNeedsAStoreCodeAndUnknownStoresAndProductsJoinTheCatalogue()
    {
        var phone = Ev.NewPhone();
        var noStore = Ev.Purchase(new { phone }, 100m, Now);
        noStore.Remove("storeCode");
        var newStore = Ev.Purchase(new { phone }, 100m, Now);
        newStore["storeCode"] = "KZN-77";
        var results = await app.PostAsync(new[] { noStore, newStore });

        Assert.Equal(EventStatus.Rejected, results[0].Status);
        Assert.Contains(results[0].Errors, e => e.Field == "storeCode");
        Assert.Equal(EventStatus.Accepted, results[1].Status);
        Assert.True(await ReadDbAsync(db => db.Stores.AnyAsync(s => s.Code == "KZN-77")));
        Assert.True(await ReadDbAsync(db => db.Products.AnyAsync(p => p.Sku == "ACC-MOUSE-01")));
    }

    [Fact]
    public async Task SecondPurchaseWithTheSameOrderNumberFromTheSameKeyIsRejected()
    {
        var phone = Ev.NewPhone();
        var order = Ev.NewId("ord");
        var first = await app.PostAsync(new[] { Ev.Purchase(new { phone }, 500m, Now, order: order) });
        var resent = await app.PostAsync(new[] { Ev.Purchase(new { phone }, 500m, Now, order: order) });
        Assert.Equal(EventStatus.Accepted, first[0].Status);
        Assert.Equal(EventStatus.Rejected, resent[0].Status);
        Assert.Contains(resent[0].Errors, e => e.Field == "order.orderNumber");
        var customerId = long.Parse(first[0].CustomerId!);
        Assert.Equal(1, await ReadDbAsync(db => db.Customers.Where(c => c.Id == customerId).Select(c => c.PurchaseCount).SingleAsync()));
    }

    [Fact]
    public async Task AnEventNamingTwoCustomersMergesThemWithEverythingTheyHad()
    {
        var (phone, email) = (Ev.NewPhone(), $"{Guid.NewGuid():N}@example.ru");
        var a = await app.PostAsync(new[] { Ev.Purchase(new { phone }, 1000m, Now) });
        var b = await app.PostAsync(new[] { Ev.Purchase(new { email }, 2000m, Now) });
        Assert.NotEqual(a[0].CustomerId, b[0].CustomerId);

        var link = await app.PostAsync(new[] { Ev.View(new { phone, email }, Now) });

        var survivor = a[0].CustomerId;
        Assert.Equal(survivor, link[0].CustomerId);
        var byEmail = await app.Api().GetFromJsonAsync<JsonElement>($"/api/v1/customers/lookup?email={email}");
        Assert.Equal(survivor, byEmail.GetProperty("customerId").GetString());
        Assert.Equal(150m, byEmail.GetProperty("bonus").GetProperty("pending").GetDecimal());
        Assert.Equal(3000m, byEmail.GetProperty("lifetimeValue").GetDecimal());

        var timeline = await app.Api().GetFromJsonAsync<JsonElement>($"/api/v1/customers/{survivor}/timeline");
        var types = timeline.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("type").GetString()).ToList();
        Assert.Contains("customers_merged", types);
        Assert.Equal(2, types.Count(t => t == "purchase"));
        var merged = await app.Api().GetFromJsonAsync<JsonElement>($"/api/v1/customers/{b[0].CustomerId}/timeline");
        Assert.Equal(survivor, merged.GetProperty("customerId").GetString());
        var survivorId = long.Parse(survivor!);
        Assert.True(await ReadDbAsync(db => db.AuditEntries.AnyAsync(x => x.Action == Core.Audit.AuditAction.CustomersMerged && x.CustomerId == survivorId)));
    }

    [Fact]
    public async Task BlocklistedIdentifiersNeverIdentifyAnyone()
    {
        var phone = Ev.NewPhone();
        var results = await app.PostAsync(new[]
        {
            Ev.View(new { phone = "8 999 999-99-99" }, Now),
            Ev.View(new { phone = "+7 999 999 99 99", email = $"{Guid.NewGuid():N}@example.ru" }, Now),
            Ev.View(new { phone = "89999999999", cardNumber = "7000123" }, Now),
            Ev.View(new { phone }, Now),
        });
        Assert.Equal(EventStatus.Rejected, results[0].Status);
        Assert.Contains("blocklist", results[0].Errors.Single().Message);
        Assert.Equal(EventStatus.Accepted, results[1].Status);
        Assert.Equal(EventStatus.Accepted, results[2].Status);
        Assert.NotEqual(results[1].CustomerId, results[2].CustomerId); // the placeholder did not merge them
        Assert.False(await ReadDbAsync(db => db.CustomerIdentifiers.AnyAsync(i => i.Value == OmniConsoleFactory.BlockedPhone)));
        var lookup = await app.Api().GetAsync("/api/v1/customers/lookup?phone=8%20999%20999-99-99");
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task ConcurrentFirstEventsForOneNewCustomerCreateOneCustomer()
    {
        var phone = Ev.NewPhone();
        var posts = Enumerable.Range(0, 8).Select(_ => Task.Run(() => app.PostAsync(new[] { Ev.View(new { phone }, Now) })));
        var results = (await Task.WhenAll(posts)).SelectMany(r => r).ToList();

        Assert.All(results, r => Assert.Equal(EventStatus.Accepted, r.Status));
        Assert.Single(results.Select(r => r.CustomerId).Distinct());
        Assert.Equal(1, await ReadDbAsync(db => db.CustomerIdentifiers.CountAsync(i => i.Value == phone)));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"events\": {}}")]
    [InlineData("{\"events\": []}")]
    [InlineData("{\"items\": [1]}")]
    public async Task MalformedBodiesAreProblemDetails400(string body)
    {
        var response = await app.Api().PostAsync("/api/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task OverLimitBatchesAreRefusedWith413()
    {
        var tooMany = Enumerable.Range(0, 1001).Select(_ => Ev.View(new { phone = "+79160000000" }, Now)).ToArray();
        var many = await app.Api().PostAsJsonAsync("/api/v1/events", new { events = tooMany });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, many.StatusCode);

        var huge = new { events = new[] { new Dictionary<string, object?>(Ev.View(new { phone = "+79160000000" }, Now)) { ["text"] = new string('x', 6 * 1024 * 1024) } } };
        var big = await app.Api().PostAsJsonAsync("/api/v1/events", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        Assert.Equal(0, await ReadDbAsync(db => db.CustomerIdentifiers.CountAsync(i => i.Value == "+79160000000")));
    }

    [Fact]
    public async Task MissingOrUnknownKeyIs401ProblemDetails()
    {
        var anonymous = app.CreateClient();
        var missing = await anonymous.PostAsJsonAsync("/api/v1/events", new { events = new[] { Ev.View(new { phone = Ev.NewPhone() }, Now) } });
        var unknown = await app.Api("wrong-key").GetAsync("/api/v1/customers/lookup?phone=79161234567");
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task EventsAreStoredInUtcWithTheirSourceAndSummary()
    {
        var phone = Ev.NewPhone();
        var e = Ev.Purchase(new { phone, firstName = "Алексей", lastName = "Иванов" }, 5490m, Now);
        e["occurredAt"] = "2026-05-30T15:00:00+03:00";
        var result = (await app.PostAsync(new[] { e })).Single();
        var customerId = long.Parse(result.CustomerId!);
        var stored = await ReadDbAsync(db => db.CustomerEvents.SingleAsync(x => x.CustomerId == customerId));
        Assert.Equal(new DateTime(2026, 5, 30, 12, 0, 0, DateTimeKind.Utc), stored.OccurredAtUtc);
        Assert.Equal("till", stored.Source);
        Assert.Equal(EventType.Purchase, stored.Type);
        Assert.Contains("5,490.00 ₽", stored.Summary);
    }

    [Fact]
    public async Task ALatePurchaseSaysItsPointsWentActiveAtOnceAsTheLedgerDid()
    {
        // Sent a month late: the 14 days pending are over, so the points are active at once (no "now active" item follows).
        var late = (await app.PostAsync(new[] { Ev.Purchase(new { phone = Ev.NewPhone() }, 2000m, Now.AddDays(-30)) })).Single();
        var fresh = (await app.PostAsync(new[] { Ev.Purchase(new { phone = Ev.NewPhone() }, 2000m, Now) })).Single();

        Task<string> SummaryOfAsync(string? id) =>
            ReadDbAsync(db => db.CustomerEvents.Where(x => x.CustomerId == long.Parse(id!) && x.Type == EventType.Purchase).Select(x => x.Summary).SingleAsync());
        Assert.EndsWith(", +100.00 points, active at once", await SummaryOfAsync(late.CustomerId));
        Assert.EndsWith(", +100.00 points pending", await SummaryOfAsync(fresh.CustomerId));
    }
}
